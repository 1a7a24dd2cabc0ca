/**
 * The validator that remembers the last document must give exactly what a full validation
 * gives: random sequences of edits (valid and broken, cross-node ones included) go through
 * one DocumentValidator, and after every edit its result is compared with validateDocument's.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { DocumentValidator } from '../../../nodes/document/incremental.ts';
import { validateDocument } from '../../../nodes/document/validate.ts';

type Fields = Record<string, unknown>;
interface Doc extends Fields {
  brokers: Fields[];
  nodes: Fields[];
  edges: Fields[];
}

/** Two rules on two brokers, a debug and an inject: valid, with some warnings to keep. */
function baseDocument(): Doc {
  return {
    format: 'topicflow/1',
    name: 'rules',
    brokers: [
      { id: 'home', url: 'mqtt://192.168.1.10:1883' },
      { id: 'lab', url: 'mqtt://192.168.1.20:1883', protocolVersion: 5 },
    ],
    nodes: [
      { id: 'in0', type: 'mqtt-in', config: { broker: 'home', topic: 'sensors/0/+room/th', qos: 1 } },
      { id: 'tf0', type: 'transform', config: { ops: [{ op: 'path', path: 'temperature' }] } },
      { id: 'th0', type: 'threshold', config: { above: 25, emit: 'every' } },
      { id: 'out0', type: 'mqtt-out', config: { broker: 'home', topic: 'actuator/0/{room}/fan', qos: 1 } },
      { id: 'in1', type: 'mqtt-in', position: { x: 10, y: 20 }, config: { broker: 'lab', topic: 'sensors/1/+room/th' } },
      { id: 'th1', type: 'threshold', name: 'hot', config: { below: 18, hysteresis: 0.5 } },
      { id: 'out1', type: 'mqtt-out', config: { broker: 'lab', topic: 'actuator/1/{room}/heat' } },
      { id: 'log', type: 'debug', config: {} },
      { id: 'tick', type: 'inject', config: { payload: 21 } },
    ],
    edges: [
      { source: 'in0', target: 'tf0' },
      { source: 'tf0', target: 'th0' },
      { source: 'th0', target: 'out0' },
      { source: 'in1', target: 'th1' },
      { source: 'th1', target: 'out1', sourcePort: 0 },
      { source: 'th1', target: 'log' },
      { source: 'tick', target: 'th0' },
    ],
  };
}

const TOPICS = ['sensors/0/+room/th', 'actuator/0/+/fan', 'actuator/#', '#', 'a/#/b', '', 'sensors/1/kitchen/th', '$SYS/x'];
const OUT_TOPICS = ['actuator/0/{room}/fan', 'sensors/0/{room}/th', 'sensors/1/x/th', 'a/+/b', '{room}', 'plain'];
const VALUES: unknown[] = [25, 26, -0, 0, 1e3, '25', null, true, [1, 2], { x: 1 }, undefined];
const TYPES = ['mqtt-in', 'transform', 'threshold', 'mqtt-out', 'debug', 'inject', 'unsupported', 'no-such-type'];

/** One edit of a document, in place; `pick` chooses among existing things. */
type Edit = (doc: Doc, pick: number) => void;

const at = <T>(list: T[], pick: number): T | undefined => (list.length === 0 ? undefined : list[pick % list.length]);
const nodeAt = (doc: Doc, pick: number): Fields | undefined => {
  const node = at(doc.nodes, pick);
  return typeof node === 'object' && node !== null && !Array.isArray(node) ? node : undefined;
};
const configOf = (doc: Doc, pick: number): Fields | undefined => {
  const node = nodeAt(doc, pick);
  return node && typeof node['config'] === 'object' && node['config'] !== null ? (node['config'] as Fields) : undefined;
};

