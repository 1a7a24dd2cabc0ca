/**
 * Merging an import into the flow being edited: nothing existing changes in merge mode,
 * clashing ids are renamed, brokers with the same URL and user are reused; replace mode
 * replaces what clashes and says so.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { FlowDocumentInput } from '../../nodes/document/schema.ts';
import { validateDocument } from '../../nodes/document/validate.ts';
import { mergeDocuments, normalizeBrokerUrl } from '../../nodes/import/merge.ts';

function existing(): FlowDocumentInput {
  return {
    format: 'topicflow/1',
    name: 'Home',
    flows: [{ id: 'main', label: 'Main' }],
    brokers: [{ id: 'home', url: 'mqtt://192.168.1.10:1883', username: 'rules' }],
    nodes: [
      { id: 'in1', type: 'mqtt-in', flow: 'main', config: { broker: 'home', topic: 'zigbee2mqtt/+room/th_sensor' } },
      { id: 'hot', type: 'threshold', flow: 'main', config: { above: 25 } },
      { id: 'out1', type: 'mqtt-out', flow: 'main', config: { broker: 'home', topic: 'fan/{room}/set' } },
    ],
    edges: [{ source: 'in1', target: 'hot' }, { source: 'hot', target: 'out1' }],
  };
}

function imported(url = 'mqtt://192.168.1.10', username?: string): FlowDocumentInput {
  return {
    format: 'topicflow/1',
    flows: [{ id: 'main', label: 'Imported' }],
    brokers: [{ id: 'b1', url, ...(username ? { username } : {}) }],
    nodes: [
      { id: 'in1', type: 'mqtt-in', flow: 'main', config: { broker: 'b1', topic: 'tele/+/SENSOR' } },
      { id: 'd1', type: 'debug', flow: 'main', config: {} },
    ],
    edges: [{ source: 'in1', target: 'd1' }],
  };
}

describe('merging an import', () => {
  test('merge: existing nodes, edges, brokers and tabs are untouched; clashes are renamed; same broker reused', () => {
    const base = existing();
    const before = structuredClone(base);
    const { document, plan } = mergeDocuments(base, imported('mqtt://192.168.1.10'), 'merge');
    assert.deepEqual(base, before, 'the base document object is not changed');
    for (const key of ['nodes', 'edges', 'brokers', 'flows'] as const) {
      assert.deepEqual((document[key] as unknown[]).slice(0, (before[key] as unknown[]).length), before[key], key);
    }
    assert.equal(document.name, 'Home');
    assert.deepEqual(plan.reusedBrokers, [{ imported: 'b1', existing: 'home', url: 'mqtt://192.168.1.10:1883' }]);
    assert.deepEqual(plan.renamed, [{ kind: 'flow', from: 'main', to: 'main-2' }, { kind: 'node', from: 'in1', to: 'in1-2' }]);
    assert.deepEqual(plan.added, { nodes: ['in1-2', 'd1'], brokers: [], flows: ['main-2'], edges: 1 });
    assert.deepEqual(plan.clashes.map((c) => [c.kind, c.id]), [['flow', 'main'], ['node', 'in1']]);
    const added = document.nodes.find((n) => n.id === 'in1-2')!;
    assert.deepEqual([added.flow, added.config?.['broker']], ['main-2', 'home']);
    assert.deepEqual(document.edges?.at(-1), { source: 'in1-2', target: 'd1' });
    assert.ok(validateDocument(document).ok, JSON.stringify(validateDocument(document).errors));
  });

  test('a broker with the same URL but another user, or another URL with a taken id, is added', () => {
    const other = mergeDocuments(existing(), imported('mqtt://192.168.1.10:1883', 'alice'), 'merge');
    assert.deepEqual(other.plan.added.brokers, ['b1']);
    const taken = imported('mqtt://10.0.0.2:1883');
    taken.brokers![0]!.id = 'home';
    taken.nodes[0]!.config = { broker: 'home', topic: 'x' };
    const merged = mergeDocuments(existing(), taken, 'merge');
    assert.deepEqual(merged.plan.renamed[0], { kind: 'broker', from: 'home', to: 'home-2' });
    assert.equal(merged.document.nodes.find((n) => n.id === 'in1-2')!.config?.['broker'], 'home-2');
    assert.equal(merged.document.brokers?.[0]?.url, 'mqtt://192.168.1.10:1883');
  });

  test('replace: what clashes is replaced; its outgoing edges are the imported ones, incoming ones stay', () => {
    const { document, plan } = mergeDocuments(existing(), imported('mqtt://10.0.0.2:1883'), 'replace');
    assert.deepEqual(plan.replaced, [{ kind: 'flow', id: 'main' }, { kind: 'node', id: 'in1' }]);
    assert.equal(document.nodes.find((n) => n.id === 'in1')!.config?.['topic'], 'tele/+/SENSOR');
    assert.deepEqual(document.edges, [{ source: 'hot', target: 'out1' }, { source: 'in1', target: 'd1' }]);
    assert.equal(document.flows?.[0]?.label, 'Imported');
    assert.equal(document.nodes.length, 4);
  });

  test('into nothing deployed: the import is the document', () => {
    const { document, plan } = mergeDocuments(null, imported(), 'merge');
    assert.deepEqual(document.nodes, imported().nodes);
    assert.deepEqual(plan.clashes, []);
  });

  test('broker URLs compare with default ports, host case, localhost and tcp: as mqtt:', () => {
    assert.equal(normalizeBrokerUrl('tcp://MQTT.home'), normalizeBrokerUrl('mqtt://mqtt.home:1883'));
    assert.equal(normalizeBrokerUrl('mqtt://localhost'), normalizeBrokerUrl('mqtt://127.0.0.1:1883'));
    assert.notEqual(normalizeBrokerUrl('mqtts://mqtt.home'), normalizeBrokerUrl('mqtt://mqtt.home'));
  });
});
