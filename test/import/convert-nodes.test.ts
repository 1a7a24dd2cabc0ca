/**
 * The rest of a Node-RED export: inject, debug, json, function, links and junctions, tabs,
 * comments, groups, disabled nodes, subflows, unknown types — and the report's promise that
 * every node of the export is accounted for.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { validateDocument } from '../../nodes/document/validate.ts';
import { convertNodeRed } from '../../nodes/import/convert.ts';
import { suggestJsonata } from '../../nodes/import/convert-function.ts';
import type { NrNode } from '../../nodes/import/node-red.ts';
import { loadFixtures } from './support/equivalence.ts';
import { broker, mqttIn, mqttOut, node, TAB, tab } from './support/nr.ts';
import { runTransform } from './support/run-ops.ts';

const inject = (id: string, extra: Record<string, unknown>, wires = [['out']]) =>
  node(id, 'inject', wires, { props: [{ p: 'payload' }, { p: 'topic', vt: 'str' }], repeat: '', crontab: '', once: false, onceDelay: 0.1, topic: '', payload: '', payloadType: 'date', ...extra });

describe('inject, debug, json, function', () => {
  test('inject: payload types, once and interval', async () => {
    const { document, report } = convertNodeRed([tab(), broker(),
      inject('i1', { payload: '{"status":"online"}', payloadType: 'json', topic: 'home/status', once: true, repeat: '60' }),
      inject('i2', { payload: '', payloadType: 'date', onceDelay: 2, once: true }),
      inject('i3', { crontab: '00 07 * * 1-5' }),
      mqttOut('out', '')]);
    assert.deepEqual(document.nodes.find((n) => n.id === 'i1')!.config, { payload: { status: 'online' }, topic: 'home/status', once: true, interval: 60 });
    const stamp = document.nodes.find((n) => n.id === 'i2-payload')!;
    assert.deepEqual(document.edges.filter((e) => e.source.startsWith('i2')), [{ source: 'i2-payload', target: 'out' }, { source: 'i2', target: 'i2-payload' }]);
    const out = await runTransform(stamp.config, '');
    assert.ok(out.ok && typeof out.payload === 'number');
    assert.ok(report.changed.find((r) => r.id === 'i2')!.differences.some((d) => /0\.1 s after a deploy, not 2 s/.test(d)));
    assert.equal(document.nodes.find((n) => n.id === 'i3')!.type, 'unsupported');
  });

  test('debug shows the payload or the whole message', () => {
    const { document } = convertNodeRed([tab(), node('d1', 'debug', [], { complete: 'true', active: false }), node('d2', 'debug', [], { complete: 'payload' })]);
    assert.deepEqual(document.nodes.map((n) => n.config), [{ show: 'message', active: false }, { show: 'payload', active: true }]);
  });

  test('json elsewhere: parse text, write JSON exactly as JSON.stringify does', async () => {
    const { document } = convertNodeRed([tab(), node('toObj', 'json', [], { action: 'obj', property: 'payload' }), node('toStr', 'json', [], { action: 'str', property: 'payload' })]);
    const toObj = document.nodes.find((n) => n.id === 'toObj')!;
    const toStr = document.nodes.find((n) => n.id === 'toStr')!;
    assert.deepEqual(await runTransform(toObj.config, '{"a":[1,2.5],"b":"x"}'), { ok: true, payload: { a: [1, 2.5], b: 'x' }, topic: 'sensor/x' });
    assert.deepEqual(await runTransform(toObj.config, { a: 1 }), { ok: true, payload: { a: 1 }, topic: 'sensor/x' });
    assert.equal((await runTransform(toObj.config, 'ON')).ok, false);
    const value = { a: 0.30000000000000004, b: [true, null], c: 'é"' };
    assert.deepEqual(await runTransform(toStr.config, value), { ok: true, payload: JSON.stringify(value), topic: 'sensor/x' });
  });

  test('function: a placeholder with its code, and JSONata suggested for simple arithmetic', () => {
    const code = '// to Fahrenheit\nmsg.payload = Math.round(msg.payload.temperature * 1.8 + 32);\nreturn msg;';
    const { document, report } = convertNodeRed([tab(), node('f', 'function', [['o']], { func: code, outputs: 1, libs: [], initialize: '', finalize: '' }), node('o', 'debug', [])]);
    const placeholder = document.nodes.find((n) => n.id === 'f')!;
    assert.equal(placeholder.type, 'unsupported');
    assert.equal((placeholder.config['original'] as { func: string }).func, code);
    const entry = report.unsupported.find((r) => r.id === 'f')!;
    assert.equal(entry.code, code);
    assert.equal(entry.suggestion, '$floor(temperature * 1.8 + 32 + 0.5)');
    assert.deepEqual(document.edges, [{ source: 'f', target: 'o' }]);
    const errors = validateDocument(document).errors;
    assert.deepEqual(errors.map((e) => e.code), ['node.placeholder']);
    assert.match(errors[0]!.message, /placeholder for Node-RED 'function'/);
  });

  test('JSONata suggestions: only for code that is a pure expression of the message', () => {
    const cases: [string, string | undefined][] = [
      ['msg.payload = msg.payload.temperature; return msg;', 'temperature'],
      ['return { payload: msg.payload > 25 ? "ON" : "OFF" };', '$ > 25 ? "ON" : "OFF"'],
      ['msg.payload = Math.max(msg.payload.a, msg.payload["b c"]) / 10;\nreturn msg;', '$max([a, `b c`]) / 10'],
      ["msg.payload = parseFloat(msg.payload) === 0 && msg.topic !== 'x';\nreturn msg;", '$number($) = 0 and $topic != "x"'],
      ['msg.payload = "Power: " + msg.payload; return msg;', undefined],
      ['flow.set("x", msg.payload); return msg;', undefined],
      ['node.send(msg);', undefined],
      ['msg.payload = msg.payload.map(x => x * 2); return msg;', undefined],
    ];
    for (const [code, expected] of cases) assert.equal(suggestJsonata(code), expected, code);
  });
});

describe('tabs, links, disabled and unknown nodes', () => {
  test('tabs become flow tabs with positions kept; links across tabs become edges; comments go into the description', () => {
    const flow: NrNode[] = [tab('t1', 'Sensors'), tab('t2', 'Lights', { info: 'Lamps.' }), broker(),
      mqttIn('in', 'a', ['lo'], { z: 't1', x: 120, y: 80 }),
      { id: 'lo', type: 'link out', z: 't1', name: '', mode: 'link', links: ['li', 'missing'], x: 300, y: 80, wires: [] },
      { id: 'li', type: 'link in', z: 't2', name: '', links: ['lo'], x: 100, y: 60, wires: [['j']] },
      { id: 'j', type: 'junction', z: 't2', x: 150, y: 60, wires: [['out', 'off']] },
      mqttOut('out', 'lamp', { z: 't2', x: 400, y: 60 }),
      mqttOut('off', 'other', { z: 't2', d: true }),
      { id: 'c', type: 'comment', z: 't2', name: 'Dusk light', info: 'Turns the lamp on at dusk.', x: 100, y: 20, wires: [] },
      { id: 'g', type: 'group', z: 't2', name: 'lights', nodes: ['li', 'out'], style: {}, x: 10, y: 10, w: 400, h: 100 }];
    const { document, report } = convertNodeRed(flow);
    assert.deepEqual(document.flows, [{ id: 't1', label: 'Sensors' }, { id: 't2', label: 'Lights', description: 'Lamps.\n\nDusk light: Turns the lamp on at dusk.' }]);
    assert.deepEqual(document.nodes.map((n) => [n.id, n.flow, n.position]), [['in', 't1', { x: 120, y: 80 }], ['out', 't2', { x: 400, y: 60 }]]);
    assert.deepEqual(document.edges, [{ source: 'in', target: 'out' }]);
    assert.ok(report.changed.find((r) => r.id === 'lo')!.differences.some((d) => /missing/.test(d)));
    assert.match(report.changed.find((r) => r.id === 'off')!.message, /disabled/);
    assert.ok(report.changed.some((r) => r.id === 'g') && report.changed.some((r) => r.id === 'c'));
  });

  test('a disabled tab is left out with its nodes', () => {
    const { document, report } = convertNodeRed([tab('t1', 'Old', { disabled: true }), broker(), mqttIn('in', 'a', [], { z: 't1' })]);
    assert.deepEqual([document.nodes, document.flows], [[], undefined]);
    assert.match(report.changed.find((r) => r.id === 'in')!.message, /tab is disabled/);
  });

  test('unknown types and subflow instances are placeholders that keep every property and stay wired', () => {
    const gauge = node('g1', 'ui_gauge', [['o']], { group: 'ui1', gtype: 'gage', min: 0, max: 40, label: '°C', colors: ['#00b500', '#e6e600', '#ca3838'] });
    const flow: NrNode[] = [tab(), broker(), mqttIn('in', 'a', ['g1', 'sf1']), gauge, node('sf1', 'subflow:abc', [['o']]), mqttOut('o', 'b'),
      { id: 'abc', type: 'subflow', name: 'smooth', info: '', in: [], out: [] }, node('inner', 'function', [], { z: 'abc' }),
      { id: 'ui1', type: 'ui_group', name: 'Default', tab: 'uit' }];
    const { document, report } = convertNodeRed(flow);
    const placeholder = document.nodes.find((n) => n.id === 'g1')!;
    assert.equal(placeholder.type, 'unsupported');
    const { wires: _wires, ...rest } = gauge;
    assert.deepEqual(placeholder.config['original'], rest);
    assert.deepEqual(document.edges.filter((e) => e.target === 'o').map((e) => e.source).sort(), ['g1', 'sf1']);
    assert.equal(report.unsupported.length, 5, JSON.stringify(report.unsupported.map((r) => r.id)));
    const blocked = validateDocument(document).errors.filter((e) => e.code === 'node.placeholder').map((e) => e.nodeId);
    assert.deepEqual(blocked.sort(), ['g1', 'sf1']);
    assert.ok(report.warnings.some((w) => /2 placeholder/.test(w)));
  });

  test('a placeholder keeps the wires of every output of the node it stands for', () => {
    const fn = node('fn', 'function', [['a'], ['b', 'c']], { func: 'return [msg, msg];', outputs: 2 });
    const { document } = convertNodeRed([tab(), fn, node('a', 'debug', []), node('b', 'debug', []), node('c', 'debug', [])]);
    assert.deepEqual(document.edges, [{ source: 'fn', target: 'a' }, { source: 'fn', target: 'b', sourcePort: 1 }, { source: 'fn', target: 'c', sourcePort: 1 }]);
    assert.deepEqual(validateDocument(document).errors.map((e) => e.code), ['node.placeholder']);
  });

  test('every node of every fixture is in the report exactly once', () => {
    for (const { name, fixture } of loadFixtures()) {
      const { report } = convertNodeRed(fixture);
      const ids = [...report.converted, ...report.changed, ...report.unsupported].map((r) => r.id).sort();
      assert.deepEqual(ids, fixture.flows.map((n) => n.id).sort(), name);
      assert.equal(report.summary.nodes, fixture.flows.length);
    }
  });

  test('a placeholder keeps its tab: ids are the Node-RED ids', () => {
    const { document } = convertNodeRed([tab(), node('x1', 'delay', [[]])]);
    assert.deepEqual(document.nodes[0], { id: 'x1', type: 'unsupported', flow: TAB, position: { x: 250, y: 150 }, name: 'delay', config: document.nodes[0]!.config });
    assert.match(String(document.nodes[0]!.config['reason']), /delay/);
  });
});
