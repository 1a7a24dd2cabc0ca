import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { fakeContext, type Recorded } from '../../support/fake-context.ts';
import { transformConfig } from '../../../nodes/transform/definition.ts';
import { compileOps, type OpResult, type Transform } from '../../../nodes/transform/ops.ts';
import { createTransform, transformRuntime } from '../../../nodes/transform/runtime.ts';
import { newMessage, UNAVAILABLE, type Message } from '../../../nodes/message.ts';
import type { NodeContext } from '../../../nodes/define-node.ts';
import { flushStatuses } from '../../../nodes/status-batch.ts';

function start(ops: unknown[]) {
  const { ctx, rec } = fakeContext();
  const node = transformRuntime.create(transformConfig.parse({ ops }), ctx);
  return { node, rec, input: (payload: unknown, fields: Partial<Message> = {}) => node.input!(newMessage({ topic: 't', ...fields, payload })) };
}

/** Wait until the node has answered `count` messages (sent or failed); fail after 5 s. */
async function settle(rec: Recorded, count: number): Promise<void> {
  const deadline = Date.now() + 5000;
  while (rec.sent.length + rec.errors.length < count) {
    if (Date.now() > deadline) assert.fail(`only ${rec.sent.length + rec.errors.length} of ${count} answered`);
    await sleep(1);
  }
}

/** A context that also logs sends and errors in one list, to check their relative order. */
function orderedContext(): { ctx: NodeContext; rec: Recorded; log: string[] } {
  const { ctx, rec } = fakeContext();
  const log: string[] = [];
  return {
    rec,
    log,
    ctx: {
      ...ctx,
      send: (msg, port) => {
        log.push(`sent ${String(msg.payload)}`);
        ctx.send(msg, port);
      },
      error: (error, msg) => {
        log.push(`error ${String(msg?.payload)}`);
        ctx.error(error, msg);
      },
    },
  };
}

test('a synchronous transform sends at once and shows the value', () => {
  const { rec, input } = start([{ op: 'path', path: 'ENERGY.Power' }]);
  input({ ENERGY: { Power: 42 } }, { topic: 'tele/plug001/SENSOR', captures: { dev: 'plug001' } });
  assert.equal(rec.sent.length, 1);
  const out = rec.sent[0]!;
  assert.equal(out.port, 0);
  assert.equal(out.msg.payload, 42);
  assert.equal(out.msg.topic, 'tele/plug001/SENSOR');
  assert.deepEqual(out.msg.captures, { dev: 'plug001' });
  // Value statuses are drawn in batches (nodes/status-batch.ts): none yet, the value once drawn.
  assert.equal(rec.statuses.length, 0);
  flushStatuses();
  assert.deepEqual(rec.statuses.at(-1), { fill: 'green', text: '42' });
});

test('a failing message is a node error with the message, nothing is sent', () => {
  const { rec, input } = start([{ op: 'path', path: 'temperature' }]);
  input({ battery: 97, linkquality: 120 });
  assert.equal(rec.sent.length, 0);
  assert.equal(rec.errors.length, 1);
  assert.equal(rec.errors[0]!.error.message, 'field "temperature" is missing (payload has: battery, linkquality)');
  assert.deepEqual(rec.errors[0]!.msg?.payload, { battery: 97, linkquality: 120 });
  assert.equal(rec.statuses.at(-1)!.fill, 'red');
  assert.match(rec.statuses.at(-1)!.text, /^field "temperature" is missing/);
  assert.ok(rec.statuses.at(-1)!.text.length <= 60);
});

test('an unavailable value is forwarded with a grey status', () => {
  const { rec, input } = start([{ op: 'path', path: 'SI7021-02.Temperature' }, { op: 'round', decimals: 1 }]);
  input({ 'SI7021-02': { Temperature: UNAVAILABLE } });
  assert.equal(rec.sent[0]!.msg.payload, UNAVAILABLE);
  flushStatuses();
  assert.deepEqual(rec.statuses.at(-1), { fill: 'grey', text: 'unavailable' });
  // Forwarded, not dropped: the node that drops it counts it.
  assert.equal(rec.unavailable.length, 0);
});

test('the status shows the last of many values, and an error at once over a waiting value', () => {
  const { rec, input } = start([{ op: 'path', path: 'v' }]);
  for (const v of [1, 2, 3]) input({ v });
  flushStatuses();
  assert.deepEqual(rec.statuses, [{ fill: 'green', text: '3' }]);
  input({ v: 4 });
  input({});
  assert.equal(rec.statuses.at(-1)!.fill, 'red');
  flushStatuses();
  assert.equal(rec.statuses.at(-1)!.fill, 'red', 'the waiting value does not paint over the newer error');
});

