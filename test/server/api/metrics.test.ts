import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Logger } from '../../../server/log.ts';
import { startServer, type RunningServer } from '../../../server/server.ts';
import { startAedes, type TestBroker } from '../../support/brokers.ts';

const WAIT_MS = 5000;
const quiet: Logger = { info() {}, warn() {}, error() {} };

const flow = (brokerUrl: string) => ({
  format: 'topicflow/1',
  brokers: [{ id: 'home', url: brokerUrl }],
  nodes: [
    { id: 'in', type: 'inject', config: { payload: 30 } },
    { id: 'th', type: 'threshold', config: { above: 25 } },
    { id: 'num', type: 'transform', config: { ops: [{ op: 'number' }] } },
    { id: 'out', type: 'debug', config: {} },
    { id: 'sub', type: 'mqtt-in', config: { broker: 'home', topic: 'sensors/#' } },
  ],
  edges: [
    { source: 'in', target: 'th' },
    { source: 'th', target: 'out' },
    { source: 'num', target: 'th' },
  ],
});

/** The value of the sample `name{labels}` in Prometheus text, or undefined when absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const have = (match[2] ?? '').split(',').filter(Boolean);
    if (wanted.every((w) => have.includes(w)) && have.length === wanted.length) return Number(match[3]);
  }
  return undefined;
}

describe('GET /metrics', () => {
  let dataDir: string;
  let server: RunningServer;
  let other: RunningServer | undefined;
  let broker: TestBroker;

  const request = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${server.url}${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(WAIT_MS),
    });
    return { status: res.status, text: await res.text(), type: res.headers.get('content-type') };
  };
  const metrics = async () => {
    const res = await request('GET', '/metrics');
    assert.equal(res.status, 200, res.text);
    return res.text;
  };

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'topicflow-metrics-'));
    broker = await startAedes();
    server = await startServer({ dataDir, host: '127.0.0.1', port: 0, logger: quiet, env: {} });
  });

  after(async () => {
    await other?.close();
    await server?.close();
    await broker?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('serves Prometheus text with every deploy result at 0 and the process metrics', async () => {
    const res = await request('GET', '/metrics');
    assert.equal(res.status, 200);
    assert.match(res.type ?? '', /^text\/plain; version=0\.0\.4/);
    for (const result of ['ok', 'invalid', 'failed', 'conflict']) assert.equal(sample(res.text, 'topicflow_deploys_total', { result }), 0, result);
    assert.match(res.text, /^# TYPE topicflow_node_messages_in_total counter$/m);
    assert.match(res.text, /^# TYPE topicflow_deploy_duration_seconds histogram$/m);
    assert.ok(sample(res.text, 'process_cpu_user_seconds_total') !== undefined);
    assert.ok(sample(res.text, 'nodejs_heap_size_used_bytes') !== undefined);
  });

  it('counts per node after a deploy and some injects, with the broker connected', async () => {
    const deploy = await request('PUT', '/api/flows', flow(broker.url));
    assert.equal(deploy.status, 200, deploy.text);
    for (let i = 0; i < 3; i++) assert.equal((await request('POST', '/api/nodes/in/inject', {})).status, 200);
    assert.equal((await request('POST', '/api/nodes/num/inject', { payload: 'nan' })).status, 200);
    assert.equal((await request('POST', '/api/nodes/th/inject', { payload: 'abc' })).status, 200);

    const text = await metrics();
    const th = { node: 'th', type: 'threshold' };
    assert.equal(sample(text, 'topicflow_node_messages_out_total', { node: 'in', type: 'inject' }), 3);
    // 3 from inject, 1 unavailable from the transform, 1 "abc".
    assert.equal(sample(text, 'topicflow_node_messages_in_total', th), 5);
    assert.equal(sample(text, 'topicflow_node_messages_out_total', th), 1, 'the first value sets the state; repeats change nothing');
    assert.equal(sample(text, 'topicflow_node_unavailable_total', th), 1);
    assert.equal(sample(text, 'topicflow_node_errors_total', th), 1);
    assert.equal(sample(text, 'topicflow_node_messages_in_total', { node: 'out', type: 'debug' }), 1);
    assert.equal(sample(text, 'topicflow_node_messages_in_total', { node: 'sub', type: 'mqtt-in' }), 0);

    assert.equal(sample(text, 'topicflow_deploys_total', { result: 'ok' }), 1);
    assert.equal(sample(text, 'topicflow_deploy_duration_seconds_count'), 1);
    assert.equal(sample(text, 'topicflow_broker_connected', { broker: 'home' }), 1);
    assert.equal(sample(text, 'topicflow_broker_queued_messages', { broker: 'home' }), 0);
  });

  it('counts refused deploys by reason', async () => {
    const invalid = await request('PUT', '/api/flows', { format: 'topicflow/1', nodes: [{ id: 'x', type: 'no-such-type', config: {} }] });
    assert.equal(invalid.status, 400, invalid.text);
    const stale = await fetch(`${server.url}/api/flows`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', 'if-match': 'not-the-rev' },
      body: JSON.stringify(flow(broker.url)),
      signal: AbortSignal.timeout(WAIT_MS),
    });
    assert.equal(stale.status, 409);
    await stale.body?.cancel();

    const text = await metrics();
    assert.equal(sample(text, 'topicflow_deploys_total', { result: 'invalid' }), 1);
    assert.equal(sample(text, 'topicflow_deploys_total', { result: 'conflict' }), 1);
    assert.equal(sample(text, 'topicflow_deploys_total', { result: 'ok' }), 1);
    assert.equal(sample(text, 'topicflow_deploys_total', { result: 'failed' }), 0);
  });

  it('drops nodes and brokers a deploy removed', async () => {
    const deploy = await request('PUT', '/api/flows', { format: 'topicflow/1', nodes: [{ id: 'only', type: 'debug', config: {} }], edges: [] });
    assert.equal(deploy.status, 200, deploy.text);
    const text = await metrics();
    assert.equal(sample(text, 'topicflow_node_messages_in_total', { node: 'only', type: 'debug' }), 0);
    assert.equal(sample(text, 'topicflow_node_messages_in_total', { node: 'th', type: 'threshold' }), undefined);
    assert.equal(sample(text, 'topicflow_broker_connected', { broker: 'home' }), undefined);
    assert.equal(sample(text, 'topicflow_deploys_total', { result: 'ok' }), 2);
  });

  it('keeps the figures of two servers in one process apart', async () => {
    const otherDir = await mkdtemp(join(tmpdir(), 'topicflow-metrics-'));
    try {
      other = await startServer({ dataDir: otherDir, host: '127.0.0.1', port: 0, logger: quiet, env: {} });
      const res = await fetch(`${other.url}/metrics`, { signal: AbortSignal.timeout(WAIT_MS) });
      const text = await res.text();
      assert.equal(sample(text, 'topicflow_deploys_total', { result: 'ok' }), 0);
      assert.equal(sample(text, 'topicflow_node_messages_in_total', { node: 'only', type: 'debug' }), undefined);
      assert.equal(sample(await metrics(), 'topicflow_deploys_total', { result: 'ok' }), 2);
    } finally {
      await other?.close();
      other = undefined;
      await rm(otherDir, { recursive: true, force: true });
    }
  });
});
