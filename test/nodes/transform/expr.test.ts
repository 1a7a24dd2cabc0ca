import { test } from 'node:test';
import assert from 'node:assert/strict';
import { transformConfig } from '../../../nodes/transform/definition.ts';
import { compileOps, type OpResult } from '../../../nodes/transform/ops.ts';
import { compileExpression } from '../../../nodes/transform/expr.ts';
import { newMessage, UNAVAILABLE, type Message } from '../../../nodes/message.ts';

async function run(expr: string, payload: unknown, fields: Partial<Message> = {}): Promise<OpResult> {
  const transform = compileOps(transformConfig.parse({ ops: [{ op: 'expr', expr }] }));
  return transform(newMessage({ ...fields, payload }));
}

const CASES: [expr: string, payload: unknown, expected: unknown][] = [
  ['temperature * 1.8 + 32', { temperature: 20 }, 68],
  ['$round(AM2301.Temperature)', { AM2301: { Temperature: 24.6 } }, 25],
  ['$ > 25 ? "ON" : "OFF"', 27.3, 'ON'],
  ['`SI7021-00`.Temperature', { 'SI7021-00': { Temperature: 17.1 } }, 17.1],
  ['`SI7021-02`.Temperature', { 'SI7021-02': { Temperature: UNAVAILABLE } }, UNAVAILABLE],
  ['readings[value > 1].value', { readings: [{ value: 1 }, { value: 2 }, { value: 3 }] }, [2, 3]],
  ['{ "power": ENERGY.Power, "on": ENERGY.Power > 0 }', { ENERGY: { Power: 42 } }, { power: 42, on: true }],
  ['null', 1, null],
  ['$', [1, 2], [1, 2]],
];

for (const [expr, payload, expected] of CASES) {
  test(`expr ${expr}`, async () => {
    const result = await run(expr, payload);
    assert.ok(result.ok, !result.ok ? result.error : '');
    // deepStrictEqual also compares extra array fields: JSONata's `sequence` flag must be gone.
    assert.deepStrictEqual(result.msg.payload, expected);
  });
}

test('expr sees $topic, $sourceTopic and $captures', async () => {
  const result = await run('$topic & "|" & $sourceTopic & "|" & $captures.room & "|" & $', 5, {
    topic: 'home/kitchen/t',
    sourceTopic: 'raw/kitchen',
    captures: { room: 'kitchen' },
  });
  assert.ok(result.ok);
  assert.equal(result.msg.payload, 'home/kitchen/t|raw/kitchen|kitchen|5');
});

test('an unavailable payload passes an expr untouched', async () => {
  const result = await run('$ * 2', UNAVAILABLE);
  assert.ok(result.ok);
  assert.equal(result.msg.payload, UNAVAILABLE);
});

const FAILURES: [expr: string, payload: unknown, pattern: RegExp][] = [
  ['temperature', { humidity: 40 }, /^expression gave no value$/],
  ['$string', 1, /gave a function, not a value/],
  ['function($x) { $x }', 1, /gave a function, not a value/],
  ['"a" + 1', 1, /^expression failed: The left side of the "\+" operator must evaluate to a number/],
  ['$number("abc")', 1, /^expression failed: /],
  ['$count([1..1000000])', 1, /^expression failed: .*sequence length/],
];

for (const [expr, payload, pattern] of FAILURES) {
  test(`expr ${expr} fails with a reason`, async () => {
    const result = await run(expr, payload);
    assert.equal(result.ok, false);
    assert.match(!result.ok ? result.error : '', pattern);
  });
}

test('an endless expression is stopped by the time limit', async () => {
  const expression = compileExpression('($loop := function($n) { $loop($n + 1) }; $loop(0))', {
    timeoutMs: 50,
    maxDepth: 1000,
    maxSequence: 1000,
  });
  const started = Date.now();
  const outcome = await expression.evaluate({}, {});
  assert.equal(outcome.ok, false);
  assert.match(!outcome.ok ? outcome.error : '', /timeout after 50 milliseconds/);
  assert.ok(Date.now() - started < 2000);
});

test('runaway recursion is stopped by the depth limit', async () => {
  const expression = compileExpression('($deep := function($n) { $n = 0 ? 0 : 1 + $deep($n - 1) }; $deep(100000))');
  const outcome = await expression.evaluate({}, {});
  assert.equal(outcome.ok, false);
  assert.match(!outcome.ok ? outcome.error : '', /^expression failed: /);
});

test('a syntax error throws at compile time with JSONata’s position', () => {
  assert.throws(() => compileExpression('a +'), /^Error: JSONata: .+/);
  assert.throws(() => compileExpression('(a'), /near character \d+/);
});

test('a __proto__ field built by an expression stays a plain field', async () => {
  const result = await run('{ "__proto__": { "polluted": true } }', 1);
  assert.ok(result.ok);
  const payload = result.msg.payload as object;
  assert.equal(Object.getPrototypeOf(payload), Object.prototype);
  assert.equal(({} as { polluted?: boolean }).polluted, undefined);
});
