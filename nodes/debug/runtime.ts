import { defineRuntime } from '../define-node.ts';
import { debugNode } from './definition.ts';

export const debugRuntime = defineRuntime(debugNode, (config, ctx) => {
  let count = 0;
  return {
    input(msg) {
      if (!config.active) return;
      count++;
      ctx.debug(msg, config.show === 'payload' ? msg.payload : msg);
      ctx.status({ fill: 'grey', text: `${count} message${count === 1 ? '' : 's'}` });
    },
  };
});
