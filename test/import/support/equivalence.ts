/**
 * Running one Node-RED flow two ways — in real Node-RED, and converted, in topicflow — against
 * the same Mosquitto with the same input messages, and recording what reaches the actuator
 * topics (topic, payload, QoS, retain) in arrival order.
 */
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import type { MqttClient } from 'mqtt';
import { convertNodeRed } from '../../../nodes/import/convert.ts';
import type { NrNode } from '../../../nodes/import/node-red.ts';
import type { NodeCounters } from '../../../nodes/protocol.ts';
import { topicMatchesFilter } from '../../../nodes/topic/filter.ts';
import { connectClient } from '../../support/brokers.ts';
import { runFlow, waitFor, waitSubscribed } from '../../support/flows.ts';
import type { NodeRed } from './node-red.ts';

export const FIXTURE_DIR = fileURLToPath(new URL('../../fixtures/node-red/', import.meta.url));

/** A message the test publishes as if a device sent it. */
export interface FeedMessage {
  readonly topic: string;
  /** Text is sent as it is; anything else as JSON. */
  readonly payload: unknown;
  readonly qos?: 0 | 1 | 2;
}

/** A fixture: a Node-RED export (`flows`) with the scenario that exercises it. */
export interface Fixture {
  readonly description: string;
  readonly flows: NrNode[];
  readonly scenario: { readonly actuators: readonly string[]; readonly messages: readonly FeedMessage[] };
}

/** What an actuator received, and after which fed message (-1: before the first). */
export interface Observed {
  readonly topic: string;
  readonly payload: string;
  readonly qos: number;
  readonly retain: boolean;
  readonly step: number;
}



/** Every fixture in test/fixtures/node-red, by file name without `.json`. */
export function loadFixtures(): { name: string; fixture: Fixture }[] {
  return readdirSync(FIXTURE_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => ({ name: f.slice(0, -5), fixture: JSON.parse(readFileSync(join(FIXTURE_DIR, f), 'utf8')) as Fixture }));
}

/** The run is over when no actuator message arrived for this long after the last input. */
const QUIET_MS = 400;
const MAX_WAIT_MS = 10_000;
/**
 * Junctions the Node-RED probe passes before it answers. Node-RED delivers messages in the
 * order they are sent (each hop is queued behind what is already queued), so a probe sent
 * after an input and taking more hops than the input's longest path answers only once that
 * input has been handled everywhere. The fixtures' paths are at most 7 hops long.
 */
const PROBE_HOPS = 16;

/** Waits until the engine has dealt with fed message number `step` (and published its answers). */
type Barrier = (step: number, message: FeedMessage, collected: () => number) => Promise<void>;

/**
 * Records actuator messages while the fixture's messages are fed one by one, each followed by
 * the engine's barrier, so every answer is counted against the message that caused it. Clears
 * the retained topics it saw afterwards.
 */
async function observe(brokerUrl: string, fixture: Fixture, start: (feeder: MqttClient) => Promise<Barrier>): Promise<Observed[]> {
  const collector = await connectClient(brokerUrl, { protocolVersion: 5, clientId: `tf-collect-${randomBytes(4).toString('hex')}` });
  const feeder = await connectClient(brokerUrl, { clientId: `tf-feed-${randomBytes(4).toString('hex')}` });
  const seen: Observed[] = [];
  let step = -1;
  let last = Date.now();
  collector.on('message', (topic, payload, packet) => {
    seen.push({ topic, payload: payload.toString('utf8'), qos: packet.qos, retain: packet.retain, step });
    last = Date.now();
  });
  try {
    // "Retain as published" lets the collector see the retain flag each engine set.
    await collector.subscribeAsync([...fixture.scenario.actuators], { qos: 2, rap: true });
    const barrier = await start(feeder);
    for (const message of fixture.scenario.messages) {
      step++;
      const text = typeof message.payload === 'string' ? message.payload : JSON.stringify(message.payload);
      await feeder.publishAsync(message.topic, text, { qos: message.qos ?? 0 });
      await barrier(step, message, () => seen.length);
    }
    step++;
    last = Date.now();
    const deadline = Date.now() + MAX_WAIT_MS;
    while (Date.now() - last < QUIET_MS && Date.now() < deadline) await sleep(50);
    return seen.map((m) => ({ ...m, step: Math.min(m.step, fixture.scenario.messages.length - 1) }));
  } finally {
    await collector.endAsync();
    // The next run must not find this run's retained values on its topics.
    for (const topic of new Set(seen.filter((m) => m.retain).map((m) => m.topic))) await feeder.publishAsync(topic, '', { retain: true, qos: 1 });
    await feeder.endAsync();
  }
}

/** The flows with every broker config pointed at the test broker. */
function pointAt(flows: readonly NrNode[], port: number): NrNode[] {
  return flows.map((n) => (n.type === 'mqtt-broker' ? { ...n, broker: '127.0.0.1', port: String(port), usetls: false } : n));
}

/**
 * Deploy the fixture to Node-RED and feed it. A probe — mqtt in, a chain of junctions, mqtt
 * out, placed last — is the barrier: pinged until it answers once after the deploy (the broker
 * handles one client's packets in order, so every earlier subscription is active by then), and
 * after each fed message (see PROBE_HOPS).
 */
