import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { connect as tcpConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { collect, connectClient, forEachBroker, startMosquitto } from './brokers.ts';
import { suiteNeeds } from './requirements.ts';
import { makeTestCa, type TestCa } from './tls.ts';

function refusesTcp(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = tcpConnect({ host: '127.0.0.1', port });
    socket.once('connect', () => (socket.destroy(), resolve(false)));
    socket.once('error', () => resolve(true));
  });
}

// The same checks on both brokers: the harness itself is a contract.
forEachBroker('test broker harness', (kind) => {
  test('starts on 127.0.0.1 and carries retained QoS 1 messages between clients', async (t) => {
    const broker = await kind.start();
    t.after(() => broker.stop());
    assert.equal(broker.name, kind.name);
    assert.equal(broker.url, `mqtt://127.0.0.1:${broker.port}`);

    const pub = await connectClient(broker.url);
    t.after(() => pub.endAsync());
    await pub.publishAsync('actuator/hall/fan', 'ON', { qos: 1, retain: true });

    const sub = await connectClient(broker.url);
    t.after(() => sub.endAsync());
    const got = collect(sub, 'actuator/#', 2, 2000);
    await sub.subscribeAsync('actuator/#', { qos: 1 });
    await pub.publishAsync('actuator/hall/fan', 'OFF', { qos: 1 });
    assert.deepEqual(await got, [
      { topic: 'actuator/hall/fan', payload: 'ON', qos: 1, retain: true },
      { topic: 'actuator/hall/fan', payload: 'OFF', qos: 1, retain: false },
    ]);
  });

  test('with a username, refuses anonymous clients and accepts the right password', async (t) => {
    const broker = await kind.start({ username: 'sensor', password: 'pa:ss word' });
    t.after(() => broker.stop());
    await assert.rejects(connectClient(broker.url), /not authori[sz]ed/i);
    await assert.rejects(connectClient(broker.url, { username: 'sensor', password: 'nope' }));
    const client = await connectClient(broker.url, { username: 'sensor', password: 'pa:ss word' });
    await client.endAsync();
  });

  test('stop() releases the port and can be called twice', async () => {
    const broker = await kind.start();
    await broker.stop();
    await broker.stop();
    assert.ok(await refusesTcp(broker.port), `port ${broker.port} still accepts connections`);
  });

  test('collect() filters by topic, times out with what arrived, and waits out count 0', async (t) => {
    const broker = await kind.start();
    t.after(() => broker.stop());
    const client = await connectClient(broker.url);
    t.after(() => client.endAsync());
    await client.subscribeAsync('#');

    const quiet = collect(client, 'home/+/motion', 0, 300);
    const one = collect(client, 'home/+/motion', 2, 500);
    await client.publishAsync('home/hall/light', 'ON');
    await client.publishAsync('home/hall/motion', 'true');
    await assert.rejects(one, /expected 2 message\(s\) on home\/\+\/motion within 500 ms; got 1: .*home\/hall\/motion/);
    assert.equal((await quiet).length, 1);
  });
});

const SUITE = 'mosquitto harness';
describe(SUITE, suiteNeeds('mosquitto', SUITE), () => {
  let dir = '';
  let ca: TestCa;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'topicflow-tls-'));
    ca = await makeTestCa(dir);
  });
  after(() => rm(dir, { recursive: true, force: true }));

  test('TLS: a client trusting the test CA connects with rejectUnauthorized; one without it fails', async (t) => {
    const broker = await startMosquitto({ tls: { ca: ca.ca, cert: ca.serverCert, key: ca.serverKey } });
    t.after(() => broker.stop());
    assert.ok(broker.tlsUrl?.startsWith('mqtts://127.0.0.1:'), broker.tlsUrl);
    const tlsUrl = broker.tlsUrl ?? '';

    const trusted = await connectClient(tlsUrl, { ca: await readFile(ca.ca), rejectUnauthorized: true });
    const got = collect(trusted, 'tls/check', 1, 2000);
    await trusted.subscribeAsync('tls/check');
    await trusted.publishAsync('tls/check', 'secure');
    assert.equal((await got)[0]?.payload, 'secure');
    await trusted.endAsync();

    await assert.rejects(connectClient(tlsUrl, { rejectUnauthorized: true }), /self[- ]signed|unable to verify|certificate/i);
  });

  test('TLS with a required client certificate: only a client presenting one gets in', async (t) => {
    const broker = await startMosquitto({
      tls: { ca: ca.ca, cert: ca.serverCert, key: ca.serverKey, requireClientCert: true },
    });
    t.after(() => broker.stop());
    const tlsUrl = broker.tlsUrl ?? '';
    const caPem = await readFile(ca.ca);
    await assert.rejects(connectClient(tlsUrl, { ca: caPem, rejectUnauthorized: true }));
    const client = await connectClient(tlsUrl, {
      ca: caPem,
      cert: await readFile(ca.clientCert),
      key: await readFile(ca.clientKey),
      rejectUnauthorized: true,
    });
    await client.endAsync();
  });

  test('speaks MQTT 5 on the same listener', async (t) => {
    const broker = await startMosquitto();
    t.after(() => broker.stop());
    const client = await connectClient(broker.url, { protocolVersion: 5 });
    const got = collect(client, 'v5/#', 1, 2000);
    await client.subscribeAsync('v5/#', { qos: 2 });
    await client.publishAsync('v5/hello', 'hi', { qos: 2 });
    assert.deepEqual(await got, [{ topic: 'v5/hello', payload: 'hi', qos: 2, retain: false }]);
    await client.endAsync();
  });

  test('a broker that cannot start fails within the bound and shows its log', async () => {
    const missing = join(dir, 'no-such-cert.pem');
    await assert.rejects(startMosquitto({ tls: { ca: ca.ca, cert: missing, key: ca.serverKey } }), (error: Error) => {
      assert.match(error.message, /mosquitto exited/);
      assert.ok(error.message.includes('no-such-cert.pem'), error.message);
      return true;
    });
  });
});
