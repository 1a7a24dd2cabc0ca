import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import {
  classifyImport,
  mergeDocument,
  normalizeBrokerUrl,
  readImportReply,
  unusableReason,
  type IncomingDocument,
} from '../../editor/src/lib/import.ts';
import type { EditorDocument } from '../../editor/src/store/document.ts';

const flowsDir = new URL('../../flows/', import.meta.url);
const example = (file: string) => JSON.parse(readFileSync(new URL(file, flowsDir), 'utf8')) as IncomingDocument;

function doc(partial: Partial<EditorDocument>): EditorDocument {
  return { format: 'topicflow/1', brokers: [], nodes: [], edges: [], ...partial };
}

const home = { id: 'home', url: 'mqtt://127.0.0.1:1883' };
const current = doc({
  brokers: [home],
  nodes: [
    { id: 'in1', type: 'mqtt-in', config: { broker: 'home', topic: 'a/b' } },
    { id: 'dbg', type: 'debug', config: {} },
  ],
  edges: [{ source: 'in1', target: 'dbg' }],
});

describe('classifyImport', () => {
  const cases: [string, unknown, string][] = [
    ['a topicflow document', { format: 'topicflow/1', nodes: [], edges: [] }, 'topicflow'],
    ['a document without format', { nodes: [{ id: 'a', type: 'debug', config: {} }] }, 'topicflow'],
    ['a Node-RED array export', [{ id: 't', type: 'tab' }, { id: 'n', type: 'mqtt in', z: 't', wires: [[]] }], 'node-red'],
    ['a Node-RED { flows, rev }', { rev: 'abc', flows: [{ id: 'n', type: 'debug', z: 't', wires: [] }] }, 'node-red'],
    ['an object with Node-RED nodes', { nodes: [{ id: 'n', type: 'debug', z: 't', wires: [] }] }, 'node-red'],
    ['a newer format', { format: 'topicflow/2', nodes: [] }, 'unknown'],
    ['a number', 42, 'unknown'],
    ['null', null, 'unknown'],
    ['an empty array', [], 'unknown'],
    ['an array of numbers', [1, 2], 'unknown'],
    ['an object without nodes', { name: 'x' }, 'unknown'],
  ];
  for (const [what, json, kind] of cases) {
    it(`reads ${what} as ${kind}`, () => assert.equal(classifyImport(json).kind, kind));
  }

  it('says why an unknown file is refused', () => {
    const result = classifyImport({ format: 'topicflow/2', nodes: [] });
    assert.equal(result.kind, 'unknown');
    assert.match((result as { reason: string }).reason, /topicflow\/2/);
  });

  it('passes a Node-RED export to the server as it came', () => {
    const body = { rev: 'r', flows: [{ id: 'n', type: 'debug', z: 't', wires: [] }] };
    assert.deepEqual(classifyImport(body), { kind: 'node-red', body });
  });
});

