import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { connectClient, startMosquitto } from '../support/brokers.ts';
import { runFlow, settle, waitFor, waitSubscribed } from '../support/flows.ts';
import { suiteNeeds } from '../support/requirements.ts';

const SUITE = 'shared subscriptions across runtimes [mosquitto]';

describe(SUITE, suiteNeeds('mosquitto', SUITE), () => {
  it('hands each message to exactly one runtime of a share group', async () => {
    const broker = await startMosquitto();
    const flow = (protocolVersion: 4 | 5) => ({
      format: 'topicflow/1',
      brokers: [{ id: 'b', url: broker.url, protocolVersion }],
      nodes: [
        { id: 'in', type: 'mqtt-in', config: { broker: 'b', topic: 'zigbee2mqtt/+room/th_sensor', shareGroup: 'rules' } },
        { id: 'd', type: 'debug', config: {} },
      ],
      edges: [{ source: 'in', target: 'd' }],
    });
    const one = runFlow(flow(5));
    const two = runFlow(flow(5));
    const client = await connectClient(broker.url);
    try {
      await waitSubscribed(one);
      await waitSubscribed(two);
      for (let i = 0; i < 20; i++) {
        await client.publishAsync(`zigbee2mqtt/room${i}/th_sensor`, `{"temperature":${20 + i / 10}}`, { qos: 1 });
      }
      await waitFor(() => one.debug.length + two.debug.length >= 20, 'all 20 messages');
      await settle();
      assert.equal(one.debug.length + two.debug.length, 20);
      assert.ok(one.debug.length > 0 && two.debug.length > 0, `both runtimes got work (${one.debug.length}/${two.debug.length})`);
      const topics = [...one.debug, ...two.debug].map((d) => d.topic).sort();
      assert.equal(new Set(topics).size, 20, 'no message handled twice');
    } finally {
      await client.endAsync();
      await one.stop();
      await two.stop();
      await broker.stop();
    }
  });
});
