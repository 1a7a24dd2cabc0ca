import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { MqttClient } from 'mqtt';
import { connectClient, startMosquitto } from '../../support/brokers.ts';
import { settle, waitFor, waitSubscribed } from '../../support/flows.ts';
import { suiteNeeds } from '../../support/requirements.ts';
import { startTestServer } from '../../support/test-server.ts';

const SUITE = 'deploys lose nothing [mosquitto]';
const STREAM = 2000;

/** Rule A (a relay of numbered messages, and a temperature threshold) and rule B, whose scale factor varies. */
function document(url: string, bFactor: number, aOps: unknown[] = [{ op: 'number' }]) {
  return {
    format: 'topicflow/1',
    brokers: [{ id: 'home', url }],
    nodes: [
      { id: 'a-in', type: 'mqtt-in', config: { broker: 'home', topic: 'zeroloss/a/in', qos: 1 } },
      { id: 'a-pass', type: 'transform', config: { ops: aOps } },
      { id: 'a-out', type: 'mqtt-out', config: { broker: 'home', topic: 'zeroloss/a/out', qos: 1 } },
      { id: 'a-temp', type: 'mqtt-in', config: { broker: 'home', topic: 'zeroloss/a/temp', qos: 1 } },
      { id: 'a-hot', type: 'threshold', config: { above: 25, hysteresis: 2 } },
      { id: 'a-fan', type: 'mqtt-out', config: { broker: 'home', topic: 'zeroloss/a/fan', qos: 1 } },
      { id: 'b-in', type: 'mqtt-in', config: { broker: 'home', topic: 'zeroloss/b/in', qos: 1 } },
      { id: 'b-scale', type: 'transform', config: { ops: [{ op: 'scale', factor: bFactor }] } },
      { id: 'b-out', type: 'mqtt-out', config: { broker: 'home', topic: 'zeroloss/b/out', qos: 1 } },
    ],
    edges: [
      { source: 'a-in', target: 'a-pass' },
      { source: 'a-pass', target: 'a-out' },
      { source: 'a-temp', target: 'a-hot' },
      { source: 'a-hot', target: 'a-fan' },
      { source: 'b-in', target: 'b-scale' },
      { source: 'b-scale', target: 'b-out' },
    ],
  };
}

/** Publish 0…count-1 on zeroloss/a/in at QoS 1, a few at a time so deploys interleave. */
async function stream(publisher: MqttClient, count: number, onSent?: (n: number) => void): Promise<void> {
  for (let n = 0; n < count; n++) {
    await publisher.publishAsync('zeroloss/a/in', String(n), { qos: 1 });
    onSent?.(n);
    if (n % 50 === 49) await new Promise((r) => setTimeout(r, 5));
  }
}

describe(SUITE, suiteNeeds('mosquitto', SUITE), () => {
  it('rule A passes every message exactly once, and keeps its threshold state, while rule B is redeployed 20 times', async () => {
    const broker = await startMosquitto();
    const t = await startTestServer();
    const subscriber = await connectClient(broker.url);
    const publisher = await connectClient(broker.url);
    try {
      const out: number[] = [];
      const fan: string[] = [];
      subscriber.on('message', (topic, payload) => (topic === 'zeroloss/a/out' ? out.push(Number(payload)) : fan.push(payload.toString())));
      await subscriber.subscribeAsync(['zeroloss/a/out', 'zeroloss/a/fan'], { qos: 1 });
      let reply = await t.api('/api/flows', { method: 'PUT', body: document(broker.url, 1) });
      assert.equal(reply.status, 200, reply.text);
      await waitSubscribed(t.server.runtime);
      await publisher.publishAsync('zeroloss/a/temp', '30', { qos: 1 });
      await waitFor(() => fan.length === 1, 'the fan to switch ON');

      const streaming = stream(publisher, STREAM);
      for (let i = 2; i <= 21; i++) {
        reply = await t.api('/api/flows', { method: 'PUT', body: document(broker.url, i) });
        assert.equal(reply.status, 200, reply.text);
        assert.deepEqual(reply.json<{ started: string[] }>().started, ['b-scale'], 'only rule B’s changed node restarts');
      }
      await streaming;
      await waitFor(() => out.length >= STREAM, `all ${STREAM} messages (got ${out.length})`, 15_000);
      await settle(500);
      assert.equal(out.length, STREAM, 'nothing duplicated');
      assert.deepEqual([...out].sort((a, b) => a - b), Array.from({ length: STREAM }, (_, n) => n), 'nothing lost');

      // 24 is inside the hysteresis band: only a threshold that is still ON stays quiet here…
      await publisher.publishAsync('zeroloss/a/temp', '24', { qos: 1 });
      await settle(300);
      assert.deepEqual(fan, ['ON']);
      // …and 22 is below it: the switch back proves the state was ON all along.
      await publisher.publishAsync('zeroloss/a/temp', '22', { qos: 1 });
      await waitFor(() => fan.length === 2, 'the fan to switch OFF');
      assert.deepEqual(fan, ['ON', 'OFF']);
    } finally {
      await subscriber.endAsync();
      await publisher.endAsync();
      await t.close();
      await broker.stop();
    }
  });

  it('a change to a node of rule A loses nothing published after the deploy returned', async () => {
    const broker = await startMosquitto();
    const t = await startTestServer();
    const subscriber = await connectClient(broker.url);
    const publisher = await connectClient(broker.url);
    try {
      const out: number[] = [];
      subscriber.on('message', (topic, payload) => topic === 'zeroloss/a/out' && out.push(Number(payload)));
      await subscriber.subscribeAsync('zeroloss/a/out', { qos: 1 });
      assert.equal((await t.api('/api/flows', { method: 'PUT', body: document(broker.url, 1) })).status, 200);
      await waitSubscribed(t.server.runtime);

      let sent = -1;
      const streaming = stream(publisher, STREAM, (n) => (sent = n));
      await waitFor(() => sent >= STREAM / 4, 'the stream to be under way');
      const reply = await t.api('/api/flows', { method: 'PUT', body: document(broker.url, 1, [{ op: 'number' }, { op: 'round', decimals: 0 }]) });
      assert.equal(reply.status, 200, reply.text);
      assert.deepEqual(reply.json<{ started: string[] }>().started, ['a-pass']);
      const firstAfter = sent + 1;
      await streaming;
      await waitFor(() => out.includes(STREAM - 1), 'the last message', 15_000);
      await settle(500);
      const received = new Set(out);
      const lost = [];
      for (let n = firstAfter; n < STREAM; n++) if (!received.has(n)) lost.push(n);
      assert.deepEqual(lost, [], `messages published after the deploy returned (from ${firstAfter}) all arrive`);
    } finally {
      await subscriber.endAsync();
      await publisher.endAsync();
      await t.close();
      await broker.stop();
    }
  });
});