export async function runOnNodeRed(nodeRed: NodeRed, brokerPort: number, fixture: Fixture): Promise<Observed[]> {
  const probe = `tf-probe/${randomBytes(6).toString('hex')}`;
  const tab = fixture.flows.find((n) => n.type === 'tab')!.id;
  const brokerId = fixture.flows.find((n) => n.type === 'mqtt-broker')!.id;
  const hop = (i: number) => `tfprobe${i}`;
  const chain = Array.from({ length: PROBE_HOPS }, (_, i) => ({ id: hop(i), type: 'junction', z: tab, x: 0, y: 0, wires: [[i + 1 < PROBE_HOPS ? hop(i + 1) : 'tfprobeout']] }));
  const flows = [
    ...pointAt(fixture.flows, brokerPort),
    ...chain,
    { id: 'tfprobein', type: 'mqtt in', z: tab, topic: probe, qos: '0', datatype: 'utf8', broker: brokerId, inputs: 0, x: 0, y: 0, wires: [[hop(0)]] },
    { id: 'tfprobeout', type: 'mqtt out', z: tab, topic: `${probe}/ack`, qos: '0', retain: 'false', broker: brokerId, x: 0, y: 0, wires: [] },
  ];
  try {
    return await observe(`mqtt://127.0.0.1:${brokerPort}`, fixture, async (feeder) => {
      const acks = new Set<string>();
      feeder.on('message', (topic, payload) => void (topic === `${probe}/ack` && acks.add(payload.toString())));
      await feeder.subscribeAsync(`${probe}/ack`, { qos: 0 });
      const ping = async (id: string, repeat: boolean): Promise<void> => {
        const deadline = Date.now() + MAX_WAIT_MS;
        await feeder.publishAsync(probe, id, { qos: 0 });
        while (!acks.has(id)) {
          if (Date.now() > deadline) throw new Error(`Node-RED did not answer probe ${id}:\n${nodeRed.log().slice(-3000)}`);
          await sleep(repeat ? 100 : 5);
          if (repeat) await feeder.publishAsync(probe, id, { qos: 0 });
        }
      };
      await nodeRed.deploy(flows);
      await ping('ready', true);
      return async (step) => {
        await ping(String(step), false);
        // The answer went to another client than the actuator messages; let those land too.
        await sleep(20);
      };
    });
  } finally {
    await nodeRed.deploy([]);
  }
}

/**
 * Convert the fixture and run it in topicflow's engine, fed the same way. The barrier reads
 * the engine's counters: the message has arrived at every matching mqtt-in, no transform is
 * still evaluating, nothing moved for two polls, and the collector has every message the
 * mqtt-out nodes published.
 */
export async function runOnTopicflow(brokerUrl: string, fixture: Fixture): Promise<Observed[]> {
  const { document } = convertNodeRed(fixture);
  const pointed = { ...document, brokers: (document.brokers ?? []).map((b) => ({ ...b, url: brokerUrl })) };
  let flow: ReturnType<typeof runFlow> | undefined;
  const typeOf = new Map(document.nodes.map((n) => [n.id, n.type]));
  const inputs = document.nodes.filter((n) => n.type === 'mqtt-in').map((n) => ({ id: n.id, filter: String(n.config?.['topic']) }));
  const sum = (counters: Record<string, NodeCounters>, type: string, key: keyof NodeCounters) =>
    Object.entries(counters).reduce((total, [id, c]) => total + (typeOf.get(id) === type ? c[key] : 0), 0);
  try {
    return await observe(brokerUrl, fixture, async () => {
      flow = runFlow(pointed);
      const running = flow;
      if (inputs.length > 0) await waitSubscribed(running);
      else await waitFor(() => running.pool.stats().every((c) => c.stats.state === 'connected'), 'broker connection');
      let arrived = sum(running.engine.counters(), 'mqtt-in', 'in');
      return async (step, message, collected) => {
        arrived += inputs.filter((i) => topicMatchesFilter(i.filter, message.topic)).length;
        const deadline = Date.now() + MAX_WAIT_MS;
        let before = JSON.stringify(running.engine.counters());
        for (;;) {
          if (Date.now() > deadline) throw new Error(`topicflow did not settle after message ${step}: ${before}`);
          await sleep(20);
          const counters = running.engine.counters();
          const now = JSON.stringify(counters);
          const transformsIdle = Object.entries(counters).every(([id, c]) => typeOf.get(id) !== 'transform' || c.in === c.out + c.errors);
          if (now === before && transformsIdle && sum(counters, 'mqtt-in', 'in') >= arrived && collected() >= sum(counters, 'mqtt-out', 'out')) return;
          before = now;
        }
      };
    });
  } finally {
    await flow?.stop();
  }
}
/**
 * The observed messages in the order that is comparable between the engines: by the input
 * message that caused them, and on each topic in arrival order. Across different topics, the
 * messages one input causes may leave topicflow in another order than Node-RED (parallel
 * branches each wait for their own JSONata evaluation), so they are listed by topic.
 */
export function byInputAndTopic(observed: readonly Observed[]): { step: number; topics: Record<string, { payload: string; qos: number; retain: boolean }[]> }[] {
  const groups = new Map<number, Record<string, { payload: string; qos: number; retain: boolean }[]>>();
  for (const { step, topic, payload, qos, retain } of observed) {
    const group = groups.get(step) ?? {};
    groups.set(step, group);
    (group[topic] ??= []).push({ payload, qos, retain });
  }
  return [...groups.entries()].map(([step, topics]) => ({ step, topics: Object.fromEntries(Object.entries(topics).sort(([a], [b]) => a.localeCompare(b))) }));
}
