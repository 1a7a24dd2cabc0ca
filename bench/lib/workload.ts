/**
 * The reference workload: K independent rules, each "sensor JSON → take `temperature` →
 * threshold 25 → ON/OFF → actuator/<k>/<room>/fan", as a topicflow document and as the
 * topics and payloads the load generator uses. Thresholds use `emit: 'every'`, so every
 * input produces exactly one output, which is how the bench counts work done.
 */

export type BenchQos = 0 | 1;

export const BROKER_ID = 'bench';

export function sensorTopic(rule: number, room: string): string {
  return `sensors/${rule}/${room}/th`;
}

export function actuatorTopic(rule: number, room: string): string {
  return `actuator/${rule}/${room}/fan`;
}

/** Rule and room of an actuator topic, or undefined for anything else. */
export function parseActuatorTopic(topic: string): { rule: number; room: string } | undefined {
  const parts = topic.split('/');
  if (parts.length !== 4 || parts[0] !== 'actuator' || parts[3] !== 'fan') return undefined;
  const rule = Number(parts[1]);
  return Number.isInteger(rule) ? { rule, room: parts[2]! } : undefined;
}

/** A Zigbee2MQTT-style temperature/humidity sensor report. */
export function sensorPayload(temperature: number): Buffer {
  return Buffer.from(
    JSON.stringify({ battery: 97, humidity: 48.2, linkquality: 134, temperature, voltage: 2995 }),
  );
}

/** Payloads the load cycles through: temperatures on both sides of 25, so both ON and OFF are sent. */
export const LOAD_PAYLOADS: readonly Buffer[] = [21.5, 23.0, 24.5, 25.5, 26.0, 27.5, 22.0, 28.5].map(sensorPayload);
/** Rooms per rule in the load phases, as a home has a few rooms behind one wildcard rule. */
export const LOAD_ROOMS: readonly string[] = ['kitchen', 'bedroom', 'office', 'bath'];

export interface RulesOptions {
  readonly rules: number;
  readonly qos: BenchQos;
  readonly brokerUrl: string;
  /** Threshold of each rule (default 25 for all). */
  readonly above?: (rule: number) => number;
}

/** A topicflow/1 document with `rules` independent rules of four nodes each. */
export function rulesDocument(options: RulesOptions): Record<string, unknown> {
  const nodes: unknown[] = [];
  const edges: unknown[] = [];
  for (let k = 0; k < options.rules; k++) {
    const id = (part: string) => `${part}${k}`;
    nodes.push(
      { id: id('in'), type: 'mqtt-in', config: { broker: BROKER_ID, topic: `sensors/${k}/+room/th`, qos: options.qos } },
      { id: id('tf'), type: 'transform', config: { ops: [{ op: 'path', path: 'temperature' }] } },
      { id: id('th'), type: 'threshold', config: { above: options.above?.(k) ?? 25, emit: 'every' } },
      { id: id('out'), type: 'mqtt-out', config: { broker: BROKER_ID, topic: `actuator/${k}/{room}/fan`, qos: options.qos } },
    );
    edges.push(
      { source: id('in'), target: id('tf') },
      { source: id('tf'), target: id('th') },
      { source: id('th'), target: id('out') },
    );
  }
  return {
    format: 'topicflow/1',
    name: `bench: ${options.rules} rule(s), QoS ${options.qos}`,
    brokers: [{ id: BROKER_ID, url: options.brokerUrl }],
    nodes,
    edges,
  };
}
