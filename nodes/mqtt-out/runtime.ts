import { connectionStatus } from '../connection-status.ts';
import { defineRuntime } from '../define-node.ts';
import { ensureError } from '../errors.ts';
import { isUnavailable, type Message } from '../message.ts';
import { messageFieldText } from '../message-fields.ts';
import { encodePayload } from '../payload.ts';
import { parseTemplate, renderTemplate } from '../template.ts';
import { mqttOutNode } from './definition.ts';

export const mqttOutRuntime = defineRuntime(mqttOutNode, (config, ctx) => {
  const parts = parseTemplate(config.topic);
  const staticTopic = parts.every((p) => 'text' in p) ? config.topic : undefined;
  const broker = ctx.broker(config.broker);
  const options = { qos: config.qos, retain: config.retain };
  // The message being rendered, read by one lookup made once rather than a closure per message.
  let current: Message | undefined;
  const lookup = (field: string): string | undefined => messageFieldText(current!, field);

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
        current = msg;
        const rendered = renderTemplate(parts, lookup);
        current = undefined;
        if (!rendered.ok) {
          ctx.error(new Error(`topic needs {${rendered.missing}}, which this message does not have`), msg);
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
      try {
        broker.publish(topic, encoded.wire, options);
      } catch (error) {
        // The connection checks every topic (validateTopicName, once per publish): a rendered
        // topic it refuses, e.g. a capture holding "+", is this message's error.
        ctx.error(ensureError(error), msg);
      }
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
