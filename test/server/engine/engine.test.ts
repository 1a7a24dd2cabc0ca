import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defineNode, defineRuntime, type NodeRuntime } from '../../../nodes/define-node.ts';
import { validateDocument } from '../../../nodes/document/validate.ts';
import type { FlowDocument } from '../../../nodes/document/schema.ts';
import { nodeRuntimes } from '../../../nodes/runtimes.ts';
import { z } from 'zod';
import { Engine, MAX_HOPS } from '../../../server/engine/engine.ts';
import { BrokerPool } from '../../../server/mqtt/pool.ts';

function doc(input: unknown): FlowDocument {
  const result = validateDocument(input);
  assert.ok(result.ok, JSON.stringify(result.errors));
  return result.document!;
}

function engineWith(extra: NodeRuntime[] = []) {
  const runtimes = new Map(nodeRuntimes);
  for (const r of extra) runtimes.set(r.definition.type, r);
  const engine = new Engine({ pool: new BrokerPool({ installId: 'test' }), runtimes });
  const debug: { nodeId: string; value: unknown }[] = [];
  const errors: { nodeId: string; message: string }[] = [];
  engine.events.on('debug', (e) => debug.push({ nodeId: e.nodeId, value: e.value }));
  engine.events.on('node-error', (e) => errors.push({ nodeId: e.nodeId, message: e.message }));
  return { engine, debug, errors };
}

const chain = (extraNodes: unknown[] = [], extraEdges: unknown[] = []) => ({
  format: 'topicflow/1',
  nodes: [
    { id: 'in', type: 'inject', config: { payload: { temperature: 20 } } },
    { id: 'pick', type: 'transform', config: { ops: [{ op: 'path', path: 'temperature' }] } },
    { id: 'hot', type: 'threshold', config: { above: 25 } },
    { id: 'out', type: 'debug', config: {} },
    ...extraNodes,
  ],
  edges: [
    { source: 'in', target: 'pick' },
    { source: 'pick', target: 'hot' },
    { source: 'hot', target: 'out' },
    ...extraEdges,
  ],
});

