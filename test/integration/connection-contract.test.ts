import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { startEmbeddedBroker } from '../../server/mqtt/embedded-broker.ts';
import { collect, connectClient, forEachBroker, freePort, startMosquitto } from '../support/brokers.ts';
import { runFlow, waitFor, waitSubscribed } from '../support/flows.ts';
import { suiteNeeds } from '../support/requirements.ts';
import { makeTestCa } from '../support/tls.ts';

const CLI = join(import.meta.dirname, '../../server/bin/topicflow.js');

/** mqtt-in → mqtt-out relay: proves a connection really carries traffic both ways. */
function relay(broker: Record<string, unknown>) {
  return {
    format: 'topicflow/1',
    brokers: [{ id: 'b', ...broker }],
    nodes: [
      { id: 'in', type: 'mqtt-in', config: { broker: 'b', topic: 'shellies/+dev/sensor/temperature' } },
      { id: 'out', type: 'mqtt-out', config: { broker: 'b', topic: 'relayed/{dev}' } },
    ],
    edges: [{ source: 'in', target: 'out' }],
  };
}

forEachBroker('broker connections', (kind) => {
  it('refuses a wrong password and says so; the right one works', async () => {
    const broker = await kind.start({ username: 'home', password: 's3cret' });
    const wrong = runFlow(relay({ url: broker.url, username: 'home' }), { secrets: { b: { password: 'wrong' } } });
    const right = runFlow(relay({ url: broker.url, username: 'home' }), { secrets: { b: { password: 's3cret' } } });
    try {
      await waitFor(() => wrong.brokerStates.some((s) => s.state === 'failed'), 'the refusal');
      const refusal = wrong.brokerStates.find((s) => s.state === 'failed')!;
      assert.match(refusal.reason ?? '', /user name or password|not authorized/);
      assert.equal(wrong.engine.statuses()['in']!.fill, 'red');
      assert.match(wrong.engine.statuses()['in']!.text, /user name or password|not authorized/);

      await waitSubscribed(right);
      const client = await connectClient(broker.url, { username: 'home', password: 's3cret' });
      await client.subscribeAsync('relayed/#');
      const got = collect(client, 'relayed/#', 1, 4000);
      await client.publishAsync('shellies/shellyht-208500/sensor/temperature', '21.50');
      assert.deepEqual((await got).map((m) => [m.topic, m.payload]), [['relayed/shellyht-208500', '21.5']]);
      await client.endAsync();
    } finally {
      await wrong.stop();
      await right.stop();
      await broker.stop();
    }
  });

  it('publishes the Last Will when the runtime process is killed with SIGKILL', async () => {
    const broker = await kind.start();
    const dir = await mkdtemp(join(tmpdir(), 'topicflow-lwt-'));
    const status = `topicflow/lwt-${kind.name}/status`;
    const file = join(dir, 'flow.json');
    await writeFile(
      file,
      JSON.stringify(
        relay({
          url: broker.url,
          keepalive: 5,
          will: { topic: status, payload: 'offline', retain: false },
          birth: { topic: status, payload: 'online', retain: false },
        }),
      ),
    );
    const client = await connectClient(broker.url);
    await client.subscribeAsync(status, { qos: 1 });
    const online = collect(client, status, 1, 8000);
    const child = spawn(process.execPath, [CLI, 'run', file, '--data', dir, '--no-broker'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const exited = new Promise((resolve) => child.once('exit', resolve));
    try {
      assert.deepEqual((await online.catch((e: Error) => assert.fail(`${e.message}\n${output}`))).map((m) => m.payload), ['online']);
      const offline = collect(client, status, 1, 8000);
      child.kill('SIGKILL');
      assert.deepEqual((await offline).map((m) => m.payload), ['offline']);
    } finally {
      child.kill('SIGKILL');
      await exited;
      await client.endAsync();
      await broker.stop();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('publishing while the broker is away', () => {
  it('queues QoS 1 messages (bounded, visible) and sends them on reconnect', async () => {
    const port = await freePort();
    let broker = await startEmbeddedBroker({ port });
    const flow = runFlow({
      format: 'topicflow/1',
      brokers: [{ id: 'b', url: broker.url, queueLimit: 2 }],
      nodes: [
        { id: 'button', type: 'inject', config: { payload: 'ON' } },
        { id: 'plug', type: 'mqtt-out', config: { broker: 'b', topic: 'cmnd/dehumidifier/POWER', qos: 1, retain: true } },
      ],
      edges: [{ source: 'button', target: 'plug' }],
    });
    try {
      await waitFor(() => flow.pool.stats()[0]?.stats.state === 'connected', 'the first connect');
      await broker.close();
      await waitFor(() => flow.pool.stats()[0]?.stats.state !== 'connected', 'the disconnect');
      for (const payload of ['1', '2', '3']) flow.engine.inject('plug', payload);
      const stats = flow.pool.stats()[0]!.stats;
      assert.equal(stats.queued, 2);
      assert.equal(stats.dropped, 1);
      assert.match(flow.engine.statuses()['plug']!.text, /2 queued/);

      broker = await startEmbeddedBroker({ port });
      await waitFor(() => flow.pool.stats()[0]?.stats.state === 'connected', 'the reconnect', 10_000);
      const client = await connectClient(broker.url);
      const got = collect(client, 'cmnd/#', 1, 4000);
      await client.subscribeAsync('cmnd/#', { qos: 1 });
      // Retained, so the order of connects does not matter: the last one queued is the state kept.
      assert.deepEqual((await got).map((m) => m.payload), ['3']);
      assert.equal(flow.pool.stats()[0]!.stats.queued, 0);
      await client.endAsync();
    } finally {
      await flow.stop();
      await broker.close();
    }
  });
});

describe('TLS with a CA made by openssl [mosquitto]', suiteNeeds('mosquitto', 'TLS with a CA made by openssl [mosquitto]'), () => {
  it('connects with the CA and refuses a broker it cannot verify', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'topicflow-tls-'));
    const ca = await makeTestCa(dir);
    const broker = await startMosquitto({ tls: { ca: ca.ca, cert: ca.serverCert, key: ca.serverKey } });
    const trusted = runFlow(relay({ url: broker.tlsUrl, tls: { ca: ca.ca } }));
    const untrusted = runFlow(relay({ url: broker.tlsUrl, tls: {} }));
    try {
      await waitSubscribed(trusted);
      const client = await connectClient(broker.tlsUrl!, { ca: await (await import('node:fs/promises')).readFile(ca.ca) });
      await client.subscribeAsync('relayed/#');
      const got = collect(client, 'relayed/#', 1, 4000);
      await client.publishAsync('shellies/shellyht-1/sensor/temperature', '22');
      assert.deepEqual((await got).map((m) => m.payload), ['22']);
      await client.endAsync();

      await waitFor(() => untrusted.brokerStates.some((s) => /TLS|certificate/i.test(s.reason ?? '')), 'the TLS refusal');
      assert.notEqual(untrusted.pool.stats()[0]!.stats.state, 'connected');
    } finally {
      await trusted.stop();
      await untrusted.stop();
      await broker.stop();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
