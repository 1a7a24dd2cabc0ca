import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { MqttClient } from 'mqtt';
import { collect, connectClient, forEachBroker, type TestBroker } from '../support/brokers.ts';
import { runFlow, settle, waitFor, waitSubscribed, type RunningFlow } from '../support/flows.ts';

/** The reference rule: a Zigbee2MQTT sensor per room switches that room's fan. */
function fanRule(url: string, qos: 0 | 1 | 2, protocolVersion: 4 | 5 = 4) {
  return {
    format: 'topicflow/1',
    brokers: [{ id: 'home', url, protocolVersion }],
    nodes: [
      { id: 'in', type: 'mqtt-in', config: { broker: 'home', topic: 'zigbee2mqtt/+room/th_sensor', qos } },
      { id: 'temp', type: 'transform', config: { ops: [{ op: 'path', path: 'temperature' }] } },
      { id: 'hot', type: 'threshold', config: { above: 25, hysteresis: 0.5 } },
      { id: 'out', type: 'mqtt-out', config: { broker: 'home', topic: 'actuator/{room}/fan', qos } },
      { id: 'seen', type: 'debug', config: { show: 'message' } },
    ],
    edges: [
      { source: 'in', target: 'temp' },
      { source: 'in', target: 'seen' },
      { source: 'temp', target: 'hot' },
      { source: 'hot', target: 'out' },
    ],
  };
}

forEachBroker('flows end to end', (kind) => {
  let broker: TestBroker;
  let client: MqttClient;
  const flows: RunningFlow[] = [];
  const start = (doc: unknown) => {
    const flow = runFlow(doc);
    flows.push(flow);
    return flow;
  };

  before(async () => {
    broker = await kind.start();
    client = await connectClient(broker.url);
    await client.subscribeAsync('actuator/#', { qos: 2 });
  });
  after(async () => {
    await Promise.all(flows.map((f) => f.stop()));
    await client?.endAsync();
    await broker?.stop();
  });

  for (const protocolVersion of kind.protocolVersions) {
    for (const qos of [0, 1, 2] as const) {
      it(`switches a fan from a Zigbee2MQTT reading at QoS ${qos}, MQTT ${protocolVersion === 5 ? '5' : '3.1.1'}`, async () => {
        const flow = start(fanRule(broker.url, qos, protocolVersion));
        await waitSubscribed(flow);
        const room = `room_q${qos}_v${protocolVersion}`;
        const got = collect(client, `actuator/${room}/fan`, 2, 4000);
        await client.publishAsync(`zigbee2mqtt/${room}/th_sensor`, '{"temperature":27.34,"humidity":44.72}', { qos });
        await client.publishAsync(`zigbee2mqtt/${room}/th_sensor`, '{"temperature":24.1,"humidity":44.72}', { qos });
        const messages = await got;
        assert.deepEqual(messages.map((m) => [m.topic, m.payload, m.qos]), [
          [`actuator/${room}/fan`, 'ON', qos],
          [`actuator/${room}/fan`, 'OFF', qos],
        ]);
        await flow.stop();
      });
    }
  }

  it('acts on a retained sensor value when it subscribes, and marks it retained', async () => {
    await client.publishAsync('zigbee2mqtt/attic/th_sensor', '{"temperature":31}', { qos: 1, retain: true });
    const got = collect(client, 'actuator/attic/fan', 1, 4000);
    const flow = start(fanRule(broker.url, 1));
    assert.deepEqual((await got).map((m) => m.payload), ['ON']);
    const seen = flow.debug.find((d) => d.topic === 'zigbee2mqtt/attic/th_sensor');
    assert.equal((seen?.value as { retained?: boolean }).retained, true);
    await client.publishAsync('zigbee2mqtt/attic/th_sensor', '', { qos: 1, retain: true });
    await flow.stop();
  });

  it('gives each mqtt-in exactly one copy of a message, however their filters overlap', async () => {
    const nodes = ['home/#', 'home/+/temperature', 'home/kitchen/#', 'home/kitchen/temperature', 'home/kitchen/temperature'].map(
      (topic, i) => ({ id: `in${i}`, type: 'mqtt-in', config: { broker: 'b', topic, qos: 1 } }),
    );
    const flow = start({
      format: 'topicflow/1',
      brokers: [{ id: 'b', url: broker.url }],
      nodes: [...nodes, { id: 'd', type: 'debug', config: {} }],
      edges: nodes.map((n) => ({ source: n.id, target: 'd' })),
    });
    await waitSubscribed(flow);
    for (let i = 0; i < 5; i++) await client.publishAsync('home/kitchen/temperature', String(20 + i), { qos: 1 });
    await client.publishAsync('home/hall/temperature', '19', { qos: 1 });
    await waitFor(() => flow.debug.length >= 5 * 5 + 2, 'all deliveries');
    await settle();
    const counters = flow.engine.counters();
    assert.deepEqual(
      nodes.map((n) => counters[n.id]!.out),
      [6, 6, 5, 5, 5],
      `deliveries per node (broker subscriptions: ${JSON.stringify(flow.pool.stats().map((s) => s.stats.subscriptions))})`,
    );
    await flow.stop();
  });

  it('replays a retained value only into the node a deploy adds, not into the running ones', async () => {
    await client.publishAsync('garden/soil/moisture', '41', { qos: 1, retain: true });
    const first = {
      format: 'topicflow/1',
      brokers: [{ id: 'b', url: broker.url }],
      nodes: [
        { id: 'old', type: 'mqtt-in', config: { broker: 'b', topic: 'garden/+/moisture' } },
        { id: 'd1', type: 'debug', config: {} },
      ],
      edges: [{ source: 'old', target: 'd1' }],
    };
    const flow = start(first);
    await waitFor(() => flow.debug.length === 1, 'the retained value at first subscribe');
    flow.engine.deploy(
      (await import('../support/flows.ts')).validDocument({
        ...first,
        nodes: [...first.nodes, { id: 'new', type: 'mqtt-in', config: { broker: 'b', topic: 'garden/#' } }, { id: 'd2', type: 'debug', config: {} }],
        edges: [...first.edges, { source: 'new', target: 'd2' }],
      }),
    );
    await waitFor(() => flow.debug.some((d) => d.nodeId === 'd2'), 'the retained value for the new node');
    await settle();
    assert.deepEqual(flow.debug.map((d) => d.nodeId), ['d1', 'd2']);
    await client.publishAsync('garden/soil/moisture', '39', { qos: 1 });
    await waitFor(() => flow.debug.length === 4, 'a live value reaching both nodes once');
    await settle();
    assert.equal(flow.debug.length, 4);
    await client.publishAsync('garden/soil/moisture', '', { qos: 1, retain: true });
    await flow.stop();
  });
});