describe('engine', () => {
  it('moves a message along the edges, through transform and threshold', async () => {
    const { engine, debug } = engineWith();
    engine.deploy(doc(chain()));
    engine.inject('pick', { temperature: 26.5 });
    engine.inject('pick', { temperature: 27 });
    engine.inject('pick', { temperature: 20 });
    assert.deepEqual(debug.map((d) => d.value), ['ON', 'OFF']);
    const counters = engine.counters();
    assert.equal(counters['pick']!.in, 3);
    assert.equal(counters['hot']!.out, 2);
    await engine.stop();
  });

  it('keeps running other nodes when one node throws, and counts the error', async () => {
    const boom = defineRuntime(
      defineNode({ type: 'boom', label: 'Boom', help: 'throws', category: 'logic', inputs: 1, outputs: 1, config: z.object({}) }),
      () => ({
        input() {
          throw new Error('kaputt');
        },
      }),
    );
    const { engine, debug, errors } = engineWith([boom]);
    const input = chain([{ id: 'b', type: 'boom', config: {} }], [{ source: 'pick', target: 'b' }]);
    const result = validateDocument(input, new Map([...(await import('../../../nodes/registry.ts')).definitionsByType, ['boom', boom.definition]]));
    assert.ok(result.ok);
    engine.deploy(result.document!);
    engine.inject('pick', { temperature: 30 });
    assert.deepEqual(errors, [{ nodeId: 'b', message: 'kaputt' }]);
    assert.deepEqual(debug.map((d) => d.value), ['ON'], 'the sibling branch still ran');
    assert.equal(engine.counters()['b']!.errors, 1);
    assert.equal(engine.statuses()['b']!.fill, 'red');
    await engine.stop();
  });

  it('reports a bad payload as a node error, never a wrong value', async () => {
    const { engine, debug, errors } = engineWith();
    engine.deploy(doc(chain()));
    engine.inject('pick', { humidity: 40 });
    engine.inject('hot', 'warm');
    assert.equal(debug.length, 0);
    assert.equal(errors.length, 2);
    assert.equal(errors[0]!.nodeId, 'pick');
    assert.match(errors[0]!.message, /temperature/);
    assert.equal(errors[1]!.nodeId, 'hot');
    await engine.stop();
  });

  it('stops a message caught in a cycle without overflowing the stack or blocking the event loop', async () => {
    const { engine, errors } = engineWith();
    const loop = {
      format: 'topicflow/1',
      nodes: [
        { id: 'a', type: 'transform', config: { ops: [{ op: 'scale', factor: 1, offset: 1 }] } },
        { id: 'b', type: 'transform', config: { ops: [{ op: 'scale', factor: 1, offset: 0 }] } },
      ],
      edges: [
        { source: 'a', target: 'b' },
        { source: 'b', target: 'a' },
      ],
    };
    engine.deploy(doc(loop));
    const delivered = () => engine.counters()['a']!.in + engine.counters()['b']!.in;
    // Queued before the loop starts, so it runs at the loop's first yield (immediates are FIFO).
    let deliveredWhenOthersRan = -1;
    setImmediate(() => (deliveredWhenOthersRan = delivered()));
    engine.inject('a', 0);
    const deadline = Date.now() + 5000;
    while (errors.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    assert.equal(errors.length, 1);
    assert.match(errors[0]!.message, /loop/);
    assert.equal(delivered(), MAX_HOPS + 1, 'every hop up to the limit was delivered, then it stopped');
    assert.ok(
      deliveredWhenOthersRan > 0 && deliveredWhenOthersRan < MAX_HOPS + 1,
      `other work ran in the middle of the loop (after ${deliveredWhenOthersRan} deliveries)`,
    );
    await engine.stop();
  });

  it('keeps unchanged nodes and their state across a deploy, restarting only what changed', async () => {
    const { engine, debug } = engineWith();
    const first = chain([{ id: 'other', type: 'debug', config: {} }]);
    engine.deploy(doc(first));
    engine.inject('pick', { temperature: 30 });
    assert.deepEqual(debug.map((d) => d.value), ['ON']);

    const renamed = structuredClone(first);
    (renamed.nodes[4] as { config: unknown }).config = { show: 'message' };
    (renamed.nodes[2] as { name?: string }).name = 'Renamed only';
    (renamed.nodes[2] as { position?: unknown }).position = { x: 5, y: 5 };
    const result = engine.deploy(doc(renamed));
    assert.deepEqual(result.started, ['other']);
    assert.deepEqual(result.stopped, ['other']);

    // The threshold kept its state: a second hot value is no change, so nothing is emitted.
    engine.inject('pick', { temperature: 31 });
    assert.deepEqual(debug.map((d) => d.value), ['ON']);
    await engine.stop();
  });

  it('leaves the running flow untouched when a node of a new deploy fails to start', async () => {
    const broken = defineRuntime(
      defineNode({ type: 'broken', label: 'Broken', help: 'fails', category: 'logic', inputs: 1, outputs: 0, config: z.object({}) }),
      () => {
        throw new Error('cannot open device');
      },
    );
    const { engine, debug } = engineWith([broken]);
    engine.deploy(doc(chain()));
    const bad = { ...doc(chain()), nodes: [...doc(chain()).nodes, { id: 'x', type: 'broken', config: {} }] };
    assert.throws(() => engine.deploy(bad), /x \(broken\) failed to start: cannot open device/);
    engine.inject('pick', { temperature: 30 });
    assert.deepEqual(debug.map((d) => d.value), ['ON']);
    await engine.stop();
  });

  it('clears timers of removed nodes', async () => {
    const { engine, debug } = engineWith();
    const ticking = {
      format: 'topicflow/1',
      nodes: [
        { id: 'tick', type: 'inject', config: { payload: 1, interval: 0.1 } },
        { id: 'd', type: 'debug', config: {} },
      ],
      edges: [{ source: 'tick', target: 'd' }],
    };
    engine.deploy(doc(ticking));
    await new Promise((r) => setTimeout(r, 350));
    const seen = debug.length;
    assert.ok(seen >= 2, `interval fired ${seen} times`);
    engine.deploy(doc({ format: 'topicflow/1', nodes: [] }));
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(debug.length, seen);
    await engine.stop();
  });
});
