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

/** What an actuator received. */
export interface Observed {
  readonly topic: string;
  readonly payload: string;
  readonly qos: number;
  readonly retain: boolean;
}

/** Every fixture in test/fixtures/node-red, by file name without `.json`. */
export function loadFixtures(): { name: string; fixture: Fixture }[] {
  return readdirSync(FIXTURE_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => ({ name: f.slice(0, -5), fixture: JSON.parse(readFileSync(join(FIXTURE_DIR, f), 'utf8')) as Fixture }));
}

/** Gap between fed messages: long enough that each has left both engines before the next. */
const FEED_GAP_MS = 60;
/** The run is over when no actuator message arrived for this long. */
const QUIET_MS = 500;
const MAX_WAIT_MS = 8000;

/** Records actuator messages while `act` runs, until things are quiet; clears retained topics after. */
async function observe(brokerUrl: string, actuators: readonly string[], act: (feeder: MqttClient) => Promise<void>): Promise<Observed[]> {
  const collector = await connectClient(brokerUrl, { protocolVersion: 5, clientId: `tf-collect-${randomBytes(4).toString('hex')}` });
  const feeder = await connectClient(brokerUrl, { clientId: `tf-feed-${randomBytes(4).toString('hex')}` });
  const seen: Observed[] = [];
  let last = Date.now();
  collector.on('message', (topic, payload, packet) => {
    seen.push({ topic, payload: payload.toString('utf8'), qos: packet.qos, retain: packet.retain });
    last = Date.now();
  });
  try {
    // "Retain as published" lets the collector see the retain flag each engine set.
    await collector.subscribeAsync([...actuators], { qos: 2, rap: true });
    await act(feeder);
    last = Date.now();
    const deadline = Date.now() + MAX_WAIT_MS;
    while (Date.now() - last < QUIET_MS && Date.now() < deadline) await sleep(50);
    return seen;
  } finally {
    await collector.endAsync();
    // The next run must not find this run's retained values on its topics.
    for (const topic of new Set(seen.filter((m) => m.retain).map((m) => m.topic))) await feeder.publishAsync(topic, '', { retain: true, qos: 1 });
    await feeder.endAsync();
  }
}

async function feed(feeder: MqttClient, messages: readonly FeedMessage[]): Promise<void> {
  for (const m of messages) {
    const text = typeof m.payload === 'string' ? m.payload : JSON.stringify(m.payload);
    await feeder.publishAsync(m.topic, text, { qos: m.qos ?? 0 });
    await sleep(FEED_GAP_MS);
  }
}

/** The flows with every broker config pointed at the test broker. */
function pointAt(flows: readonly NrNode[], port: number): NrNode[] {
  return flows.map((n) => (n.type === 'mqtt-broker' ? { ...n, broker: '127.0.0.1', port: String(port), usetls: false } : n));
}

/**
 * Deploy the fixture to Node-RED and feed it. Node-RED has no "subscribed" signal, so a probe
 * (mqtt in → mqtt out on the same broker, placed last) is pinged until it answers: the broker
 * handles one client's packets in order, so by then every earlier subscription is active.
 */
export async function runOnNodeRed(nodeRed: NodeRed, brokerPort: number, fixture: Fixture): Promise<Observed[]> {
  const probe = `tf-probe/${randomBytes(6).toString('hex')}`;
  const tab = fixture.flows.find((n) => n.type === 'tab')!.id;
  const brokerId = fixture.flows.find((n) => n.type === 'mqtt-broker')!.id;
  const flows = [
    ...pointAt(fixture.flows, brokerPort),
    { id: 'tfprobein', type: 'mqtt in', z: tab, topic: probe, qos: '0', datatype: 'utf8', broker: brokerId, inputs: 0, x: 0, y: 0, wires: [['tfprobeout']] },
    { id: 'tfprobeout', type: 'mqtt out', z: tab, topic: `${probe}/ack`, qos: '0', retain: 'false', broker: brokerId, x: 0, y: 0, wires: [] },
  ];
  try {
    return await observe(`mqtt://127.0.0.1:${brokerPort}`, fixture.scenario.actuators, async (feeder) => {
      let acked = false;
      feeder.on('message', (topic) => void (topic === `${probe}/ack` && (acked = true)));
      await feeder.subscribeAsync(`${probe}/ack`, { qos: 0 });
      await nodeRed.deploy(flows);
      const deadline = Date.now() + 15_000;
      while (!acked) {
        if (Date.now() > deadline) throw new Error(`Node-RED never answered the probe:\n${nodeRed.log().slice(-3000)}`);
        await feeder.publishAsync(probe, 'ping', { qos: 0 });
        await sleep(100);
      }
      await feed(feeder, fixture.scenario.messages);
    });
  } finally {
    await nodeRed.deploy([]);
  }
}

/** Convert the fixture and run it in topicflow's engine, fed the same way. */
export async function runOnTopicflow(brokerUrl: string, fixture: Fixture): Promise<Observed[]> {
  const { document } = convertNodeRed(fixture);
  const pointed = { ...document, brokers: (document.brokers ?? []).map((b) => ({ ...b, url: brokerUrl })) };
  let flow: ReturnType<typeof runFlow> | undefined;
  try {
    return await observe(brokerUrl, fixture.scenario.actuators, async (feeder) => {
      flow = runFlow(pointed);
      const subscribes = document.nodes.some((n) => n.type === 'mqtt-in');
      if (subscribes) await waitSubscribed(flow);
      else await waitFor(() => flow!.pool.stats().every((c) => c.stats.state === 'connected'), 'broker connection');
      await feed(feeder, fixture.scenario.messages);
    });
  } finally {
    await flow?.stop();
  }
}
