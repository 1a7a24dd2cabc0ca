import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { MqttClient } from 'mqtt';
import { connectClient, startAedes, type TestBroker } from '../../support/brokers.ts';
import { settle, waitFor, waitSubscribed } from '../../support/flows.ts';
import { startTestServer, type TestServer } from '../../support/test-server.ts';

/** A heater that goes ON after the room has been below 18 °C for 2 s, per room. */
function heaterFlow(url: string) {
  return {
    format: 'topicflow/1',
    brokers: [{ id: 'home', url }],
    nodes: [
      { id: 'temp', type: 'mqtt-in', config: { broker: 'home', topic: 'home/+room/temperature', qos: 1 } },
      { id: 'cold', type: 'threshold', config: { below: 18, hysteresis: 1, for: 2 } },
      { id: 'heater', type: 'mqtt-out', config: { broker: 'home', topic: 'home/{room}/heater', qos: 1 } },
    ],
    edges: [
      { source: 'temp', target: 'cold' },
      { source: 'cold', target: 'heater' },
    ],
  };
}

describe('node state across a restart', () => {
  let broker: TestBroker;
  let client: MqttClient;
  const heater: { topic: string; payload: string; at: number }[] = [];
  before(async () => {
    broker = await startAedes();
    client = await connectClient(broker.url);
    client.on('message', (topic, payload) => heater.push({ topic, payload: payload.toString(), at: Date.now() }));
    await client.subscribeAsync('home/+/heater', { qos: 1 });
  });
  after(async () => {
    await client.endAsync();
    await broker.stop();
  });

  it('keeps per-room states and a pending `for` deadline, so a restart neither repeats nor forgets a switch', async () => {
    let t: TestServer = await startTestServer();
    const dataDir = t.dataDir;
    try {
      assert.equal((await t.api('/api/flows', { method: 'PUT', body: heaterFlow(broker.url) })).status, 200);
      await waitSubscribed(t.server.runtime);
      await client.publishAsync('home/kitchen/temperature', '21', { qos: 1 });
      await waitFor(() => heater.length === 1, 'the kitchen state');
      const coldSince = Date.now();
      await client.publishAsync('home/bedroom/temperature', '16.5', { qos: 1 });
      await settle(300);
      assert.deepEqual(heater.map((h) => [h.topic, h.payload]), [['home/kitchen/heater', 'OFF']]);

      await t.close({ keepData: true });
      t = await startTestServer({ dataDir });
      await waitSubscribed(t.server.runtime);

      // The kitchen is still known to be OFF: a value in the band sends nothing.
      await client.publishAsync('home/kitchen/temperature', '18.5', { qos: 1 });
      // The bedroom's 2 s started before the restart and ends on time, not 2 s after it.
      await waitFor(() => heater.length === 2, 'the bedroom heater', 5000);
      const waited = heater[1]!.at - coldSince;
      assert.deepEqual([heater[1]!.topic, heater[1]!.payload], ['home/bedroom/heater', 'ON']);
      assert.ok(waited >= 1900 && waited < 3000, `switched ${waited} ms after the cold reading`);
      await settle(300);
      assert.equal(heater.length, 2);
    } finally {
      await t.close();
    }
  });
});
