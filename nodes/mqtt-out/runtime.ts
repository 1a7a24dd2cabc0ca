import { connectionStatus } from '../connection-status.ts';
import { defineRuntime } from '../define-node.ts';
import { isUnavailable } from '../message.ts';
import { messageFieldText } from '../message-fields.ts';
import { encodePayload } from '../payload.ts';
import { parseTemplate, renderTemplate } from '../template.ts';
import { validateTopicName } from '../topic/filter.ts';
import { mqttOutNode } from './definition.ts';

export const mqttOutRuntime = defineRuntime(mqttOutNode, (config, ctx) => {
  const parts = parseTemplate(config.topic);
  const staticTopic = parts.every((p) => 'text' in p) ? config.topic : undefined;
  const broker = ctx.broker(config.broker);
  const options = { qos: config.qos, retain: config.retain };

  const stopStatus = broker.onState((state, reason) => ctx.status(connectionStatus(state, reason)));
  ctx.status(connectionStatus(broker.state));

  return {
    input(msg) {
      if (isUnavailable(msg.payload)) {
        ctx.unavailable(msg);
        return;
      }
      let topic = staticTopic;
      if (topic === undefined) {
        const rendered = renderTemplate(parts, (field) => messageFieldText(msg, field));
        if (!rendered.ok) {
          ctx.error(new Error(`topic needs {${rendered.missing}}, which this message does not have`), msg);
          return;
        }
        const problem = validateTopicName(rendered.value);
        if (problem) {
          ctx.error(new Error(`topic "${rendered.value}": ${problem}`), msg);
          return;
        }
        topic = rendered.value;
      }
      const encoded =
        config.format === 'json' ? jsonWire(msg.payload) : encodePayload(msg.payload);
      if (!encoded.ok) {
        ctx.error(new Error(encoded.error), msg);
        return;
      }
      broker.publish(topic, encoded.wire, options);
    },
    close() {
      stopStatus();
    },
  };
});

function jsonWire(value: unknown): { ok: true; wire: string } | { ok: false; error: string } {
  if (value instanceof Uint8Array) return { ok: false, error: 'binary data cannot be sent as JSON' };
  const text = JSON.stringify(value);
  return text === undefined ? { ok: false, error: 'this value has no JSON form' } : { ok: true, wire: text };
}
