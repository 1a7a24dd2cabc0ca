import { z } from 'zod';
import { jsonValueSchema } from '../common-fields.ts';
import { defineNode } from '../define-node.ts';

export const injectNode = defineNode({
  type: 'inject',
  label: 'Inject',
  category: 'input',
  help: 'Sends a test value by hand, once at start, or every few seconds',
  inputs: 0,
  outputs: 1,
  config: z.object({
    payload: jsonValueSchema.default('').describe('The value to send: text, a number, true/false or JSON'),
    topic: z.string().max(65535).default('').describe('Topic the message carries (mqtt-out may use it as {topic})'),
    once: z.boolean().default(false).describe('Send once right after deploy'),
    interval: z
      .number()
      .min(0.1, 'the interval must be at least 0.1 seconds')
      .max(31 * 24 * 3600)
      .optional()
      .describe('Repeat every this many seconds'),
  }),
});
