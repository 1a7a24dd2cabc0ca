import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { io as connectSocket, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, DebugEvent, ServerToClientEvents, SnapshotEvent } from '../../../nodes/protocol.ts';
import { DEBUG_BURST } from '../../../server/api/debug-limiter.ts';
import type { Logger } from '../../../server/log.ts';
import { startServer, type RunningServer } from '../../../server/server.ts';
import { startAedes, type TestBroker } from '../../support/brokers.ts';

const WAIT_MS = 5000;
const quiet: Logger = { info() {}, warn() {}, error() {} };

type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
type Received = { name: string; data: unknown };

/** A socket.io client that records every event; its waits are bounded. */
class Editor {
  readonly events: Received[] = [];
  private wake: (() => void) | undefined;
  private constructor(readonly socket: ClientSocket) {}

  static async connect(url: string): Promise<Editor> {
    const socket: ClientSocket = connectSocket(url, { transports: ['websocket'], autoConnect: false, reconnection: false });
    const editor = new Editor(socket);
    // Recording starts before connecting, so the snapshot sent on connection is not missed.
    socket.onAny((name: string, data: unknown) => {
      editor.events.push({ name, data });
      editor.wake?.();
    });
    socket.connect();
    await editor.waitFor('snapshot');
    return editor;
  }

  of<T>(name: string): T[] {
    return this.events.filter((e) => e.name === name).map((e) => e.data as T);
  }

