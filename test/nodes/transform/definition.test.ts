import { test } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import { transformConfig, transformNode } from '../../../nodes/transform/definition.ts';

function issues(config: unknown): { path: string; message: string }[] {
  const result = transformConfig.safeParse(config);
  assert.equal(result.success, false, 'expected the config to be refused');
  return result.error!.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
}

test('the node describes itself for the palette', () => {
  assert.equal(transformNode.type, 'transform');
  assert.equal(transformNode.category, 'logic');
  assert.equal(transformNode.inputs, 1);
  assert.equal(transformNode.outputs, 1);
  assert.ok(transformNode.help.length > 10);
});

test('every op gets sensible defaults', () => {
  const parsed = transformConfig.parse({
    ops: [
      { op: 'path' },
      { op: 'number' },
      { op: 'scale' },
      { op: 'round' },
      { op: 'convert' },
      { op: 'expr' },
      { op: 'set' },
      { op: 'template' },
    ],
  });
  assert.deepEqual(parsed.ops, [
    { op: 'path', path: 'temperature' },
    { op: 'number' },
    { op: 'scale', factor: 1, offset: 0 },
    { op: 'round', decimals: 0 },
    { op: 'convert', from: 'C', to: 'F' },
    { op: 'expr', expr: '$' },
    { op: 'set', target: 'payload', value: 'ON' },
    { op: 'template', target: 'payload', template: '{payload}' },
  ]);
  assert.deepEqual(transformConfig.parse({}).ops, [{ op: 'path', path: 'temperature' }]);
});

test('a path is trimmed of stray spaces', () => {
  assert.deepEqual(transformConfig.parse({ ops: [{ op: 'path', path: ' ENERGY.Power ' }] }).ops, [
    { op: 'path', path: 'ENERGY.Power' },
  ]);
});

const REFUSED: [name: string, op: unknown, path: string, pattern: RegExp][] = [
  ['__proto__ path', { op: 'path', path: '__proto__.x' }, 'ops.0.path', /"__proto__" cannot be used in a path/],
  ['constructor path', { op: 'path', path: 'constructor' }, 'ops.0.path', /"constructor" cannot be used/],
  ['prototype path', { op: 'path', path: 'a["prototype"]' }, 'ops.0.path', /"prototype" cannot be used/],
  ['bracketed __proto__', { op: 'path', path: '["__proto__"].polluted' }, 'ops.0.path', /"__proto__"/],
  ['empty path', { op: 'path', path: '  ' }, 'ops.0.path', /enter the field/],
  ['broken path', { op: 'path', path: 'a..b' }, 'ops.0.path', /empty field name/],
  ['°C to kWh', { op: 'convert', from: 'C', to: 'kWh' }, 'ops.0.to', /cannot convert temperature \(C\) to energy \(kWh\)/],
  ['W to Wh', { op: 'convert', from: 'W', to: 'Wh' }, 'ops.0.to', /power \(W\) to energy \(Wh\)/],
  ['unknown unit', { op: 'convert', from: 'C', to: 'R' }, 'ops.0.to', /./],
  ['JSONata syntax error', { op: 'expr', expr: 'temperature * (' }, 'ops.0.expr', /^JSONata: .+/],
  ['JSONata unknown operator', { op: 'expr', expr: 'a ==== b' }, 'ops.0.expr', /^JSONata: /],
  ['empty expression', { op: 'expr', expr: '' }, 'ops.0.expr', /enter a JSONata expression/],
  ['template unclosed', { op: 'template', template: 'Power {payload' }, 'ops.0.template', /never closed/],
  ['template bad field', { op: 'template', template: '{a b}' }, 'ops.0.template', /not a field name/],
  ['set topic to a number', { op: 'set', target: 'topic', value: 5 }, 'ops.0.value', /non-empty text/],
  ['set topic empty', { op: 'set', target: 'topic', value: '' }, 'ops.0.value', /non-empty text/],
  ['round too far', { op: 'round', decimals: 11 }, 'ops.0.decimals', /./],
  ['round by half a digit', { op: 'round', decimals: 1.5 }, 'ops.0.decimals', /./],
  ['scale by text', { op: 'scale', factor: '2' }, 'ops.0.factor', /./],
  ['unknown op', { op: 'multiply' }, 'ops.0.op', /Expected 'path' \| 'number'/],
];

for (const [name, op, path, pattern] of REFUSED) {
  test(`refused at validation: ${name}`, () => {
    const found = issues({ ops: [op] });
    const issue = found.find((i) => i.path === path);
    assert.ok(issue, `no issue at ${path}: ${JSON.stringify(found)}`);
    assert.match(issue.message, pattern);
  });
}

test('an empty op list is refused', () => {
  assert.deepEqual(issues({ ops: [] }), [{ path: 'ops', message: 'add at least one op' }]);
});

test('the JSONata compile error carries JSONata’s own message', () => {
  const [issue] = issues({ ops: [{ op: 'expr', expr: '$sum(temperature' }] });
  assert.match(issue!.message, /^JSONata: Expected "\)" before end of expression/);
});

test('the issue path points at the failing op among several', () => {
  const found = issues({ ops: [{ op: 'path', path: 'ENERGY' }, { op: 'number' }, { op: 'path', path: 'prototype' }] });
  assert.deepEqual(found.map((i) => i.path), ['ops.2.path']);
});

test('every field the editor shows has help text in the JSON Schema', () => {
  const schema = z.toJSONSchema(transformConfig) as unknown as {
    properties: { ops: { items: { oneOf: { properties: Record<string, { description?: string }> }[] } } };
  };
  const variants = schema.properties.ops.items.oneOf;
  assert.equal(variants.length, 8);
  for (const variant of variants) {
    for (const [field, spec] of Object.entries(variant.properties)) {
      if (field === 'op') continue;
      assert.ok(spec.description, `field ${field} has no description`);
    }
  }
});
