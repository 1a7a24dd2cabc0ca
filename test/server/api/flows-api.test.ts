import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { freePort, startAedes, type TestBroker } from '../../support/brokers.ts';
import { waitFor } from '../../support/flows.ts';
import { startTestServer, type TestServer } from '../../support/test-server.ts';

const debugChain = (extra: Record<string, unknown> = {}) => ({
  format: 'topicflow/1',
  name: 'Humidity alarm',
  nodes: [
    { id: 'in', type: 'inject', config: { payload: { humidity: 50 } } },
    { id: 'pick', type: 'transform', config: { ops: [{ op: 'path', path: 'humidity' }] } },
    { id: 'wet', type: 'threshold', config: { above: 65, hysteresis: 5 } },
    { id: 'log', type: 'debug', config: {} },
  ],
  edges: [
    { source: 'in', target: 'pick' },
    { source: 'pick', target: 'wet' },
    { source: 'wet', target: 'log' },
  ],
  ...extra,
});

describe('flows API', () => {
  let t: TestServer;
  let broker: TestBroker;
  const debug: unknown[] = [];
  before(async () => {
    broker = await startAedes();
    t = await startTestServer({ connectTimeoutMs: 1500 });
    t.server.runtime.engine.events.on('debug', (e) => debug.push(e.value));
  });
  after(async () => {
    await t.close();
    await broker.stop();
  });

  it('starts empty: no revision, no document', async () => {
    const reply = await t.api('/api/flows');
    assert.equal(reply.status, 200);
    assert.deepEqual(reply.json(), { rev: null, document: null, credentials: {} });
  });

  it('deploys a document and gives it back with its rev', async () => {
    const put = await t.api('/api/flows', { method: 'PUT', body: debugChain() });
    assert.equal(put.status, 200, put.text);
    const { rev, started } = put.json<{ rev: string; started: string[] }>();
    assert.match(rev, /^[0-9a-f]{6,}$/);
    assert.deepEqual(started.sort(), ['in', 'log', 'pick', 'wet']);
    const get = await t.api('/api/flows');
    assert.equal(get.json<{ rev: string }>().rev, rev);
    assert.deepEqual(get.json<{ document: unknown }>().document, debugChain());
    assert.equal(get.headers['etag'], `"${rev}"`);
  });

  it('stores a deploy as the text it received, and serves the document that text parses to', async () => {
    // Pretty-printed and with a byte order mark: not what serialising the document gives.
    const text = `\uFEFF${JSON.stringify(debugChain({ name: 'Pretty' }), null, 2)}`;
    const put = await t.api('/api/flows', { method: 'PUT', body: text, headers: { 'content-type': 'application/json; charset=utf-8' } });
    assert.equal(put.status, 200, put.text);
    const { rev } = put.json<{ rev: string }>();
    const revisions = join(t.dataDir, 'flows', 'revisions');
    const file = (await readdir(revisions)).find((name) => name.endsWith(`-${rev}.json`));
    assert.ok(file, `a revision file for ${rev}`);
    const stored = await readFile(join(revisions, file), 'utf8');
    assert.ok(stored.endsWith(`"document":${text.slice(1)}}`), stored.slice(0, 300));
    assert.deepEqual((await t.api('/api/flows')).json<{ document: unknown }>().document, debugChain({ name: 'Pretty' }));
  });

  it('refuses a write based on a stale rev with 409 and the current rev', async () => {
    const current = (await t.api('/api/flows')).json<{ rev: string }>().rev;
    const reply = await t.api('/api/flows', { method: 'PUT', headers: { 'If-Match': '"0123456789ab"' }, body: debugChain({ name: 'x' }) });
    assert.equal(reply.status, 409);
    assert.deepEqual(reply.json(), {
      error: { code: 'conflict', message: `the flow changed since revision 0123456789ab; the running revision is ${current}`, details: { rev: current } },
    });
    const ok = await t.api('/api/flows', { method: 'PUT', headers: { 'If-Match': `"${current}"` }, body: debugChain({ name: 'Humidity alarm 2' }) });
    assert.equal(ok.status, 200, ok.text);
    assert.deepEqual(ok.json<{ started: string[] }>().started, [], 'a rename restarts nothing');
  });

  it('refuses an invalid document with every problem, and the running flow is untouched', async () => {
    const before = (await t.api('/api/flows')).json<{ rev: string }>().rev;
    const bad = debugChain();
    (bad.nodes[2] as { config: unknown }).config = { above: 'sixty', hysteresis: -1 };
    (bad.nodes[1] as { config: unknown }).config = { ops: [{ op: 'path', path: '__proto__.polluted' }] };
    const reply = await t.api('/api/flows', { method: 'PUT', body: bad });
    assert.equal(reply.status, 400);
    const body = reply.json<{ error: { code: string; details: { nodeId: string; path: string }[] } }>();
    assert.equal(body.error.code, 'invalid');
    assert.deepEqual(
      body.error.details.map((d) => [d.nodeId, d.path]).sort(),
      [['pick', 'nodes[1].config.ops[0].path'], ['wet', 'nodes[2].config.above'], ['wet', 'nodes[2].config.hysteresis']],
    );
    assert.equal((await t.api('/api/flows')).json<{ rev: string }>().rev, before);
    debug.length = 0;
    assert.equal((await t.api('/api/nodes/pick/inject', { method: 'POST', body: { payload: { humidity: 70 } } })).status, 200);
    assert.deepEqual(debug, ['ON'], 'the old flow still runs');
  });

  it('validates without deploying', async () => {
    const reply = await t.api('/api/flows/validate', { method: 'POST', body: { format: 'topicflow/1', nodes: [{ id: 'x', type: 'debug' }] } });
    assert.equal(reply.status, 200);
    const body = reply.json<{ ok: boolean; warnings: { code: string }[] }>();
    assert.equal(body.ok, true);
    assert.deepEqual(body.warnings.map((w) => w.code), ['node.unwired']);
    const bad = await t.api('/api/flows/validate', { method: 'POST', body: { format: 'topicflow/2', nodes: [] } });
    assert.equal(bad.json<{ ok: boolean }>().ok, false);
  });

  it('lists revisions newest first and rolls back to one', async () => {
    const revisions = (await t.api('/api/flows/revisions')).json<{ rev: string; nodeCount: number }[]>();
    assert.ok(revisions.length >= 2);
    const oldest = revisions.at(-1)!;
    assert.equal(oldest.nodeCount, 4);
    const reply = await t.api('/api/flows/rollback', { method: 'POST', body: { rev: oldest.rev } });
    assert.equal(reply.status, 200, reply.text);
    const now = (await t.api('/api/flows')).json<{ rev: string; document: { name: string } }>();
    assert.equal(now.rev, reply.json<{ rev: string }>().rev);
    assert.equal(now.document.name, 'Humidity alarm');
    const missing = await t.api('/api/flows/rollback', { method: 'POST', body: { rev: 'nope' } });
    assert.equal(missing.status, 404);
    assert.equal(missing.json<{ error: { code: string } }>().error.code, 'not-found');
    const badBody = await t.api('/api/flows/rollback', { method: 'POST', body: { rev: 42 } });
    assert.equal(badBody.status, 400);
  });

  it('sends a test message into a node, and says when there is no such node', async () => {
    debug.length = 0;
    assert.equal((await t.api('/api/nodes/in/inject', { method: 'POST', body: {} })).status, 200);
    await waitFor(() => debug.length === 1, 'the inject to reach the debug node');
    const missing = await t.api('/api/nodes/ghost/inject', { method: 'POST', body: {} });
    assert.equal(missing.status, 404);
  });

  it('answers bad JSON, oversized bodies and unknown routes in the one error shape', async () => {
    const badJson = await t.api('/api/flows', { method: 'PUT', body: '{"format": ', headers: { 'content-type': 'application/json' } });
    assert.equal(badJson.status, 400);
    assert.equal(badJson.json<{ error: { code: string } }>().error.code, 'bad-json');
    const huge = await t.api('/api/flows/validate', { method: 'POST', body: { format: 'topicflow/1', nodes: [], pad: 'x'.repeat(6 * 1024 * 1024) } });
    assert.equal(huge.status, 413);
    const unknown = await t.api('/api/nope');
    assert.equal(unknown.status, 404);
    assert.equal(unknown.json<{ error: { code: string } }>().error.code, 'not-found');
  });

  it('keeps broker passwords out of every reply and every file, and says only hasPassword', async () => {
    const password = 'correct horse battery staple';
    const withBroker = {
      format: 'topicflow/1',
      brokers: [{ id: 'home', url: broker.url, username: 'fan' }],
      nodes: [
        { id: 'in', type: 'mqtt-in', config: { broker: 'home', topic: 'zigbee2mqtt/+room/th_sensor' } },
        { id: 'log', type: 'debug', config: {} },
      ],
      edges: [{ source: 'in', target: 'log' }],
    };
    const set = await t.api('/api/credentials/home', { method: 'PUT', body: { password } });
    assert.deepEqual(set.json(), { hasPassword: true, hasPassphrase: false });
    const put = await t.api('/api/flows', { method: 'PUT', body: withBroker });
    assert.equal(put.status, 200, put.text);
    const replies = await Promise.all(
      ['/api/flows', '/api/flows/revisions', '/healthz', '/metrics', '/api/topics'].map((p) => t.api(p)),
    );
    for (const reply of replies) assert.ok(!reply.text.includes(password), 'no reply holds the password');
    assert.deepEqual(replies[0]!.json<{ credentials: unknown }>().credentials, { home: { hasPassword: true, hasPassphrase: false } });
    for (const file of await readdir(t.dataDir, { recursive: true })) {
      const bytes = await readFile(join(t.dataDir, file)).catch(() => Buffer.alloc(0));
      assert.ok(!bytes.includes(password), `${file} does not hold the password`);
    }
    const refused = await t.api('/api/credentials/home', { method: 'PUT', body: { password: 1 } });
    assert.equal(refused.status, 400);
  });

  it('takes a test value into an mqtt-in as if it came from the broker, captures and parsing included', async () => {
    const seen: { nodeId: string; value: unknown }[] = [];
    const errors: string[] = [];
    const stopDebug = t.server.runtime.engine.events.on('debug', (e) => seen.push({ nodeId: e.nodeId, value: e.value }));
    const stopErrors = t.server.runtime.engine.events.on('node-error', (e) => errors.push(e.message));
    try {
      const ok = await t.api('/api/nodes/in/inject', { method: 'POST', body: { payload: '{"temperature":21.5}', topic: 'zigbee2mqtt/kitchen/th_sensor' } });
      assert.equal(ok.status, 200, ok.text);
      await waitFor(() => seen.length === 1, 'the test value at the debug node');
      assert.deepEqual(seen[0], { nodeId: 'log', value: { temperature: 21.5 } });
      const wrong = await t.api('/api/nodes/in/inject', { method: 'POST', body: { payload: 1, topic: 'tele/plug/SENSOR' } });
      assert.equal(wrong.status, 200);
      await waitFor(() => errors.length === 1, 'the node error');
      assert.match(errors[0]!, /does not match the filter zigbee2mqtt\/\+room\/th_sensor/);
    } finally {
      stopDebug();
      stopErrors();
    }
  });

  it('lists the topics seen on the broker with their last payload, count and time', async () => {
    const { connectClient } = await import('../../support/brokers.ts');
    const client = await connectClient(broker.url);
    await client.publishAsync('zigbee2mqtt/0x00158d0001a2b3c4', '{"temperature":-100,"humidity":90.62}', { qos: 1 });
    await client.publishAsync('zigbee2mqtt/Temperatur Balkon', '{"temperature":8.1}', { qos: 1 });
    await client.publishAsync('zigbee2mqtt/Temperatur Balkon', '{"temperature":8.3}', { qos: 1 });
    await client.endAsync();
    type Seen = { broker: string; topic: string; payload: string; count: number; lastSeen: string };
    let seen: Seen[] = [];
    // Bounded polling: the topics arrive through the broker a moment after the publishes.
    for (let i = 0; i < 50 && seen.filter((s) => s.topic.startsWith('zigbee2mqtt/')).length < 2; i++) {
      seen = (await t.api('/api/topics?broker=home')).json<Seen[]>();
      await new Promise((r) => setTimeout(r, 50));
    }
    const balkon = seen.find((s) => s.topic === 'zigbee2mqtt/Temperatur Balkon');
    assert.ok(balkon, JSON.stringify(seen));
    assert.equal(balkon.broker, 'home');
    assert.equal(balkon.payload, '{"temperature":8.3}');
    assert.equal(balkon.count, 2);
    assert.ok(Date.now() - Date.parse(balkon.lastSeen) < 10_000);
    assert.deepEqual((await t.api('/api/topics?broker=nope')).json(), []);
  });

  it('rolls back a deploy whose broker does not connect, and says which and why', async () => {
    const before = (await t.api('/api/flows')).json<{ rev: string }>().rev;
    const port = await freePort();
    const unreachable = {
      format: 'topicflow/1',
      brokers: [{ id: 'garage', url: `mqtt://127.0.0.1:${port}` }],
      nodes: [{ id: 'door', type: 'mqtt-in', config: { broker: 'garage', topic: 'garage/door' } }],
      edges: [],
    };
    const reply = await t.api('/api/flows', { method: 'PUT', body: unreachable });
    assert.equal(reply.status, 422);
    const body = reply.json<{ error: { code: string; message: string; details: { brokerId: string }[] } }>();
    assert.equal(body.error.code, 'deploy-failed');
    assert.match(body.error.message, /broker "garage" .* did not connect: nothing listens at that address .*previous flow keeps running/);
    assert.equal(body.error.details[0]!.brokerId, 'garage');
    assert.equal((await t.api('/api/flows')).json<{ rev: string }>().rev, before);
    assert.deepEqual(Object.keys(t.server.runtime.engine.counters()).sort(), ['in', 'log'], 'the previous flow runs again');
  });

  it('rolls back a deploy whose node fails to start', async () => {
    const before = (await t.api('/api/flows')).json<{ rev: string }>().rev;
    const noCa = {
      format: 'topicflow/1',
      brokers: [{ id: 'tls', url: 'mqtts://127.0.0.1:8883', tls: { ca: '/nonexistent/ca.crt' } }],
      nodes: [{ id: 'secure', type: 'mqtt-in', config: { broker: 'tls', topic: 'a/b' } }],
      edges: [],
    };
    const reply = await t.api('/api/flows', { method: 'PUT', body: noCa });
    assert.equal(reply.status, 422);
    assert.match(reply.json<{ error: { message: string } }>().error.message, /node secure .* failed to start: .*tls\.ca file \/nonexistent\/ca\.crt/);
    assert.equal((await t.api('/api/flows')).json<{ rev: string }>().rev, before);
  });

  it('reports health', async () => {
    const reply = await t.api('/healthz');
    assert.equal(reply.status, 200);
    const body = reply.json<{ ok: boolean; brokers: { id: string; state: string }[] }>();
    assert.equal(body.ok, true);
    assert.deepEqual(body.brokers, [{ id: 'home', state: 'connected', queued: 0 }]);
  });
});