describe('mergeDocument', () => {
  it('adds a document with no clashes as it is', () => {
    const incoming = doc({ nodes: [{ id: 'x', type: 'debug', config: {} }], edges: [] });
    const merge = mergeDocument(current, incoming);
    assert.deepEqual(merge.nodes.map((n) => n.id), ['x']);
    assert.equal(merge.renamed.size, 0);
    assert.deepEqual(merge.added, { nodes: 1, edges: 0, brokers: 0 });
  });

  it('gives clashing node ids fresh ones and wires the edges to them', () => {
    const incoming = doc({
      nodes: [
        { id: 'in1', type: 'inject', config: {} },
        { id: 'dbg', type: 'debug', config: {} },
      ],
      edges: [{ source: 'in1', target: 'dbg' }],
    });
    const merge = mergeDocument(current, incoming);
    assert.deepEqual([...merge.renamed], [['in1', 'in1-2'], ['dbg', 'dbg-2']]);
    assert.deepEqual(merge.edges, [{ source: 'in1-2', target: 'dbg-2' }]);
  });

  it('never renames onto an id the incoming file uses itself', () => {
    // "in1" clashes; its first fresh id "in1-2" is taken by another incoming node.
    const incoming = doc({
      nodes: [
        { id: 'in1', type: 'debug', config: {} },
        { id: 'in1-2', type: 'debug', config: {} },
      ],
    });
    const merge = mergeDocument(current, incoming);
    const ids = merge.nodes.map((n) => n.id);
    assert.equal(new Set([...ids, 'in1', 'dbg']).size, ids.length + 2);
    assert.equal(ids[1], 'in1-2');
    assert.equal(merge.renamed.get('in1'), 'in1-3');
  });

  it('keeps sourcePort, drops edges to missing nodes and duplicates', () => {
    const incoming = doc({
      nodes: [
        { id: 'a', type: 'threshold', config: {} },
        { id: 'b', type: 'debug', config: {} },
      ],
      edges: [
        { source: 'a', target: 'b', sourcePort: 1 },
        { source: 'a', target: 'b', sourcePort: 1 },
        { source: 'a', target: 'gone' },
      ],
    });
    const merge = mergeDocument(current, incoming);
    assert.deepEqual(merge.edges, [{ source: 'a', target: 'b', sourcePort: 1 }]);
    assert.equal(merge.droppedEdges, 1);
  });

  it('reuses a broker with the same URL and points the nodes at it', () => {
    const incoming = doc({
      brokers: [{ id: 'mybroker', url: 'mqtt://127.0.0.1' }],
      nodes: [{ id: 'x', type: 'mqtt-out', config: { broker: 'mybroker', topic: 't' } }],
    });
    const merge = mergeDocument(current, incoming);
    assert.deepEqual(merge.brokers, []);
    assert.deepEqual(merge.reusedBrokers, [{ incomingId: 'mybroker', existingId: 'home', url: 'mqtt://127.0.0.1' }]);
    assert.equal(merge.nodes[0]!.config['broker'], 'home');
  });

  it('renames a new broker whose id is taken by a different broker', () => {
    const incoming = doc({
      brokers: [{ id: 'home', url: 'mqtt://192.168.1.10:1883' }],
      nodes: [{ id: 'x', type: 'mqtt-in', config: { broker: 'home', topic: 't' } }],
    });
    const merge = mergeDocument(current, incoming);
    assert.deepEqual(merge.brokers, [{ id: 'home-2', url: 'mqtt://192.168.1.10:1883' }]);
    assert.deepEqual([...merge.renamedBrokers], [['home', 'home-2']]);
    assert.equal(merge.nodes[0]!.config['broker'], 'home-2');
    assert.deepEqual(merge.added, { nodes: 1, edges: 0, brokers: 1 });
  });

  it('adds a new broker with a free id unchanged and leaves other config alone', () => {
    const incoming = doc({
      brokers: [{ id: 'garden', url: 'mqtts://garden.local' }],
      nodes: [{ id: 'x', type: 'mqtt-in', config: { broker: 'garden', topic: 't', qos: 2 } }],
    });
    const merge = mergeDocument(current, incoming);
    assert.deepEqual(merge.brokers, [{ id: 'garden', url: 'mqtts://garden.local' }]);
    assert.deepEqual(merge.nodes[0]!.config, { broker: 'garden', topic: 't', qos: 2 });
  });

  it('does not change the current document or the incoming one', () => {
    const before = JSON.stringify(current);
    const incoming = example('zigbee-temperature-fan.json');
    const incomingBefore = JSON.stringify(incoming);
    mergeDocument(current, incoming);
    mergeDocument(current, incoming);
    assert.equal(JSON.stringify(current), before);
    assert.equal(JSON.stringify(incoming), incomingBefore);
  });

  it('merges an example into itself: every node renamed, every edge kept, the broker reused', () => {
    const ex = example('zigbee-temperature-fan.json');
    const merge = mergeDocument(doc(ex), ex);
    assert.equal(merge.renamed.size, ex.nodes.length);
    assert.equal(merge.edges.length, ex.edges!.length);
    assert.equal(merge.reusedBrokers.length, ex.brokers!.length);
    const all = new Set([...ex.nodes.map((n) => n.id), ...merge.nodes.map((n) => n.id)]);
    assert.equal(all.size, ex.nodes.length * 2);
  });
});

