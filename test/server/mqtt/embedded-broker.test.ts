import assert from 'node:assert/strict';
import { connect as tcpConnect, createServer, type AddressInfo, type Server } from 'node:net';
import { describe, test } from 'node:test';
import { OperationalError } from '../../../nodes/errors.ts';
import { startEmbeddedBroker } from '../../../server/mqtt/embedded-broker.ts';
import { collect, connectClient } from '../../support/brokers.ts';

/** Holds a port the way a running Mosquitto would. */
function occupyPort(): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

describe('embedded broker', () => {
  test('binds 127.0.0.1 on the real port and routes messages', async (t) => {
    const broker = await startEmbeddedBroker({ port: 0 });
    t.after(() => broker.close());
    assert.equal(broker.host, '127.0.0.1');
    assert.ok(broker.port > 0);
    assert.equal(broker.url, `mqtt://127.0.0.1:${broker.port}`);

    const sub = await connectClient(broker.url);
    t.after(() => sub.endAsync());
    const pub = await connectClient(broker.url);
    t.after(() => pub.endAsync());
    assert.equal(broker.clientCount(), 2);

    const got = collect(sub, 'home/+/temperature', 1, 2000);
    await sub.subscribeAsync('home/+/temperature', { qos: 1 });
    await pub.publishAsync('home/kitchen/temperature', '21.5', { qos: 1 });
    assert.deepEqual(await got, [{ topic: 'home/kitchen/temperature', payload: '21.5', qos: 1, retain: false }]);
  });

  test('with credentials, accepts only the right username and password', async (t) => {
    const lines: string[] = [];
    const broker = await startEmbeddedBroker({ port: 0, username: 'home', password: 's3cret!', logger: (l) => lines.push(l) });
    t.after(() => broker.close());

    const ok = await connectClient(broker.url, { username: 'home', password: 's3cret!' });
    await ok.endAsync();

    const cases = [
      { name: 'wrong password', options: { username: 'home', password: 's3cret' }, code: 4 },
      { name: 'wrong username', options: { username: 'Home', password: 's3cret!' }, code: 4 },
      { name: 'longer password', options: { username: 'home', password: 's3cret!!' }, code: 4 },
      { name: 'no credentials', options: {}, code: 5 },
    ];
    for (const c of cases) {
      await assert.rejects(connectClient(broker.url, c.options), (error: Error & { code?: number }) => {
        assert.equal(error.code, c.code, `${c.name}: ${error.message}`);
        return true;
      });
    }
    assert.equal(broker.clientCount(), 0);
    assert.ok(lines.some((l) => l.includes('bad username or password')), lines.join('\n'));
    assert.ok(!lines.some((l) => l.includes('s3cret')), 'the log must never contain a password');
  });

  test('refuses half a credential pair and an impossible port', async () => {
    await assert.rejects(startEmbeddedBroker({ port: 0, username: 'home' }), TypeError);
    await assert.rejects(startEmbeddedBroker({ port: 0, password: 'x' }), TypeError);
    await assert.rejects(startEmbeddedBroker({ port: 70000 }), /0 to 65535/);
  });

  test('a taken port gives a plain message pointing at --broker and --broker-port', async (t) => {
    const holder = await occupyPort();
    t.after(() => new Promise<void>((resolve) => holder.close(() => resolve())));
    const port = (holder.address() as AddressInfo).port;
    await assert.rejects(startEmbeddedBroker({ port }), (error: Error) => {
      assert.ok(error instanceof OperationalError, 'the operator must act, not the flow author');
      assert.match(error.message, new RegExp(`port ${port} on 127\\.0\\.0\\.1 is already in use`));
      assert.match(error.message, /is Mosquitto running\?/);
      assert.ok(error.message.includes(`--broker mqtt://127.0.0.1:${port}`), error.message);
      assert.match(error.message, /--broker-port/);
      return true;
    });
  });

  test('close() is prompt with clients connected and a socket that never sent CONNECT', async () => {
    const broker = await startEmbeddedBroker({ port: 0 });
    const client = await connectClient(broker.url);
    const silent = tcpConnect({ host: '127.0.0.1', port: broker.port });
    silent.on('error', () => undefined); // the broker cutting it off is the point of the test
    await new Promise((resolve) => silent.once('connect', resolve));

    const started = Date.now();
    await broker.close();
    const took = Date.now() - started;
    assert.ok(took < 1500, `close() took ${took} ms`);
    await broker.close(); // a second close is harmless

    // The port is really released: a new broker can take it at once.
    const again = await startEmbeddedBroker({ port: broker.port });
    await again.close();
    await client.endAsync(true);
    silent.destroy();
  });

  test('an MQTT 5 client is refused: aedes speaks 3.1.1 only', async (t) => {
    const broker = await startEmbeddedBroker({ port: 0 });
    t.after(() => broker.close());
    await assert.rejects(connectClient(broker.url, { protocolVersion: 5, timeoutMs: 2000 }));
  });
});
