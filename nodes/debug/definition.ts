import { z } from 'zod';
import { defineNode } from '../define-node.ts';

export const debugNode = defineNode({
  type: 'debug',
  label: 'Debug',
  category: 'debug',
  help: 'Shows messages in the debug sidebar (and the log of a headless run)',
  inputs: 1,
  outputs: 0,
  config: z.object({
    show: z
      .enum(['payload', 'message'])
      .default('payload')
      .describe('Show only the payload, or the whole message (topic, captures, retained…)'),
    active: z.boolean().default(true).describe('Switch the output off without unwiring the node'),
  }),
});
