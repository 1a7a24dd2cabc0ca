import { connectionStatus } from '../connection-status.ts';
import { defineRuntime } from '../define-node.ts';
import { ensureError } from '../errors.ts';
import { isUnavailable, type Message } from '../message.ts';
import { messageFieldText } from '../message-fields.ts';
import { encodePayload } from '../payload.ts';
import { parseTemplate, renderTemplate, type TemplatePart } from '../template.ts';
import { mqttOutNode } from './definition.ts';

export const mqttOutRuntime = defineRuntime(mqttOutNode, (config, ctx) => {
  const parts = parseTemplate(config.topic);
  // A topic without fields is its text with `{{` and `}}` read as braces, not the raw config.
  const staticTopic = parts.every((p) => 'text' in p) ? parts.map((p) => ('text' in p ? p.text : '')).join('') : undefined;
  const broker = ctx.broker(config.broker);
  const options = { qos: config.qos, retain: config.retain };
  const json = config.format === 'json';
  // The message being rendered, read by one lookup made once rather than a closure per message.
  let current: Message | undefined;
  const lookup = (field: string): string | undefined => messageFieldText(current!, field);
  // `actuator/{room}/fan`, one field between two texts, is rendered from these three strings,
  // so that a message reads no part objects (they are cold in the cache with many rules).
  const single = oneField(parts);
  const [prefix, field, suffix] = single ?? ['', '', ''];

  const stopStatus = broker.onState((state, reason) => ctx.status(connectionStatus(state, reason)));
  ctx.status(connectionStatus(broker.state));

  return {
    input(msg) {
      if (isUnavailable(msg.payload)) {
        ctx.unavailable(msg);
        return;
      }
      let topic = staticTopic;
      const value = single ? messageFieldText(msg, field) : undefined;
      if (value !== undefined) topic = prefix + value + suffix;
      else if (topic === undefined) {
        current = msg;
        const rendered = renderTemplate(parts, lookup);
        current = undefined;
        if (!rendered.ok) {
          ctx.error(new Error(`topic needs {${rendered.missing}}, which this message does not have`), msg);
          return;
        }
        topic = rendered.value;
      }
      let wire: string | Uint8Array;
      // Text (ON/OFF, the usual payload) is its own wire form in auto format.
      if (typeof msg.payload === 'string' && !json) wire = msg.payload;
      else {
        const encoded = json ? jsonWire(msg.payload) : encodePayload(msg.payload);
        if (!encoded.ok) {
          ctx.error(new Error(encoded.error), msg);
          return;
        }
        wire = encoded.wire;
      }
      try {
        broker.publish(topic, wire, options);
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

/** Prefix, field and suffix of a template that has exactly one field; undefined otherwise. */
function oneField(parts: readonly TemplatePart[]): [string, string, string] | undefined {
  const fields = parts.filter((p) => 'field' in p);
  if (fields.length !== 1) return undefined;
  // parseTemplate joins neighbouring texts, so a text can only stand right before or after it.
  const at = parts.indexOf(fields[0]!);
  const text = (p: TemplatePart | undefined): string => (p && 'text' in p ? p.text : '');
  return [at === 1 ? text(parts[0]) : '', (fields[0] as { field: string }).field, text(parts[at + 1])];
}

function jsonWire(value: unknown): { ok: true; wire: string } | { ok: false; error: string } {
  if (value instanceof Uint8Array) return { ok: false, error: 'binary data cannot be sent as JSON' };
  const text = JSON.stringify(value);
  return text === undefined ? { ok: false, error: 'this value has no JSON form' } : { ok: true, wire: text };
}
