import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { defaultConfig, freshId, fromDocument, portOf, toDocument, type EditorDocument } from '../../editor/src/store/document.ts';
import { PLACEHOLDER_TYPE } from '../../nodes/placeholder/definition.ts';
import { definitionsByType, nodeDefinitions } from '../../nodes/registry.ts';
import { stableJson } from '../../nodes/stable-json.ts';
import { sampleDocument } from './fixture.ts';

const FLOWS = join(import.meta.dirname, '..', '..', 'flows');

test('fromDocument → toDocument gives the same document back', () => {
  const doc: EditorDocument = {
    ...sampleDocument(),
    description: 'two tabs',
    devices: ['a sensor'],
    flows: [
      { id: 'main', label: 'Main' },
      { id: 'extra', label: 'Extra' },
    ],
  };
  doc.nodes = doc.nodes.map((n, i) => ({ ...n, flow: i < 3 ? 'main' : 'extra' }));
  doc.edges.push({ source: 'in1', target: 'dbg', sourcePort: 2 });
  const snapshot = fromDocument(doc);
  assert.equal(snapshot.missingPositions, false);
  assert.deepEqual(snapshot.tabs, doc.flows);
  assert.equal(snapshot.edges.at(-1)?.sourceHandle, 'out-2');
  assert.equal(stableJson(toDocument(snapshot)), stableJson(doc));
});

test('one tab is written without flows/flow fields; a document without them lands on the default tab', () => {
  const snapshot = fromDocument(sampleDocument());
  assert.deepEqual(snapshot.tabs, [{ id: 'flow1', label: 'Flow 1' }]);
  assert.ok(snapshot.nodes.every((n) => n.data.flow === 'flow1'));
  const out = toDocument(snapshot);
  assert.equal(out.flows, undefined);
  assert.ok(out.nodes.every((n) => n.flow === undefined));
  assert.equal(stableJson(out), stableJson(sampleDocument()));
});

test('nodes without positions are stacked and reported, positions are rounded on the way out', () => {
  const snapshot = fromDocument({ format: 'topicflow/1', brokers: [], nodes: [{ id: 'a', type: 'debug', config: {} }, { id: 'b', type: 'debug', config: {} }], edges: [] });
  assert.equal(snapshot.missingPositions, true);
  assert.deepEqual(snapshot.nodes.map((n) => n.position), [{ x: 0, y: 0 }, { x: 0, y: 90 }]);
  snapshot.nodes[0]!.position = { x: 10.4, y: 19.6 };
  assert.deepEqual(toDocument(snapshot).nodes[0]?.position, { x: 10, y: 20 });
});

test('an empty or missing document is an empty canvas with one tab', () => {
  for (const doc of [null, undefined, {}]) {
    const snapshot = fromDocument(doc);
    assert.deepEqual(snapshot.nodes, []);
    assert.deepEqual(snapshot.tabs.length, 1);
    assert.equal(toDocument(snapshot).format, 'topicflow/1');
  }
});

for (const file of readdirSync(FLOWS).filter((f) => f.endsWith('.json') && !f.endsWith('.schema.json'))) {
  test(`example ${file} survives the editor round trip`, () => {
    const doc = JSON.parse(readFileSync(join(FLOWS, file), 'utf8')) as EditorDocument;
    const once = toDocument(fromDocument(doc));
    assert.equal(stableJson(toDocument(fromDocument(once))), stableJson(once), 'stable after one pass');
    assert.equal(once.nodes.length, doc.nodes.length);
    assert.equal(once.edges.length, doc.edges.length);
    for (const [i, n] of doc.nodes.entries()) {
      assert.equal(stableJson(once.nodes[i]!.config), stableJson(n.config), `${n.id} config`);
      assert.equal(once.nodes[i]!.name, n.name);
    }
  });
}

test('port handles: out-N is port N, anything else port 0', () => {
  assert.equal(portOf('out-3'), 3);
  assert.equal(portOf('out-0'), 0);
  assert.equal(portOf(null), 0);
  assert.equal(portOf('in'), 0);
});

test('fresh ids skip the taken ones and stay valid ids', () => {
  assert.equal(freshId('threshold', new Set()), 'threshold');
  assert.equal(freshId('threshold', new Set(['threshold', 'threshold-2'])), 'threshold-3');
  assert.equal(freshId('a b/c', new Set()), 'a-b-c');
});

test('every node type starts with a config its own schema accepts (once a broker and topic are filled)', () => {
  const brokers = [{ id: 'home', url: 'mqtt://127.0.0.1:1883' }];
  for (const def of nodeDefinitions.filter((d) => d.type !== PLACEHOLDER_TYPE)) {
    const config = defaultConfig(def.type, brokers);
    if (def.brokerFields) assert.equal(config['broker'], 'home', def.type);
    const filled = 'topic' in config && config['topic'] === '' ? { ...config, topic: 'a/b' } : config;
    const parsed = definitionsByType.get(def.type)!.config.safeParse(filled);
    assert.ok(parsed.success, `${def.type}: ${JSON.stringify(parsed.error?.issues)}`);
  }
});
