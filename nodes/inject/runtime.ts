import { defineRuntime } from '../define-node.ts';
import { newMessage } from '../message.ts';
import { injectNode } from './definition.ts';

/** Delay of a "once" inject, so that the nodes it feeds have started. */
const ONCE_DELAY_MS = 100;

export const injectRuntime = defineRuntime(injectNode, (config, ctx) => {
  const fire = (): void => ctx.send(newMessage({ topic: config.topic, payload: config.payload }));
  const onceTimer = config.once ? ctx.timers.setTimeout(fire, ONCE_DELAY_MS) : undefined;
  const repeat = config.interval ? ctx.timers.setInterval(fire, config.interval * 1000) : undefined;
  return {
    trigger(test) {
      if (!test) return fire();
      ctx.send(newMessage({ topic: test.topic || config.topic, payload: test.payload }));
    },
    close() {
      if (onceTimer !== undefined) ctx.timers.clearTimeout(onceTimer);
      if (repeat !== undefined) ctx.timers.clearInterval(repeat);
    },
  };
});
