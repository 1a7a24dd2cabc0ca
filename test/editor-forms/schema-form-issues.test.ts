import assert from 'node:assert/strict';
import { test } from 'node:test';
import { z } from 'zod';
import { nodeForm } from '../../editor/src/lib/schema-form.ts';
import { configProblems, errorsUnder, fieldErrors, friendlyMessage, mergeProblems } from '../../editor/src/lib/schema-form-issues.ts';
import { definitionsByType } from '../../nodes/registry.ts';

function errorsOf(type: string, config: unknown) {
  const result = definitionsByType.get(type)!.config.safeParse(config);
  assert.equal(result.success, false, `expected ${JSON.stringify(config)} to be refused`);
  return fieldErrors(result.error!.issues, nodeForm(type));
}

const cases: { type: string; config: unknown; expect: Record<string, RegExp> }[] = [
  { type: 'mqtt-in', config: { broker: '', topic: 'a/#/b' }, expect: { broker: /choose a broker/, topic: /"#" must be the last level/ } },
  { type: 'mqtt-in', config: { broker: 'home', topic: 'a', maxBytes: 'lots' }, expect: { maxBytes: /^enter a number$/ } },
  { type: 'mqtt-in', config: { broker: 'home', topic: 'a', maxBytes: 0 }, expect: { maxBytes: /^must be at least 1$/ } },
  { type: 'mqtt-in', config: { broker: 'home', topic: 'a', qos: 3 }, expect: { qos: /QoS must be 0, 1 or 2/ } },
  { type: 'mqtt-out', config: { broker: 'home', topic: 'a/+/b' }, expect: { topic: /wildcards are only for subscribing/ } },
  { type: 'transform', config: { ops: [{ op: 'path', path: '' }, { op: 'convert', from: 'C', to: 'kWh' }] }, expect: { 'ops.0.path': /enter the field to pick/, 'ops.1.to': /cannot convert/ } },
  { type: 'transform', config: { ops: [{ op: 'scale', factor: 'x' }] }, expect: { 'ops.0.factor': /^enter a number$/ } },
  { type: 'transform', config: { ops: [{ op: 'expr', expr: '$round(' }] }, expect: { 'ops.0.expr': /./ } },
  { type: 'transform', config: { ops: [] }, expect: { ops: /add at least one op/ } },
  { type: 'transform', config: { ops: [{ op: 'bogus' }] }, expect: { 'ops.0.op': /choose a step type/ } },
  // A config-wide threshold problem belongs under the condition select.
  { type: 'threshold', config: {}, expect: { condition: /Set one of above, below, between or outside/ } },
  { type: 'threshold', config: { above: 'warm' }, expect: { above: /above must be a number, not "warm"/ } },
  { type: 'threshold', config: { between: [5, 'x'] }, expect: { 'between.1': /upper bound of between must be a number/ } },
  { type: 'threshold', config: { between: [5, 1] }, expect: { between: /lower bound of between \(5\) must be less/ } },
  { type: 'threshold', config: { above: 1, below: 2 }, expect: { below: /Set only one/ } },
  { type: 'threshold', config: { above: 1, on: null }, expect: { on: /on must be text/ } },
  { type: 'threshold', config: { outside: [0, 10], hysteresis: 6 }, expect: { hysteresis: /at most 5/ } },
  { type: 'inject', config: { interval: 0 }, expect: { interval: /at least 0.1 seconds/ } },
  { type: 'debug', config: { show: 'everything' }, expect: { show: /must be one of "payload", "message"/ } },
];

for (const c of cases) {
  test(`${c.type} ${JSON.stringify(c.config)} → errors under ${Object.keys(c.expect).join(', ')}`, () => {
    const errors = errorsOf(c.type, c.config);
    for (const [path, pattern] of Object.entries(c.expect)) {
      assert.ok(errors[path]?.some((m) => pattern.test(m)), `${path}: ${JSON.stringify(errors)}`);
    }
  });
}

test('one field with two issues lists each message once, the schema\'s own first', () => {
  const errors = errorsOf('transform', { ops: [{ op: 'path', path: '' }] });
  assert.deepEqual(errors['ops.0.path'], ['enter the field to pick, e.g. temperature', 'the path is empty']);
});

test('errorsUnder gathers a field and its parts (a tuple and its members)', () => {
  const errors = { between: ['a'], 'between.1': ['b'], 'betweenx': ['no'], above: ['c'] };
  assert.deepEqual(errorsUnder(errors, 'between'), ['a', 'b']);
  assert.deepEqual(errorsUnder(errors, 'below'), []);
});

test('friendlyMessage keeps messages a schema wrote, and rewrites zod\'s generic ones', () => {
  const issues = (schema: z.ZodType, value: unknown) => schema.safeParse(value).error!.issues[0]!;
  assert.equal(friendlyMessage(issues(z.string().min(1, 'type something'), '')), 'type something');
  assert.equal(friendlyMessage(issues(z.string(), undefined)), 'required');
  assert.equal(friendlyMessage(issues(z.boolean(), 'yes')), 'must be true or false');
  assert.equal(friendlyMessage(issues(z.number().max(10), 11)), 'must be at most 10');
  assert.equal(friendlyMessage(issues(z.number().gt(0), 0)), 'must be more than 0');
  assert.equal(friendlyMessage(issues(z.string().min(1), '')), 'must not be empty');
  assert.equal(friendlyMessage(issues(z.string().max(3), 'abcd')), 'must be at most 3 characters');
  assert.equal(friendlyMessage(issues(z.string().regex(/^a$/), 'b')), 'has characters that are not allowed here');
});

test('configProblems reports schema issues and unknown brokers like the server validator', () => {
  const def = definitionsByType.get('mqtt-in')!;
  const problems = configProblems(def, 'in1', 2, { broker: 'gone', topic: '' }, new Set(['home']));
  assert.deepEqual(problems.map((p) => [p.code, p.nodeId, p.path]), [
    ['config.invalid', 'in1', 'nodes[2].config.topic'],
    ['config.unknown-broker', 'in1', 'nodes[2].config.broker'],
  ]);
  assert.match(problems[1]!.message, /no broker "gone"/);
  assert.deepEqual(configProblems(def, 'in1', 0, { broker: 'home', topic: 'a/b' }, new Set(['home'])), []);
  const threshold = configProblems(definitionsByType.get('threshold')!, 't', 0, {}, new Set());
  assert.equal(threshold[0]!.path, 'nodes[0].config');
  assert.match(threshold[0]!.message, /^config: Set one of/);
});

test('mergeProblems replaces the editor\'s own problems and keeps the others', () => {
  const server = [
    { code: 'config.invalid', nodeId: 'a', message: 'old' },
    { code: 'edge.no-input', nodeId: 'a', message: 'edge' },
  ];
  const local = [{ code: 'config.invalid', nodeId: 'a', message: 'new' }];
  assert.deepEqual(mergeProblems(server, local).map((p) => p.message), ['edge', 'new']);
  assert.deepEqual(mergeProblems(undefined, []), []);
});