const edits: fc.Arbitrary<Edit>[] = [
  fc.constantFrom(...VALUES).map((v): Edit => (doc, pick) => {
    const config = configOf(doc, pick);
    if (config) config[at(['above', 'below', 'hysteresis', 'qos', 'payload', 'emit'], pick)!] = v;
  }),
  fc.constantFrom(...TOPICS, ...OUT_TOPICS).map((topic): Edit => (doc, pick) => {
    const config = configOf(doc, pick);
    if (config) config['topic'] = topic;
  }),
  fc.constantFrom('home', 'lab', 'nowhere', 5).map((broker): Edit => (doc, pick) => {
    const config = configOf(doc, pick);
    if (config) config['broker'] = broker;
  }),
  fc.constant<Edit>((doc, pick) => void doc.nodes.splice(pick % Math.max(1, doc.nodes.length), 1)),
  fc.record({ type: fc.constantFrom(...TYPES), id: fc.constantFrom('new', 'in0', 'th1', 'bad id!', 'x'.repeat(70)) }).map(
    ({ type, id }): Edit => (doc) => {
      const config = type === 'unsupported' ? { nodeRedType: 'function', reason: 'code', original: {} } : type === 'threshold' ? { above: 1 } : {};
      doc.nodes.push({ id, type, config });
    },
  ),
  fc.constant<Edit>((doc, pick) => void doc.edges?.splice(pick % Math.max(1, doc.edges.length), 1)),
  fc.record({ source: fc.constantFrom('in0', 'th1', 'log', 'ghost', 'new'), target: fc.constantFrom('tf0', 'out1', 'tick', 'ghost', 'in0'), port: fc.constantFrom(undefined, 0, 1, -0, 0.5, '0') }).map(
    ({ source, target, port }): Edit => (doc) => void doc.edges?.push({ source, target, ...(port === undefined ? {} : { sourcePort: port }) }),
  ),
  // An edge moved in place: as many edges as before, one of them different.
  fc.constantFrom('tf0', 'out1', 'log', 'in0', 'th0').map((target): Edit => (doc, pick) => {
    const edge = at(doc.edges ?? [], pick);
    if (edge) edge['target'] = target;
  }),
  fc.constantFrom<unknown>(undefined, 0, -0, 1, null, '0').map((port): Edit => (doc, pick) => {
    const edge = at(doc.edges ?? [], pick);
    if (edge && port === undefined) delete edge['sourcePort'];
    else if (edge) edge['sourcePort'] = port;
  }),
  fc.constantFrom('hysteresys', 'extra').map((field): Edit => (doc, pick) => {
    const config = configOf(doc, pick);
    if (config) config[field] = 1;
  }),
  // The same config with its keys in another order.
  fc.constant<Edit>((doc, pick) => {
    const node = nodeAt(doc, pick);
    if (node && typeof node['config'] === 'object' && node['config'] !== null) {
      node['config'] = Object.fromEntries(Object.entries(node['config'] as Fields).reverse());
    }
  }),
  fc.constant<Edit>((doc, pick) => {
    const i = pick % Math.max(1, doc.nodes.length);
    const j = (pick * 7 + 3) % Math.max(1, doc.nodes.length);
    [doc.nodes[i], doc.nodes[j]] = [doc.nodes[j]!, doc.nodes[i]!];
  }),
  fc.constantFrom('home', 'lab', 'spare').map((id): Edit => (doc, pick) => {
    const broker = at(doc.brokers, pick);
    if (broker) broker['id'] = id;
  }),
  fc.constantFrom('mqtt://test.mosquitto.org', 'http://x', 'mqtt://u:p@h').map((url): Edit => (doc) => void doc.brokers.push({ id: 'spare', url })),
  fc.constantFrom('hall', '', 5, undefined).map((name): Edit => (doc, pick) => {
    const node = nodeAt(doc, pick);
    if (node) node['name'] = name;
  }),
  fc.constantFrom<unknown>('not a node', null, [], { id: 'cfg', type: 'debug', config: [] }).map((junk): Edit => (doc) => void doc.nodes.push(junk as Fields)),
  fc.constantFrom('main', 'other').map((flow): Edit => (doc, pick) => {
    doc['flows'] = [{ id: 'main', label: 'Main' }];
    const node = nodeAt(doc, pick);
    if (node) node['flow'] = flow;
  }),
  fc.constantFrom<unknown>('topicflow/1', 'topicflow/2', undefined).map((format): Edit => (doc) => void (doc['format'] = format)),
  fc.constant<Edit>((doc) => {
    if (doc['edges'] === undefined) doc.edges = [];
    else delete (doc as Fields)['edges'];
  }),
  fc.constant<Edit>(() => undefined),
];

/** What the two validators give, as one value for deepStrictEqual. */
function outcome(result: ReturnType<typeof validateDocument>) {
  return { ok: result.ok, document: result.document, errors: result.errors, warnings: result.warnings };
}

describe('DocumentValidator', () => {
  test('gives exactly what validateDocument gives, edit after edit', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.oneof(...edits), fc.nat(1000)), { maxLength: 25 }), (steps) => {
        const validator = new DocumentValidator();
        const doc = baseDocument();
        assert.deepStrictEqual(outcome(validator.validate(doc)), outcome(validateDocument(doc)));
        for (const [edit, pick] of steps) {
          edit(doc, pick);
          // A copy, as a new HTTP body would be; and the very same object, as a rollback's is.
          const copy = structuredClone(doc);
          assert.deepStrictEqual(outcome(validator.validate(copy)), outcome(validateDocument(copy)));
          assert.deepStrictEqual(outcome(validator.validate(doc)), outcome(validateDocument(doc)));
        }
      }),
      { numRuns: 300 },
    );
  });

  test('a one-node change parses that node only, and the rest is shared with the last result', () => {
    const validator = new DocumentValidator();
    const first = validator.validate(baseDocument());
    const doc = baseDocument();
    (doc.nodes[2]!['config'] as Fields)['above'] = 26;
    const second = validator.validate(doc);
    assert.equal(second.ok, true);
    assert.equal(second.document!.nodes[0], first.document!.nodes[0]);
    assert.notEqual(second.document!.nodes[2], first.document!.nodes[2]);
    assert.equal(second.document!.nodes[2]!.config['above'], 26);
    assert.ok(Object.isFrozen(second.document!.nodes[2]!.config));
  });

  test('changing the input after validating it does not reach the memory', () => {
    const validator = new DocumentValidator();
    const doc = baseDocument();
    validator.validate(doc);
    (doc.nodes[2]!['config'] as Fields)['above'] = 'hot';
    assert.deepStrictEqual(outcome(validator.validate(doc)), outcome(validateDocument(doc)));
    assert.equal(validator.validate(doc).ok, false);
  });
});