describe('normalizeBrokerUrl', () => {
  const same: [string, string][] = [
    ['mqtt://127.0.0.1', 'mqtt://127.0.0.1:1883'],
    ['tcp://Broker.LOCAL:1883', 'mqtt://broker.local'],
    ['mqtts://h', 'ssl://h:8883'],
    ['ws://h/mqtt', 'ws://h:80/mqtt'],
  ];
  for (const [a, b] of same) it(`${a} is ${b}`, () => assert.equal(normalizeBrokerUrl(a), normalizeBrokerUrl(b)));
  const different: [string, string][] = [
    ['mqtt://h:1883', 'mqtt://h:1884'],
    ['mqtt://h', 'mqtts://h'],
    ['ws://h/mqtt', 'ws://h/other'],
  ];
  for (const [a, b] of different) it(`${a} is not ${b}`, () => assert.notEqual(normalizeBrokerUrl(a), normalizeBrokerUrl(b)));
  it('leaves text that is no URL as it is', () => assert.equal(normalizeBrokerUrl(' nope '), 'nope'));
});

describe('unusableReason', () => {
  it('accepts every shipped example', () => {
    for (const file of ['zigbee-temperature-fan.json', 'light-level-lamp.json', 'shelly-frost-heater.json']) {
      assert.equal(unusableReason(example(file)), undefined, file);
    }
  });
  const bad: [string, unknown][] = [
    ['a node without id', { nodes: [{ type: 'debug' }] }],
    ['a node without type', { nodes: [{ id: 'a' }] }],
    ['a config that is a string', { nodes: [{ id: 'a', type: 'debug', config: 'x' }] }],
    ['an edge without target', { nodes: [], edges: [{ source: 'a' }] }],
    ['edges that are no list', { nodes: [], edges: {} }],
    ['a broker without url', { nodes: [], brokers: [{ id: 'b' }] }],
  ];
  for (const [what, input] of bad) {
    it(`refuses ${what}`, () => assert.match(unusableReason(input as IncomingDocument) ?? '', /\w/));
  }
});

describe('readImportReply', () => {
  const document = { format: 'topicflow/1', nodes: [{ id: 'a', type: 'debug', config: {} }], edges: [] };

  it('reads { document, report: { converted, differences, unsupported } }', () => {
    const reply = readImportReply({
      document,
      report: {
        converted: [{ id: 'a', type: 'debug', name: 'Show' }],
        differences: [{ id: 'b', type: 'mqtt in', message: 'dynamic subscription is not supported' }],
        unsupported: [{ id: 'c', type: 'function', reason: 'JavaScript cannot run here' }],
      },
    });
    assert.deepEqual(reply.document, document);
    assert.deepEqual(reply.report.converted, [{ id: 'a', type: 'debug', name: 'Show', message: '' }]);
    assert.equal(reply.report.differences[0]!.message, 'dynamic subscription is not supported');
    assert.equal(reply.report.unsupported[0]!.message, 'JavaScript cannot run here');
  });

  it('reads lists at the top level, lists of strings and other names', () => {
    const reply = readImportReply({ document, withDifferences: ['x changed'], skipped: [{ nodeId: 'z', notes: ['one', 'two'] }], warnings: ['careful'] });
    assert.deepEqual(reply.report.differences, [{ message: 'x changed' }]);
    assert.deepEqual(reply.report.unsupported, [{ id: 'z', message: 'one; two' }]);
    assert.deepEqual(reply.report.notes, [{ message: 'careful' }]);
  });

  it('has no document when the reply carries none', () => {
    assert.equal(readImportReply({ report: {} }).document, undefined);
    assert.equal(readImportReply('nonsense').document, undefined);
    assert.deepEqual(readImportReply(null).report, { converted: [], differences: [], unsupported: [], notes: [] });
  });
});
