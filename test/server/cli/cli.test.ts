import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { collect, connectClient, freePort } from '../../support/brokers.ts';
import { runCli, startCli } from '../../support/cli.ts';

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'topicflow-cli-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('topicflow CLI', () => {
  it('--help lists the commands and options', async () => {
    const { code, output } = await runCli(['--help']);
    assert.equal(code, 0);
    for (const word of ['start', 'run FILE', 'validate FILE', '--broker URL', '--no-demo', '--data DIR']) {
      assert.ok(output.includes(word), `help mentions ${word}`);
    }
  });

  it('refuses an unknown command or option with a pointer to --help', async () => {
    const unknown = await runCli(['frobnicate']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.output, /unknown command "frobnicate"/);
    const option = await runCli(['run', 'x.json', '--brokr', 'mqtt://h']);
    assert.equal(option.code, 2);
    assert.match(option.output, /--brokr/);
    assert.match(option.output, /topicflow --help/);
  });

  it('validate prints each error with its node and field and exits 1', async () => {
    const file = join(dir, 'bad.json');
    await writeFile(
      file,
      JSON.stringify({
        format: 'topicflow/1',
        brokers: [{ id: 'home', url: 'mqtt://127.0.0.1:1883' }],
        nodes: [
          { id: 'in', type: 'mqtt-in', config: { broker: 'home', topic: 'zigbee2mqtt/#/th' } },
          { id: 'hot', type: 'threshold', config: { above: 25, hysteresis: -1 } },
        ],
        edges: [{ source: 'in', target: 'hot' }],
      }),
    );
    const { code, output } = await runCli(['validate', file]);
    assert.equal(code, 1);
    assert.match(output, /error: node in: topic: .*#/);
    assert.match(output, /error: node hot: hysteresis/);
    assert.match(output, /invalid: .*2 error\(s\)/);
  });

  it('validate accepts the example flow and exits 0', async () => {
    const { code, output } = await runCli(['validate', join(import.meta.dirname, '../../../flows/zigbee-temperature-fan.json')]);
    assert.equal(code, 0, output);
    assert.match(output, /^ok: /m);
  });

  it('run starts the embedded broker where the flow’s local broker is missing, and logs node errors as one line', async () => {
    const port = await freePort();
    const file = join(dir, 'plug.json');
    await writeFile(
      file,
      JSON.stringify({
        format: 'topicflow/1',
        brokers: [{ id: 'home', url: `mqtt://127.0.0.1:${port}` }],
        nodes: [
          { id: 'power', type: 'mqtt-in', config: { broker: 'home', topic: 'tele/+plug/SENSOR' } },
          { id: 'watts', type: 'transform', config: { ops: [{ op: 'path', path: 'ENERGY.Power' }] } },
          { id: 'busy', type: 'threshold', config: { above: 100 } },
          { id: 'notify', type: 'mqtt-out', config: { broker: 'home', topic: 'notify/{plug}' } },
        ],
        edges: [
          { source: 'power', target: 'watts' },
          { source: 'watts', target: 'busy' },
          { source: 'busy', target: 'notify' },
        ],
      }),
    );
    const run = startCli(['run', file, '--data', dir]);
    try {
      await run.waitForLine(/broker home: connected/);
      const client = await connectClient(`mqtt://127.0.0.1:${port}`);
      await client.subscribeAsync('notify/#');
      const got = collect(client, 'notify/#', 1, 5000);
      await client.publishAsync('tele/plug001/SENSOR', '{"Time":"2024-11-24T22:07:28","ENERGY":{"Power":420}}');
      assert.deepEqual((await got).map((m) => [m.topic, m.payload]), [['notify/plug001', 'ON']]);
      await client.publishAsync('tele/plug001/SENSOR', '{"Time":"2024-11-24T22:08:28"}');
      const line = await run.waitForLine(/error node watts/);
      assert.match(line, /node watts \(transform\): .*ENERGY.*\[topic tele\/plug001\/SENSOR\]/);
      await client.endAsync();
    } finally {
      assert.equal(await run.stop(), 0, run.output());
    }
  });
});

describe('topicflow start', () => {
  it('serves the API, and on SIGTERM saves state and disconnects without the Last Will', async () => {
    const { startAedes } = await import('../../support/brokers.ts');
    const { http } = await import('../../support/http.ts');
    const { existsSync } = await import('node:fs');
    const broker = await startAedes();
    const data = join(dir, 'start-data');
    const server = startCli(['start', '--no-broker', '--no-demo', '--port', '0', '--data', data]);
    const watcher = await connectClient(broker.url);
    try {
      const line = await server.waitForLine(/topicflow is running: open http:\/\/127\.0\.0\.1:\d+/, 20_000);
      const url = /http:\/\/127\.0\.0\.1:\d+/.exec(line)![0];
      await watcher.subscribeAsync('topicflow/#', { qos: 1 });
      const online = collect(watcher, 'topicflow/#', 1, 5000);
      const flow = {
        format: 'topicflow/1',
        brokers: [{ id: 'home', url: broker.url, will: { topic: 'topicflow/status', payload: 'offline' }, birth: { topic: 'topicflow/status', payload: 'online' } }],
        nodes: [
          { id: 'in', type: 'mqtt-in', config: { broker: 'home', topic: 'zigbee2mqtt/+room/th_sensor' } },
          { id: 'hot', type: 'threshold', config: { above: 25 } },
        ],
        edges: [{ source: 'in', target: 'hot' }],
      };
      const reply = await http(`${url}/api/flows`, { method: 'PUT', body: flow });
      assert.equal(reply.status, 200, reply.text);
      assert.deepEqual((await online).map((m) => m.payload), ['online']);
      await watcher.publishAsync('zigbee2mqtt/kitchen/th_sensor', '{"temperature":26}', { qos: 1 });
      const after = collect(watcher, 'topicflow/#', 0, 1500);
      assert.equal(await server.stop(), 0, server.output());
      assert.deepEqual(await after, [], 'a clean shutdown does not trigger the Last Will');
      assert.ok(existsSync(join(data, 'node-state.json')), 'node state was saved');
    } finally {
      await server.stop();
      await watcher.endAsync();
      await broker.stop();
    }
  });
});
