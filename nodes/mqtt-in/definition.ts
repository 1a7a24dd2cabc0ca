import { z } from 'zod';
import { brokerRefSchema, qosSchema } from '../common-fields.ts';
import { defineNode } from '../define-node.ts';
import { PAYLOAD_MODES } from '../payload.ts';
import { parseNamedFilter } from '../topic/filter.ts';

const topicFilterSchema = z
  .string()
  .superRefine((filter, ctx) => {
    const parsed = parseNamedFilter(filter);
    if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.error });
    else if (parsed.filter.shareGroup !== undefined) {
      ctx.addIssue({ code: 'custom', message: 'write the share group in the "shareGroup" field, not the topic' });
    }
  })
  .describe('Topic filter; + and # are wildcards, +name captures a level as {name}, e.g. home/+room/temperature');

export const mqttInNode = defineNode({
  type: 'mqtt-in',
  label: 'MQTT in',
  category: 'input',
  help: 'Receives messages on a topic filter from a broker',
  inputs: 0,
  outputs: 1,
  brokerFields: ['broker'],
  config: z.object({
    broker: brokerRefSchema,
    topic: topicFilterSchema,
    qos: qosSchema.default(1),
    payload: z
      .enum(PAYLOAD_MODES)
      .default('auto')
      .describe('auto: JSON → object, numeric text → number, else text; or force json, string, number, raw bytes'),
    shareGroup: z
      .string()
      .regex(/^[^/+#]+$/, 'a share group name cannot contain / + or #')
      .optional()
      .describe('MQTT 5 shared subscription group: each message goes to one runtime of the group'),
    maxBytes: z
      .number()
      .int()
      .min(1)
      .max(256 * 1024 * 1024)
      .default(1024 * 1024)
      .describe('Largest payload accepted, in bytes; larger ones are node errors'),
  }),
});
