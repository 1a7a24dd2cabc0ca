/**
 * The change node's rules as transform ops, run with topicflow's transform logic and compared
 * with what Node-RED's documentation says each rule does.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { validateDocument } from '../../nodes/document/validate.ts';
import { convertNodeRed } from '../../nodes/import/convert.ts';
import { broker, change, mqttIn, mqttOut, set, tab } from './support/nr.ts';
import { runTransform } from './support/run-ops.ts';

function convertRules(rules: Record<string, unknown>[]) {
  const { document, report } = convertNodeRed([tab(), broker(), mqttIn('in', 'x', ['c']), change('c', rules, ['out']), mqttOut('out', 'y')]);
  const result = validateDocument(document);
  const node = document.nodes.find((n) => n.id === 'c')!;
  return { node, report, ok: result.ok, document };
}

async function apply(rules: Record<string, unknown>[], payload: unknown, topic = 'sensor/x') {
  const { node } = convertRules(rules);
  assert.equal(node.type, 'transform', JSON.stringify(node));
  return runTransform(node.config, payload, topic);
}

const replace = (from: unknown, fromt: string, to: unknown, tot: string) => ({ t: 'change', p: 'payload', from, fromt, to, tot });

describe('change → transform', () => {
  test('set the payload to text, a number, true/false, JSON, another field, the topic, a timestamp', async () => {
    assert.deepEqual(await apply([set('ON', 'str')], 1), { ok: true, payload: 'ON', topic: 'sensor/x' });
    assert.deepEqual(await apply([set('21.5', 'num')], 1), { ok: true, payload: 21.5, topic: 'sensor/x' });
    assert.deepEqual(await apply([set('TRUE', 'bool')], 1), { ok: true, payload: true, topic: 'sensor/x' });
    assert.deepEqual(await apply([set('{"state":"ON","brightness":120}', 'json')], 1), { ok: true, payload: { state: 'ON', brightness: 120 }, topic: 'sensor/x' });
    assert.deepEqual(await apply([set('payload.ENERGY.Power', 'msg')], { ENERGY: { Power: 42 } }), { ok: true, payload: 42, topic: 'sensor/x' });
    assert.deepEqual(await apply([set('topic', 'msg')], 1), { ok: true, payload: 'sensor/x', topic: 'sensor/x' });
    const stamped = await apply([set('', 'date')], 1);
    assert.ok(stamped.ok && typeof stamped.payload === 'number' && Math.abs(stamped.payload - Date.now()) < 5000);
  });

  test('JSONata sees the message as Node-RED gives it: payload and topic', async () => {
    assert.deepEqual(await apply([set('$round(payload.temperature * 1.8 + 32, 1)', 'jsonata')], { temperature: 21.37 }), { ok: true, payload: 70.5, topic: 'sensor/x' });
    assert.deepEqual(await apply([set('$split(topic, "/")[1] & ": " & $string(payload)', 'jsonata')], 7), { ok: true, payload: 'x: 7', topic: 'sensor/x' });
    const { report } = convertRules([set('payload & msg_id & _msgid', 'jsonata')]);
    assert.ok(report.changed.find((r) => r.id === 'c')?.differences.some((d) => /msg\._msgid|msg\.msg_id/.test(d)));
  });

  test('set the topic to a constant or a computed value; an empty topic is a stated difference', async () => {
    assert.deepEqual(await apply([set('home/out', 'str', 'topic')], 5), { ok: true, payload: 5, topic: 'home/out' });
    assert.deepEqual(await apply([set('"home/" & payload.room', 'jsonata', 'topic')], { room: 'kitchen' }), { ok: true, payload: { room: 'kitchen' }, topic: 'home/kitchen' });
    const { report } = convertRules([set('', 'str', 'topic'), set('x', 'str')]);
    assert.ok(report.changed.find((r) => r.id === 'c')?.differences.some((d) => /empty topic/.test(d)));
  });

  test('set, delete fields of the payload; the rest stays in order', async () => {
    const reading = { battery: 97, humidity: 55, linkquality: 134, temperature: 21.37 };
    const out = await apply([{ t: 'delete', p: 'payload.linkquality' }, set('kitchen', 'str', 'payload.room'), set('{"x":1}', 'json', 'payload.meta.extra')], { ...reading, meta: {} });
    assert.deepEqual(out, { ok: true, payload: { battery: 97, humidity: 55, temperature: 21.37, meta: { extra: { x: 1 } }, room: 'kitchen' }, topic: 'sensor/x' });
    assert.equal(JSON.stringify((out as { payload: unknown }).payload), '{"battery":97,"humidity":55,"temperature":21.37,"meta":{"extra":{"x":1}},"room":"kitchen"}');
  });

  test('search and replace behaves as Node-RED documents it', async () => {
    const cases: [Record<string, unknown>, unknown, unknown][] = [
      [replace('ON', 'str', 'on', 'str'), 'ON', 'on'],
      [replace('ON', 'str', 'on', 'str'), 'TOGGLE ON ON', 'TOGGLE on on'],
      [replace('ON', 'str', 'true', 'bool'), 'ON', true],
      [replace('O', 'str', 'true', 'bool'), 'ON', 'trueN'],
      [replace('1', 'num', 'ON', 'str'), 1, 'ON'],
      [replace('1', 'num', 'ON', 'str'), 2, 2],
      [replace('1', 'num', 'ON', 'str'), '1', 'ON'],
      [replace('1', 'num', 'ON', 'str'), '10', 'ON0'],
      [replace('true', 'bool', 'ON', 'str'), true, 'ON'],
      [replace('true', 'bool', 'ON', 'str'), false, false],
      [replace('[0-9]+', 're', '#', 'str'), 'a1b22', 'a#b#'],
      [replace('a.b', 'str', 'x', 'str'), 'a.b axb', 'x axb'],
      [replace('ON', 'str', 'on', 'str'), { state: 'ON' }, { state: 'ON' }],
    ];
    for (const [rule, input, expected] of cases) {
      assert.deepEqual(await apply([rule], input), { ok: true, payload: expected, topic: 'sensor/x' }, `${JSON.stringify(rule)} on ${JSON.stringify(input)}`);
    }
  });

  test('move a field to the payload, or the topic into the payload', async () => {
    assert.deepEqual(await apply([{ t: 'move', p: 'payload.AM2301', to: 'payload', tot: 'msg' }], { AM2301: { Humidity: 60 } }), { ok: true, payload: { Humidity: 60 }, topic: 'sensor/x' });
    assert.deepEqual(await apply([{ t: 'move', p: 'topic', to: 'payload', tot: 'msg' }], 1), { ok: true, payload: 'sensor/x', topic: 'sensor/x' });
  });

  test('rules on other message properties are left out with a stated difference; nothing left passes straight through', () => {
    const { document, report } = convertRules([set('true', 'bool', 'retain'), set('2', 'num', 'qos')]);
    assert.equal(document.nodes.some((n) => n.id === 'c'), false);
    assert.deepEqual(document.edges, [{ source: 'in', target: 'out' }]);
    assert.equal(report.changed.find((r) => r.id === 'c')?.differences.length, 2);
  });

  test('flow/global context and environment values make a placeholder that keeps the rules', () => {
    for (const rules of [[{ t: 'set', p: 'x', pt: 'flow', to: 'payload', tot: 'msg' }], [set('level', 'flow')], [set('HOME', 'env')], [set('{bad', 'json')], [{ t: 'delete', p: 'payload' }]]) {
      const { node, report } = convertRules(rules);
      assert.equal(node.type, 'unsupported', JSON.stringify(rules));
      assert.deepEqual((node.config['original'] as { rules: unknown }).rules, rules.map((r) => ({ pt: 'msg', ...r })));
      assert.equal(report.unsupported[0]?.id, 'c');
    }
  });
});
