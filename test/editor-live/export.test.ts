import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { exportDocument, exportFileName, stripSecrets } from '../../editor/src/lib/export-document.ts';
import type { EditorDocument } from '../../editor/src/store/document.ts';

const flow: EditorDocument = {
  format: 'topicflow/1',
  name: 'Fans follow temperature',
  flows: [
    { id: 'flow1', label: 'Rooms' },
    { id: 'flow2', label: 'Garden' },
  ],
  brokers: [
    { id: 'home', url: 'mqtt://127.0.0.1:1883', username: 'ha' },
    { id: 'garden', url: 'mqtt://garden.local:1883' },
  ],
  nodes: [
    { id: 'in', type: 'mqtt-in', flow: 'flow1', position: { x: 0, y: 0 }, config: { broker: 'home', topic: 'a/+room' } },
    { id: 'th', type: 'threshold', flow: 'flow1', position: { x: 200, y: 0 }, config: { above: 25 } },
    { id: 'out', type: 'mqtt-out', flow: 'flow1', position: { x: 400, y: 0 }, config: { broker: 'home', topic: 'b/{room}' } },
    { id: 'g', type: 'mqtt-in', flow: 'flow2', position: { x: 0, y: 0 }, config: { broker: 'garden', topic: 'g' } },
  ],
  edges: [
    { source: 'in', target: 'th' },
    { source: 'th', target: 'out' },
  ],
};

describe('exportDocument', () => {
  it('writes the whole flow unchanged when it holds no secrets', () => {
    assert.deepEqual(exportDocument(flow), flow);
  });

  it('strips password keys at any depth and passwords in broker URLs', () => {
    const leaky = {
      ...flow,
      brokers: [{ ...flow.brokers[0]!, password: 'hunter2', url: 'mqtt://ha:hunter2@127.0.0.1:1883', tls: { ca: 'ca.pem', passphrase: 'p' } }],
      nodes: [{ ...flow.nodes[0]!, config: { ...flow.nodes[0]!.config, nested: [{ Password: 'x', keep: 1 }] } }],
    } as unknown as EditorDocument;
    const out = exportDocument(leaky);
    const text = JSON.stringify(out);
    assert.doesNotMatch(text, /hunter2|"p"|password|passphrase/i);
    assert.equal(out.brokers[0]!.url, 'mqtt://ha@127.0.0.1:1883');
    assert.deepEqual(out.nodes[0]!.config['nested'], [{ keep: 1 }]);
    assert.equal(out.brokers[0]!.tls?.ca, 'ca.pem');
  });

  it('exports a selection with its inner edges, the brokers it uses and its tabs', () => {
    const out = exportDocument(flow, new Set(['th', 'out']));
    assert.deepEqual(out.nodes.map((n) => n.id), ['th', 'out']);
    assert.deepEqual(out.edges, [{ source: 'th', target: 'out' }]);
    assert.deepEqual(out.brokers.map((b) => b.id), ['home']);
    assert.deepEqual(out.flows, [{ id: 'flow1', label: 'Rooms' }]);
    assert.equal(out.name, flow.name);
  });

  it('exports a selection without brokers when no node uses one', () => {
    const out = exportDocument(flow, new Set(['th']));
    assert.deepEqual(out.brokers, []);
    assert.deepEqual(out.edges, []);
  });

  it('does not change the document it is given', () => {
    const before = JSON.stringify(flow);
    exportDocument(flow, new Set(['in']));
    assert.equal(JSON.stringify(flow), before);
  });
});

describe('stripSecrets and exportFileName', () => {
  it('keeps primitives and arrays', () => {
    assert.deepEqual(stripSecrets([1, 'a', null, { password: 1, b: true }]), [1, 'a', null, { b: true }]);
  });

  const names: [string | undefined, boolean, string][] = [
    ['Fans follow temperature', false, 'fans-follow-temperature.topicflow.json'],
    ['Frost: heater (Shelly) °C', false, 'frost-heater-shelly-c.topicflow.json'],
    ['Küche', true, 'kuche-selection.topicflow.json'],
    [undefined, false, 'flow.topicflow.json'],
    ['***', false, 'flow.topicflow.json'],
  ];
  for (const [name, selection, file] of names) it(`${String(name)} → ${file}`, () => assert.equal(exportFileName(name, selection), file));
});