  /** The first event `name` (after `from` events) matching `test`, waiting up to `timeoutMs`. */
  async waitFor<T>(name: string, test: (data: T) => boolean = () => true, timeoutMs = WAIT_MS): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.events.find((e) => e.name === name && test(e.data as T));
      if (found) return found.data as T;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no "${name}" event within ${timeoutMs} ms; got: ${this.summary()}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  /** Wait until `check` holds over what was received, re-checked on every event. */
  async until(check: () => boolean, what: string, timeoutMs = WAIT_MS): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!check()) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`${what}: not reached within ${timeoutMs} ms; got: ${this.summary()}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 100));
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  summary(): string {
    return JSON.stringify(this.events.slice(-10)).slice(0, 2000);
  }

  close(): void {
    this.socket.disconnect();
  }
}

const flow = (brokerUrl?: string) => ({
  format: 'topicflow/1',
  name: 'live events',
  brokers: brokerUrl ? [{ id: 'home', url: brokerUrl }] : [],
  nodes: [
    { id: 'in', type: 'inject', config: { payload: { temperature: 21.5 }, topic: 'test/in' } },
    { id: 'dbg', type: 'debug', config: {} },
    { id: 'flood', type: 'debug', config: {} },
    { id: 'th', type: 'threshold', config: { above: 25 } },
    { id: 'num', type: 'transform', config: { ops: [{ op: 'number' }] } },
    { id: 'dbg-num', type: 'debug', config: {} },
    ...(brokerUrl ? [{ id: 'sub', type: 'mqtt-in', config: { broker: 'home', topic: 'test/#' } }] : []),
  ],
  edges: [
    { source: 'in', target: 'dbg' },
    { source: 'num', target: 'dbg-num' },
  ],
});

describe('live events over socket.io', () => {
  let dataDir: string;
  let server: RunningServer;
  let broker: TestBroker;
  const editors: Editor[] = [];
  let rev: string;

  const open = async () => {
    const editor = await Editor.connect(server.url);
    editors.push(editor);
    return editor;
  };
  const api = async (method: string, path: string, body?: unknown, expectStatus = 200) => {
    const res = await fetch(`${server.url}${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(WAIT_MS),
    });
    const reply = (await res.json()) as Record<string, unknown>;
    assert.equal(res.status, expectStatus, JSON.stringify(reply));
    return reply;
  };
  const inject = (nodeId: string, payload?: unknown) => api('POST', `/api/nodes/${nodeId}/inject`, payload === undefined ? {} : { payload });

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'topicflow-live-'));
    broker = await startAedes();
    server = await startServer({ dataDir, host: '127.0.0.1', port: 0, logger: quiet, env: {} });
  });

  after(async () => {
    for (const editor of editors) editor.close();
    await server?.close();
    await broker?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('sends a snapshot on connection, and `deployed` with the rev after PUT /api/flows', async () => {
    const editor = await open();
    const [snapshot] = editor.of<SnapshotEvent>('snapshot');
    assert.deepEqual(snapshot, { rev: null, statuses: {}, counters: {}, brokers: [] });

    const reply = await api('PUT', '/api/flows', flow(broker.url));
    rev = String(reply['rev']);
    const deployed = await editor.waitFor<{ rev: string; started: string[] }>('deployed');
    assert.equal(deployed.rev, rev);
    assert.deepEqual([...deployed.started].sort(), ['dbg', 'dbg-num', 'flood', 'in', 'num', 'sub', 'th']);
    // The broker of the new flow connected before the deploy was accepted.
    await editor.waitFor<{ brokerId: string; state: string }>('broker-state', (e) => e.brokerId === 'home' && e.state === 'connected');
    // The new nodes' counters follow in the next batch, so the editor can show them at 0.
    const counters = await editor.waitFor<Record<string, unknown>>('counters');
    assert.deepEqual(Object.keys(counters).sort(), [...deployed.started].sort());
  });

  it('gives an editor that connects later the rev, counters and broker states', async () => {
    const late = await open();
    const [snapshot] = late.of<SnapshotEvent>('snapshot');
    assert.equal(snapshot!.rev, rev);
    assert.deepEqual(snapshot!.counters['dbg'], { in: 0, out: 0, errors: 0, unavailable: 0 });
    assert.deepEqual(snapshot!.brokers, [{ brokerId: 'home', state: 'connected' }]);
  });

  it('sends a debug event with the value of an injected message, then a counters batch', async () => {
    const editor = await open();
    await inject('in');
    const debug = await editor.waitFor<DebugEvent>('debug', (e) => e.nodeId === 'dbg');
    assert.deepEqual(debug.value, { temperature: 21.5 });
    assert.equal(debug.topic, 'test/in');
    assert.equal(debug.dropped, undefined);
    const counters = await editor.waitFor<Record<string, { in: number; out: number }>>('counters', (c) => c['dbg']?.in === 1);
    assert.deepEqual(counters['dbg'], { in: 1, out: 0, errors: 0, unavailable: 0 });
    assert.equal(counters['in']?.out, 1);
    // Only what changed: nodes nobody touched are not in the batch.
    assert.equal(counters['th'], undefined);
    // Nothing changes any more, so no further batch arrives.
    const batches = editor.of('counters').length;
    await new Promise((resolve) => setTimeout(resolve, 600));
    assert.equal(editor.of('counters').length, batches);
  });

  it('limits debug events per node and reports every dropped message', async () => {
    const editor = await open();
    const total = 500;
    // In parallel batches, so the 500 arrive well within the time the bucket refills a few tokens.
    for (let i = 0; i < total; i += 50) {
      await Promise.all(Array.from({ length: 50 }, (_, j) => inject('flood', i + j)));
    }
    const flood = () => editor.of<DebugEvent>('debug').filter((e) => e.nodeId === 'flood');
    const withValue = () => flood().filter((e) => Object.hasOwn(e, 'value'));
    const dropped = () => flood().reduce((sum, e) => sum + (e.dropped ?? 0), 0);
    // The drops of the last stretch come with the periodic flush after the node goes quiet.
    await editor.until(() => withValue().length + dropped() === total, 'received + dropped == 500');
    const received = withValue().length;
    assert.ok(received >= DEBUG_BURST && received < 100, `received ${received} debug events`);
    // The burst passes whole (from the first batch of requests), the rest is thinned out.
    const burst = withValue().slice(0, DEBUG_BURST).map((e) => e.value as number);
    assert.equal(new Set(burst).size, DEBUG_BURST);
    assert.ok(burst.every((v) => v >= 0 && v < 50), JSON.stringify(burst));
    // A drop-only event carries no value at all, so the sidebar cannot mistake it for one.
    for (const e of flood()) if (!Object.hasOwn(e, 'value')) assert.ok((e.dropped ?? 0) > 0, JSON.stringify(e));
    // Statuses are thinned out too, but the last one always arrives.
    await editor.waitFor<{ nodeId: string; status: { text: string } }>('status', (e) => e.nodeId === 'flood' && e.status.text === `${total} messages`);
    const statuses = editor.of<{ nodeId: string }>('status').filter((e) => e.nodeId === 'flood').length;
    assert.ok(statuses < 100, `${statuses} status events for 500 messages`);
    const counters = await editor.waitFor<Record<string, { in: number }>>('counters', (c) => c['flood']?.in === total);
    assert.equal(counters['flood']!.in, total);
  });

  it('reports a failing node with `node-error` and a red status, which a later editor sees', async () => {
    const editor = await open();
    await inject('th', 'abc');
    const error = await editor.waitFor<{ nodeId: string; nodeType: string; message: string }>('node-error', (e) => e.nodeId === 'th');
    assert.equal(error.nodeType, 'threshold');
    assert.match(error.message, /"abc" is not a number/);
    const status = await editor.waitFor<{ nodeId: string; status: { fill: string } }>('status', (e) => e.nodeId === 'th');
    assert.equal(status.status.fill, 'red');

    const late = await open();
    const [snapshot] = late.of<SnapshotEvent>('snapshot');
    assert.equal(snapshot!.statuses['th']?.fill, 'red');
    assert.match(snapshot!.statuses['th']!.text, /not a number/);
    assert.equal(snapshot!.counters['th']?.errors, 1);
  });

  it('shows an unavailable value as "unavailable"', async () => {
    const editor = await open();
    await inject('num', 'nan');
    const debug = await editor.waitFor<DebugEvent>('debug', (e) => e.nodeId === 'dbg-num');
    assert.equal(debug.value, 'unavailable');
  });

  it("draws a transform's value status for editors only: a later editor gets the latest, a connected one each change", async () => {
    for (const editor of editors.splice(0)) editor.close();
    const engine = server.runtime.engine;
    // No editor, no listener: the engine then draws no deferred statuses (see status-batch.ts).
    for (let i = 0; i < 50 && engine.events.has('status'); i++) await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(engine.events.has('status'), false, 'status listener left after every editor disconnected');
    await inject('num', 6);
    await inject('num', 7);

    const editor = await open();
    const [snapshot] = editor.of<SnapshotEvent>('snapshot');
    assert.deepEqual(snapshot!.statuses['num'], { fill: 'green', text: '7' });
    await inject('num', 8);
    const status = await editor.waitFor<{ nodeId: string; status: { text: string } }>('status', (e) => e.nodeId === 'num' && e.status.text === '8');
    assert.equal(status.nodeId, 'num');
  });

  it('forwards broker state changes and drops removed brokers from later snapshots', async () => {
    const editor = await open();
    await api('PUT', '/api/flows', flow());
    await editor.waitFor('deployed', (e: { rev: string }) => e.rev !== rev);
    const late = await open();
    assert.deepEqual(late.of<SnapshotEvent>('snapshot')[0]!.brokers, []);
  });
});
