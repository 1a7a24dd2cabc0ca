/**
 * A switch that is not an ON/OFF pattern becomes one filtering transform per wired output.
 * The transforms are run with topicflow's transform logic: a message a port gets keeps its
 * value (exactly, objects included), one it does not get leaves as "unavailable".
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { validateDocument } from '../../nodes/document/validate.ts';
import { convertNodeRed } from '../../nodes/import/convert.ts';
import type { NrNode } from '../../nodes/import/node-red.ts';
import { broker, change, mqttIn, mqttOut, node, set, switchNode, tab } from './support/nr.ts';
import { runTransform, UNAVAILABLE } from './support/run-ops.ts';

function convert(flow: NrNode[]) {
  const result = convertNodeRed(flow);
  assert.ok(validateDocument(result.document).ok, JSON.stringify(validateDocument(result.document).errors));
  return result;
}

const levels = [
  { t: 'lt', v: '40', vt: 'num' },
  { t: 'btwn', v: '40', vt: 'num', v2: '65', v2t: 'num' },
  { t: 'else' },
];

describe('switch → filtering transforms', () => {
  test('stop after the first match: a value goes to the first matching output only; text form before mqtt out', async () => {
    const flow = [tab(), broker(), mqttIn('in', 'h/humidity', ['sw']), switchNode('sw', 'payload', levels, [['o1'], ['o2'], ['o3']], { checkall: 'false' }), mqttOut('o1', 'dry'), mqttOut('o2', 'ok'), mqttOut('o3', 'humid')];
    const { document, report } = convert(flow);
    const ports = ['sw-out1', 'sw-out2', 'sw-out3'].map((id) => document.nodes.find((n) => n.id === id)!);
    assert.equal(ports.length, 3);
    const cases: [unknown, number][] = [[35, 0], [40, 1], [65, 1], [65.5, 2], ['50', 1], ['wet', 2]];
    for (const [value, port] of cases) {
      for (const [i, p] of ports.entries()) {
        const out = await runTransform(p.config, value);
        assert.ok(out.ok, JSON.stringify(out));
        assert.equal(out.payload, i === port ? String(value) : UNAVAILABLE, `value ${JSON.stringify(value)} at output ${i + 1}`);
      }
    }
    assert.deepEqual(document.edges.filter((e) => e.source === 'in').map((e) => e.target), ['sw-out1', 'sw-out2', 'sw-out3']);
    assert.ok(report.changed.find((r) => r.id === 'sw')!.differences.some((d) => /unavailable/.test(d)));
  });

  test('check all rules: a value goes to every matching output', async () => {
    const rules = [{ t: 'gt', v: '60', vt: 'num' }, { t: 'gt', v: '80', vt: 'num' }, { t: 'else' }];
    const flow = [tab(), broker(), mqttIn('in', 'h', ['sw']), switchNode('sw', 'payload.humidity', rules, [['a'], ['b'], ['c']]), mqttOut('a', 'a'), mqttOut('b', 'b'), mqttOut('c', 'c')];
    const { document } = convert(flow);
    const at = (port: number, humidity: number) => runTransform(document.nodes.find((n) => n.id === `sw-out${port}`)!.config, { humidity });
    assert.notEqual((await at(1, 85) as { payload: unknown }).payload, UNAVAILABLE);
    assert.notEqual((await at(2, 85) as { payload: unknown }).payload, UNAVAILABLE);
    assert.equal((await at(3, 85) as { payload: unknown }).payload, UNAVAILABLE);
    assert.equal((await at(3, 50) as { payload: unknown }).payload, JSON.stringify({ humidity: 50 }));
  });

  test('typed form keeps the value exactly for nodes that read it (objects, numbers, text)', async () => {
    const flow = [tab(), broker(), mqttIn('in', 'h', ['sw']), switchNode('sw', 'payload', [{ t: 'nnull' }, { t: 'null' }], [['sw2'], []]), node('sw2', 'range', [['out']], { minin: '0', maxin: '10', minout: '0', maxout: '100', action: 'scale', round: false, property: 'payload' }), mqttOut('out', 'x')];
    const { document } = convert(flow);
    const port = document.nodes.find((n) => n.id === 'sw-out1')!;
    assert.equal((port.config['ops'] as unknown[]).length, 3);
    for (const value of [{ a: [1, { b: 0.30000000000000004 }] }, 21.5, 'text', true, [1, 2]]) {
      assert.deepEqual(await runTransform(port.config, value), { ok: true, payload: value, topic: 'sensor/x' });
    }
    assert.equal(document.nodes.some((n) => n.id === 'sw-out2'), false, 'an unwired output adds nothing');
  });

  test('a fixed payload after a filter is set with JSONata, so "unavailable" is not turned back into a value', async () => {
    const flow = [tab(), broker(), mqttIn('in', 'h', ['sw']), switchNode('sw', 'payload', [{ t: 'gt', v: '60', vt: 'num' }], [['on']]), change('on', [set('ON', 'str')], ['out']), mqttOut('out', 'fan')];
    const { document } = convert(flow);
    const on = document.nodes.find((n) => n.id === 'on')!;
    assert.deepEqual(await runTransform(on.config, UNAVAILABLE), { ok: true, payload: UNAVAILABLE, topic: 'sensor/x' });
    assert.deepEqual(await runTransform(on.config, '61'), { ok: true, payload: 'ON', topic: 'sensor/x' });
  });

  test('a JSONata property and the topic can be tested', async () => {
    const flow = [tab(), broker(), mqttIn('in', 'h/#', ['sw', 'sw2']),
      switchNode('sw', 'payload.a + payload.b', [{ t: 'gt', v: '10', vt: 'num' }], [['o']], { propertyType: 'jsonata' }),
      switchNode('sw2', 'topic', [{ t: 'cont', v: 'kitchen', vt: 'str' }], [['o']]), mqttOut('o', 'x')];
    const { document } = convert(flow);
    const run = (id: string, payload: unknown, topic: string) => runTransform(document.nodes.find((n) => n.id === id)!.config, payload, topic);
    assert.equal((await run('sw-out1', { a: 6, b: 5 }, 'h') as { payload: unknown }).payload, '{"a":6,"b":5}');
    assert.equal((await run('sw-out1', { a: 1, b: 5 }, 'h') as { payload: unknown }).payload, UNAVAILABLE);
    assert.equal((await run('sw2-out1', 1, 'h/kitchen/t') as { payload: unknown }).payload, '1');
    assert.equal((await run('sw2-out1', 1, 'h/hall/t') as { payload: unknown }).payload, UNAVAILABLE);
  });

  test('a rule or property topicflow cannot test makes the switch a placeholder', () => {
    for (const sw of [
      switchNode('sw', 'payload', [{ t: 'gt', v: '', vt: 'prev' }], [['o']]),
      switchNode('sw', 'retain', [{ t: 'true' }], [['o']]),
      switchNode('sw', 'level', [{ t: 'true' }], [['o']], { propertyType: 'flow' }),
      switchNode('sw', 'payload', [{ t: 'eq', v: 'x', vt: 'flow' }], [['o']]),
    ]) {
      const { document, report } = convertNodeRed([tab(), broker(), mqttIn('in', 'h', ['sw']), sw, mqttOut('o', 'x')]);
      assert.equal(document.nodes.find((n) => n.id === 'sw')?.type, 'unsupported');
      assert.equal(report.unsupported[0]?.id, 'sw');
    }
  });
});