test('long values are shortened in the status', () => {
  const { rec, input } = start([{ op: 'set', value: { message: 'x'.repeat(100) } }]);
  input(1);
  flushStatuses();
  assert.ok(rec.statuses.at(-1)!.text.length <= 32);
  assert.ok(rec.statuses.at(-1)!.text.endsWith('…'));
});

test('JSONata results leave in input order, errors included, with many in flight', async () => {
  const { ctx, rec, log } = orderedContext();
  // A larger payload means a longer evaluation; "x" fails.
  const node = createTransform(compileOps(transformConfig.parse({ ops: [{ op: 'expr', expr: '$count([1..$]) + 0' }] })), ctx);
  const payloads: unknown[] = [50_000, 1, 'x', 20_000, 2, 30_000, 3];
  for (const payload of payloads) node.input(newMessage({ payload }));
  assert.equal(rec.sent.length, 0, 'nothing can be ready synchronously');
  await settle(rec, payloads.length);
  assert.deepEqual(log, ['sent 50000', 'sent 1', 'error x', 'sent 20000', 'sent 2', 'sent 30000', 'sent 3']);
});

test('a quick result waits behind a slow one', async () => {
  const { ctx, rec, log } = orderedContext();
  // A fake transform: the first message takes 30 ms, the others answer at once.
  const slowFirst: Transform = (msg) => {
    const result: OpResult = { ok: true, msg };
    return msg.payload === 1 ? sleep(30).then(() => result) : result;
  };
  const node = createTransform(slowFirst, ctx);
  for (const payload of [1, 2, 3]) node.input(newMessage({ payload }));
  assert.deepEqual(log, []);
  await settle(rec, 3);
  assert.deepEqual(log, ['sent 1', 'sent 2', 'sent 3']);
  // Once the queue is empty, synchronous results go straight out again.
  node.input(newMessage({ payload: 4 }));
  assert.deepEqual(log.at(-1), 'sent 4');
});

test('an endless expression times out and the next message still goes through', async () => {
  const { ctx, rec } = fakeContext();
  const config = transformConfig.parse({
    ops: [{ op: 'expr', expr: '$ = "loop" ? ($f := function($n) { $f($n + 1) }; $f(0)) : $ * 2' }],
  });
  const node = createTransform(compileOps(config, { timeoutMs: 50, maxDepth: 1000, maxSequence: 1000 }), ctx);
  node.input(newMessage({ payload: 'loop' }));
  node.input(newMessage({ payload: 21 }));
  await settle(rec, 2);
  assert.match(rec.errors[0]!.error.message, /timeout after 50 milliseconds/);
  assert.equal(rec.sent[0]!.msg.payload, 42);
  flushStatuses();
  assert.deepEqual(rec.statuses.at(-1), { fill: 'green', text: '42' });
});

test('a node that falls behind drops messages with an error instead of queueing forever', async () => {
  const { ctx, rec } = fakeContext();
  const slow: Transform = (msg) => sleep(20).then((): OpResult => ({ ok: true, msg }));
  const node = createTransform(slow, ctx, 2);
  for (const payload of [1, 2, 3, 4, 5]) node.input(newMessage({ payload }));
  await settle(rec, 5);
  // The limit counts the message being evaluated too.
  assert.deepEqual(rec.sent.map((s) => s.msg.payload), [1, 2]);
  assert.match(rec.errors[0]!.error.message, /falling behind \(2 messages waiting\); message dropped/);
  assert.deepEqual(rec.errors.map((e) => e.msg?.payload), [3, 4, 5]);
});

test('a transform that throws is that node’s error, not the process’s', () => {
  const { ctx, rec } = fakeContext();
  const node = createTransform(() => {
    throw new Error('bug');
  }, ctx);
  node.input(newMessage({ payload: 1 }));
  assert.equal(rec.errors[0]!.error.message, 'unexpected failure: bug');
});

test('after close nothing more is sent, and close waits for the running evaluation', async () => {
  const { ctx, rec } = fakeContext();
  let finished = 0;
  const slow: Transform = (msg) => sleep(20).then((): OpResult => (finished++, { ok: true, msg }));
  const node = createTransform(slow, ctx);
  node.input(newMessage({ payload: 1 }));
  node.input(newMessage({ payload: 2 }));
  await node.close();
  node.input(newMessage({ payload: 3 }));
  await sleep(50);
  assert.equal(finished, 1, 'queued messages are not worked on after close');
  assert.equal(rec.sent.length, 0);
  assert.equal(rec.errors.length, 0);
});

test('close on an idle node finishes at once', () => {
  const { node } = start([{ op: 'number' }]);
  assert.equal(node.close!(), undefined);
});
