import assert from 'node:assert/strict';
import { test } from 'node:test';
import { z } from 'zod';
import { brokerForm, describeSchema, humanize, nodeForm, type FieldDescriptor } from '../../editor/src/lib/schema-form.ts';
import { nodeDefinitions } from '../../nodes/registry.ts';

function field(form: readonly FieldDescriptor[] | undefined, key: string): FieldDescriptor {
  const found = form?.find((f) => f.key === key);
  assert.ok(found, `no field "${key}" in ${form?.map((f) => f.key).join(', ')}`);
  return found;
}

test('every node type has a form whose fields all carry a label, and help where the schema describes them', () => {
  for (const def of nodeDefinitions) {
    const form = nodeForm(def.type);
    assert.ok(form, def.type);
    for (const f of form) {
      assert.ok(f.label.length > 0, `${def.type}.${f.key} label`);
      if (f.kind !== 'choice' && f.kind !== 'list') assert.ok(f.help, `${def.type}.${f.key} has no help text`);
    }
  }
});

test('mqtt-in: broker select, topic filter picker, qos and payload as selects with defaults, advanced fields', () => {
  const form = nodeForm('mqtt-in');
  assert.deepEqual(form?.map((f) => f.key), ['broker', 'topic', 'qos', 'payload', 'shareGroup', 'maxBytes']);
  const broker = field(form, 'broker');
  assert.equal(broker.widget, 'broker');
  assert.equal(broker.required, true);
  const topic = field(form, 'topic');
  assert.equal(topic.kind, 'text');
  assert.equal(topic.widget, 'topic-filter');
  assert.match(topic.help ?? '', /wildcards/);
  const qos = field(form, 'qos');
  assert.equal(qos.kind, 'enum');
  assert.equal(qos.default, 1);
  assert.equal(qos.required, false);
  assert.deepEqual(qos.kind === 'enum' && qos.options.map((o) => o.value), [0, 1, 2]);
  assert.equal(qos.label, 'QoS');
  const payload = field(form, 'payload');
  assert.deepEqual(payload.kind === 'enum' && payload.options.map((o) => o.value), ['auto', 'json', 'string', 'number', 'raw']);
  assert.equal(payload.default, 'auto');
  const maxBytes = field(form, 'maxBytes');
  assert.equal(maxBytes.kind, 'number');
  assert.equal(maxBytes.kind === 'number' && maxBytes.integer, true);
  assert.equal(maxBytes.kind === 'number' && maxBytes.min, 1);
  assert.equal(maxBytes.default, 1024 * 1024);
  assert.equal(maxBytes.advanced, true);
  assert.equal(field(form, 'shareGroup').advanced, true);
});

test('mqtt-out: topic name picker, retain checkbox, format select', () => {
  const form = nodeForm('mqtt-out');
  assert.equal(field(form, 'topic').widget, 'topic-name');
  assert.equal(field(form, 'broker').widget, 'broker');
  const retain = field(form, 'retain');
  assert.equal(retain.kind, 'boolean');
  assert.equal(retain.default, false);
  const format = field(form, 'format');
  assert.deepEqual(format.kind === 'enum' && format.options.map((o) => o.value), ['auto', 'json']);
});

test('transform: ops is a list of variants keyed by op, each with its own fields and defaults', () => {
  const ops = field(nodeForm('transform'), 'ops');
  assert.equal(ops.kind, 'list');
  if (ops.kind !== 'list') return;
  assert.equal(ops.discriminator, 'op');
  assert.equal(ops.minItems, 1);
  assert.deepEqual(ops.variants.map((v) => v.value), ['path', 'number', 'scale', 'round', 'convert', 'expr', 'set', 'template']);
  const byOp = Object.fromEntries(ops.variants.map((v) => [v.value, v]));
  assert.deepEqual(byOp['path']!.defaults, { op: 'path', path: 'temperature' });
  assert.equal(byOp['path']!.fields[0]!.widget, 'payload-path');
  assert.deepEqual(byOp['number']!.fields, []);
  assert.deepEqual(byOp['scale']!.defaults, { op: 'scale', factor: 1, offset: 0 });
  assert.deepEqual(byOp['convert']!.fields.map((f) => f.kind), ['enum', 'enum']);
  assert.equal(byOp['expr']!.fields[0]!.widget, 'multiline');
  assert.equal(byOp['set']!.fields.find((f) => f.key === 'value')!.kind, 'json');
  const round = byOp['round']!.fields[0]!;
  assert.deepEqual(round.kind === 'number' && [round.integer, round.min, round.max], [true, 0, 10]);
  // The op field itself is the variant select, not a field of its own.
  for (const v of ops.variants) assert.ok(!v.fields.some((f) => f.key === 'op'));
  // Every variant's defaults pass the server's schema.
  const def = nodeDefinitions.find((d) => d.type === 'transform')!;
  assert.equal(def.config.safeParse({ ops: ops.variants.map((v) => v.defaults) }).success, true);
});

