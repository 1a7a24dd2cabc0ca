import { z } from 'zod';
import { brokerRefSchema, qosSchema } from '../common-fields.ts';
import { defineNode } from '../define-node.ts';
import { parseTemplate } from '../template.ts';
import { validateTopicName } from '../topic/filter.ts';

const topicTemplateSchema = z
  .string()
  .min(1, 'must not be empty')
  .superRefine((template, ctx) => {
    let parts;
    try {
      parts = parseTemplate(template);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: (error as Error).message });
      return;
    }
    // Fields stand for text that is checked again after rendering; the literal text must be valid now.
    const sample = parts.map((p) => ('text' in p ? p.text : 'x')).join('');
    const problem = validateTopicName(sample);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  })
  .describe('Topic to publish on; {room} takes a captured wildcard, {payload.x} or {topic} a message field');

export const mqttOutNode = defineNode({
  type: 'mqtt-out',
  label: 'MQTT out',
  category: 'output',
  help: 'Publishes each message to a topic on a broker',
  inputs: 1,
  outputs: 0,
  brokerFields: ['broker'],
  config: z.object({
    broker: brokerRefSchema,
    topic: topicTemplateSchema,
    qos: qosSchema.default(1),
    retain: z.boolean().default(false).describe('Keep the last value on the broker for later subscribers'),
    format: z
      .enum(['auto', 'json'])
      .default('auto')
      .describe('auto: text as is (ON), numbers as decimals, objects as JSON; json: always JSON ("ON" quoted)'),
  }),
});
