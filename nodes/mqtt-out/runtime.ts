import { connectionStatus } from '../connection-status.ts';
import { defineRuntime, type BrokerHandle, type ConfigOf, type NodeContext, type NodeInstance, type PublishOptions } from '../define-node.ts';
import { ensureError } from '../errors.ts';
import { isUnavailable, type Message } from '../message.ts';
import { messageFieldText } from '../message-fields.ts';
import { encodePayload } from '../payload.ts';
import { parseTemplate, renderTemplate, type TemplatePart } from '../template.ts';
import { mqttOutNode } from './definition.ts';

export const mqttOutRuntime = defineRuntime(mqttOutNode, (config, ctx) => new MqttOutNode(config, ctx));

/**
 * A class, its input a method on the prototype all mqtt-out nodes share: with 1,000 rules each
 * closure of a node was one more object to fetch from memory per message (see ThresholdNode).
 */
class MqttOutNode implements NodeInstance {
  private readonly parts: readonly TemplatePart[];
  /** A topic without fields is its text with `{{` and `}}` read as braces, not the raw config. */
  private readonly staticTopic: string | undefined;
  private readonly broker: BrokerHandle;
  private readonly options: PublishOptions;
  private readonly json: boolean;
  // `actuator/{room}/fan`, one field between two texts, is rendered from these three strings,
  // so that a message reads no part objects (they are cold in the cache with many rules).
  private readonly single: boolean;
  private readonly prefix: string;
  private readonly field: string;
  private readonly suffix: string;
  private readonly stopStatus: () => void;
  // The message being rendered, read by one lookup made once rather than a closure per message.
  private current: Message | undefined;
  private readonly lookup = (field: string): string | undefined => messageFieldText(this.current!, field);

  constructor(
    config: ConfigOf<typeof mqttOutNode>,
    private readonly ctx: NodeContext,
  ) {
    this.parts = parseTemplate(config.topic);
    this.staticTopic = this.parts.every((p) => 'text' in p) ? this.parts.map((p) => ('text' in p ? p.text : '')).join('') : undefined;
    this.broker = ctx.broker(config.broker);
    this.options = { qos: config.qos, retain: config.retain };
    this.json = config.format === 'json';
    const single = oneField(this.parts);
    this.single = single !== undefined;
    [this.prefix, this.field, this.suffix] = single ?? ['', '', ''];
    this.stopStatus = this.broker.onState((state, reason) => ctx.status(connectionStatus(state, reason)));
    ctx.status(connectionStatus(this.broker.state));
  }

  input(msg: Message): void {
    if (isUnavailable(msg.payload)) {
      this.ctx.unavailable(msg);
      return;
    }
    const topic = this.topicOf(msg);
    if (topic === undefined) return;
    let wire: string | Uint8Array;
    // Text (ON/OFF, the usual payload) is its own wire form in auto format.
    if (typeof msg.payload === 'string' && !this.json) wire = msg.payload;
    else {
      const encoded = this.json ? jsonWire(msg.payload) : encodePayload(msg.payload);
      if (!encoded.ok) {
        this.ctx.error(new Error(encoded.error), msg);
        return;
      }
      wire = encoded.wire;
    }
    try {
      this.broker.publish(topic, wire, this.options);
    } catch (error) {
      // The connection checks every topic (validateTopicName, once per publish): a rendered
      // topic it refuses, e.g. a capture holding "+", is this message's error.
      this.ctx.error(ensureError(error), msg);
    }
  }

  close(): void {
    this.stopStatus();
  }

  /** The topic to publish `msg` on; undefined (after reporting the error) when a field is missing. */
  private topicOf(msg: Message): string | undefined {
    const value = this.single ? messageFieldText(msg, this.field) : undefined;
    if (value !== undefined) return this.prefix + value + this.suffix;
    if (this.staticTopic !== undefined) return this.staticTopic;
    this.current = msg;
    const rendered = renderTemplate(this.parts, this.lookup);
    this.current = undefined;
    if (rendered.ok) return rendered.value;
    this.ctx.error(new Error(`topic needs {${rendered.missing}}, which this message does not have`), msg);
    return undefined;
  }
}

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