test('threshold: above/below/between/outside become one condition choice with tuples for ranges', () => {
  const form = nodeForm('threshold');
  assert.equal(form?.[0]?.kind, 'choice');
  const choice = field(form, 'condition');
  if (choice.kind !== 'choice') return assert.fail('not a choice');
  assert.deepEqual(choice.options.map((o) => [o.key, o.kind]), [['above', 'number'], ['below', 'number'], ['between', 'tuple'], ['outside', 'tuple']]);
  const between = choice.options[2]!;
  assert.deepEqual(between.kind === 'tuple' && between.items.map((i) => [i.key, i.label, i.kind]), [['0', 'low', 'number'], ['1', 'high', 'number']]);
  for (const key of ['above', 'below', 'between', 'outside']) assert.ok(!form!.some((f) => f.key === key), `${key} is only inside the choice`);
  assert.equal(field(form, 'hysteresis').default, 0);
  assert.equal(field(form, 'for').unit, 's');
  assert.equal(field(form, 'on').kind, 'json');
  assert.equal(field(form, 'on').default, 'ON');
  assert.equal(field(form, 'off').default, 'OFF');
  assert.equal(field(form, 'emitFirst').advanced, true);
  const maxTopics = field(form, 'maxTopics');
  // zod's "safe integer" bound is no limit a person needs to see.
  assert.equal(maxTopics.kind === 'number' && maxTopics.max, undefined);
});

test('inject: payload takes any JSON, interval is an optional number in seconds', () => {
  const form = nodeForm('inject');
  assert.equal(field(form, 'payload').kind, 'json');
  assert.equal(field(form, 'payload').default, '');
  const interval = field(form, 'interval');
  assert.equal(interval.kind, 'number');
  assert.equal(interval.required, false);
  assert.equal(interval.default, undefined);
  assert.equal(interval.kind === 'number' && interval.min, 0.1);
  assert.equal(field(form, 'once').kind, 'boolean');
});

test('debug: show select and active checkbox with defaults', () => {
  const form = nodeForm('debug');
  assert.deepEqual(form?.map((f) => [f.key, f.kind, f.default]), [['show', 'enum', 'payload'], ['active', 'boolean', true]]);
});

test('unknown node types have no form', () => {
  assert.equal(nodeForm('function'), undefined);
});

test('broker form: every field of the broker schema, nested TLS, Last Will and birth', () => {
  const form = brokerForm();
  assert.deepEqual(form.map((f) => f.key), ['id', 'name', 'url', 'clientId', 'clean', 'protocolVersion', 'keepalive', 'username', 'tls', 'will', 'birth', 'queueLimit']);
  const version = field(form, 'protocolVersion');
  assert.deepEqual(version.kind === 'enum' && version.options, [{ value: 4, label: 'MQTT 3.1.1' }, { value: 5, label: 'MQTT 5' }]);
  const tls = field(form, 'tls');
  assert.deepEqual(tls.kind === 'object' && tls.fields.map((f) => [f.key, f.kind, f.widget]), [
    ['ca', 'text', 'file'],
    ['cert', 'text', 'file'],
    ['key', 'text', 'file'],
    ['rejectUnauthorized', 'boolean', undefined],
  ]);
  const will = field(form, 'will');
  assert.equal(will.required, false);
  assert.deepEqual(will.kind === 'object' && will.fields.map((f) => [f.key, f.kind, f.required]), [
    ['topic', 'text', true],
    ['payload', 'text', false],
    ['qos', 'enum', false],
    ['retain', 'boolean', false],
  ]);
  assert.ok(!form.some((f) => /password/i.test(f.key)), 'no password field in the document');
});

test('fields the form cannot draw fall back to a JSON field', () => {
  const form = describeSchema(z.object({ anything: z.record(z.string(), z.number()).describe('a map'), list: z.array(z.string()) }));
  assert.deepEqual(form.map((f) => [f.key, f.kind]), [['anything', 'json'], ['list', 'json']]);
});

test('humanize splits camel case', () => {
  assert.equal(humanize('shareGroup'), 'Share group');
  assert.equal(humanize('rejectUnauthorized'), 'Reject unauthorized');
  assert.equal(humanize('x'), 'X');
});
