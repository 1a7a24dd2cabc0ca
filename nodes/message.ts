/**
 * The message that travels between nodes. Messages are immutable inside the engine:
 * a node that changes something makes a new message (`{ ...msg, payload }`), so fanning
 * one message out to several edges needs no copy.
 */
export type Qos = 0 | 1 | 2;

/**
 * A device reported "no value": a bare `nan`, an empty payload, `unavailable`, `unknown`,
 * `offline`, or a JSON `null`. It is a value of its own so that nothing mistakes it for 0
 * or a string, and by default it changes no state and fires nothing.
 */
export const UNAVAILABLE: unique symbol = Symbol.for('topicflow.unavailable');
export type Unavailable = typeof UNAVAILABLE;

export function isUnavailable(value: unknown): value is Unavailable {
  return value === UNAVAILABLE;
}

export interface Message {
  /** The topic the message is about: the MQTT topic it arrived on, or one a node set. */
  readonly topic: string;
  readonly payload: unknown;
  readonly qos: Qos;
  /** True when the broker sent it as a stored retained value (on subscribe), not live. */
  readonly retained: boolean;
  /** Values of named wildcards (`+room` → `{ room: 'kitchen' }`) from the mqtt-in filter. */
  readonly captures: Readonly<Record<string, string>>;
  /** The MQTT topic the message first entered the flow on; per-topic state is keyed by it. */
  readonly sourceTopic: string;
  /** How many nodes the message has passed; the engine stops a message caught in a loop. */
  readonly hops: number;
}

/** A message for a node that creates one from nothing (inject, tests). */
export function newMessage(fields: Partial<Message> & Pick<Message, 'payload'>): Message {
  const topic = fields.topic ?? '';
  return {
    topic,
    payload: fields.payload,
    qos: fields.qos ?? 0,
    retained: fields.retained ?? false,
    captures: fields.captures ?? {},
    sourceTopic: fields.sourceTopic ?? topic,
    hops: fields.hops ?? 0,
  };
}
