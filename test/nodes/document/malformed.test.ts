/**
 * Broken flow documents, one defect each: the validator refuses every one with a problem that
 * names the node (or broker), the field path, and says what is wrong in words a person reads.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Problem } from '../../../nodes/errors.ts';
import { validateDocument } from '../../../nodes/document/validate.ts';

type Fields = Record<string, unknown>;
/** A document loose enough to break in every way: tests assign whatever they like. */
interface Doc extends Fields {
  brokers: Fields[];
  nodes: (Fields & { config?: unknown })[];
  edges: Fields[];
}

/** Fan plugs follow Zigbee2MQTT room sensors: valid, and free of warnings too. */
function baseDocument(): Doc {
  return {
    format: 'topicflow/1',
    name: 'Fans follow temperature',
    brokers: [{ id: 'home', name: 'Mosquitto', url: 'mqtt://192.168.1.10:1883' }],
    nodes: [
      { id: 'sensors', type: 'mqtt-in', config: { broker: 'home', topic: 'zigbee2mqtt/+room/th_sensor', qos: 1 } },
      { id: 'temperature', type: 'transform', config: { ops: [{ op: 'path', path: 'temperature' }] } },
      { id: 'hot', type: 'threshold', config: { above: 25, hysteresis: 0.5 } },
      { id: 'fan', type: 'mqtt-out', config: { broker: 'home', topic: 'zigbee2mqtt/{room}_fan_plug/set' } },
      { id: 'log', type: 'debug', config: {} },
    ],
    edges: [
      { source: 'sensors', target: 'temperature' },
      { source: 'temperature', target: 'hot' },
      { source: 'hot', target: 'fan' },
      { source: 'hot', target: 'log' },
    ],
  };
}

/** The config of node `index`, to change one field of it. */
function config(doc: Doc, index: number): Fields {
  return doc.nodes[index]!.config as Fields;
}

interface Case {
  readonly name: string;
  /** Break a fresh copy of the base document; return it (or something else entirely). */
  readonly breakIt: (doc: Doc) => unknown;
  readonly path: string;
  readonly nodeId?: string;
  readonly brokerId?: string;
  /** Words the message must contain, the field first: the person must see what to fix. */
  readonly mentions: readonly string[];
}

const cases: Case[] = [
  { name: 'format missing', breakIt: ({ format: _f, ...d }) => d, path: 'format', mentions: ['format', 'topicflow/1'] },
  { name: 'format of a later version', breakIt: (d) => ({ ...d, format: 'topicflow/2' }), path: 'format', mentions: ['format', 'topicflow/1'] },
  { name: 'a Node-RED export (a list, not a document)', breakIt: (d) => d.nodes, path: '', mentions: ['object', 'array'] },
  { name: 'nodes is an object, not a list', breakIt: (d) => ({ ...d, nodes: { sensors: d.nodes[0] } }), path: 'nodes', mentions: ['nodes', 'array'] },
  {
    name: 'node id missing', breakIt: (d) => (delete d.nodes[4]!['id'], d),
    path: 'nodes[4].id', mentions: ['id'],
  },
  {
    name: 'node id with spaces', breakIt: (d) => ((d.nodes[4]!['id'] = 'fan log'), d),
    path: 'nodes[4].id', nodeId: 'fan log', mentions: ['id', 'letters, digits'],
  },
  {
    name: 'node id used twice', breakIt: (d) => (d.nodes.push({ id: 'fan', type: 'debug' }), d),
    path: 'nodes[5].id', nodeId: 'fan', mentions: ['"fan"', 'twice'],
  },
  {
    name: 'unknown node type', breakIt: (d) => (d.nodes.push({ id: 'js', type: 'function', config: {} }), d),
    path: 'nodes[5].type', nodeId: 'js', mentions: ['type', '"function"', 'mqtt-in', 'inject', 'transform', 'threshold', 'mqtt-out', 'debug'],
  },
  {
    name: 'mqtt-in topic with # before the last level', breakIt: (d) => ((config(d, 0).topic = 'zigbee2mqtt/#/th_sensor'), d),
    path: 'nodes[0].config.topic', nodeId: 'sensors', mentions: ['topic', '#', 'last level'],
  },
  {
    name: 'mqtt-in topic with + inside a level', breakIt: (d) => ((config(d, 0).topic = 'zigbee2mqtt/living_room+'), d),
    path: 'nodes[0].config.topic', nodeId: 'sensors', mentions: ['topic', '+'],
  },
  {
    name: 'mqtt-in topic empty', breakIt: (d) => ((config(d, 0).topic = ''), d),
    path: 'nodes[0].config.topic', nodeId: 'sensors', mentions: ['topic', 'empty'],
  },
  {
    name: 'mqtt-in qos 3', breakIt: (d) => ((config(d, 0).qos = 3), d),
    path: 'nodes[0].config.qos', nodeId: 'sensors', mentions: ['qos', '0, 1 or 2'],
  },
  {
    name: 'mqtt-in names a broker the document lacks', breakIt: (d) => ((config(d, 0).broker = 'garage'), d),
    path: 'nodes[0].config.broker', nodeId: 'sensors', mentions: ['broker', '"garage"', 'home'],
  },
  {
    name: 'broker url is not a URL', breakIt: (d) => ((d.brokers[0]!['url'] = '192.168.1.10:1883'), d),
    path: 'brokers[0].url', brokerId: 'home', mentions: ['url', '192.168.1.10:1883', 'mqtt://'],
  },
  {
    name: 'broker url carries a password', breakIt: (d) => ((d.brokers[0]!['url'] = 'mqtt://u:secret@h'), d),
    path: 'brokers[0].url', brokerId: 'home', mentions: ['url', 'password', 'credential store'],
  },
  {
    name: 'broker url with protocol http:', breakIt: (d) => ((d.brokers[0]!['url'] = 'http://192.168.1.10:1883'), d),
    path: 'brokers[0].url', brokerId: 'home', mentions: ['url', 'http:', 'mqtt:'],
  },
  {
    name: 'broker protocolVersion 3', breakIt: (d) => ((d.brokers[0]!['protocolVersion'] = 3), d),
    path: 'brokers[0].protocolVersion', brokerId: 'home', mentions: ['protocolVersion', '4', '5'],
  },
  {
    name: 'broker id used twice', breakIt: (d) => (d.brokers.push({ id: 'home', url: 'mqtt://192.168.1.11:1883' }), d),
    path: 'brokers[1].id', brokerId: 'home', mentions: ['"home"', 'twice'],
  },
  {
    name: 'transform path into __proto__', breakIt: (d) => ((config(d, 1).ops = [{ op: 'path', path: '__proto__.x' }]), d),
    path: 'nodes[1].config.ops[0].path', nodeId: 'temperature', mentions: ['path', '__proto__'],
  },
  {
    name: 'transform path constructor', breakIt: (d) => ((config(d, 1).ops = [{ op: 'path', path: 'constructor' }]), d),
    path: 'nodes[1].config.ops[0].path', nodeId: 'temperature', mentions: ['path', 'constructor'],
  },
  {
    name: 'transform JSONata syntax error',
    breakIt: (d) => ((config(d, 1).ops = [{ op: 'expr', expr: '$round(temperature * 1.8 + 32, 1' }]), d),
    path: 'nodes[1].config.ops[0].expr', nodeId: 'temperature', mentions: ['expr', 'JSONata', ')'],
  },
  {
    name: 'threshold with no mode', breakIt: (d) => ((d.nodes[2]!.config = { hysteresis: 0.5 }), d),
    path: 'nodes[2].config', nodeId: 'hot', mentions: ['config', 'above, below, between or outside'],
  },
  {
    name: 'threshold with two modes', breakIt: (d) => ((d.nodes[2]!.config = { above: 25, below: 18 }), d),
    path: 'nodes[2].config.below', nodeId: 'hot', mentions: ['below', 'only one', 'above and below'],
  },
  {
    name: 'threshold between [30, 20]', breakIt: (d) => ((d.nodes[2]!.config = { between: [30, 20] }), d),
    path: 'nodes[2].config.between', nodeId: 'hot', mentions: ['between', '30', '20'],
  },
  {
    name: 'threshold with negative hysteresis', breakIt: (d) => ((d.nodes[2]!.config = { above: 25, hysteresis: -0.5 }), d),
    path: 'nodes[2].config.hysteresis', nodeId: 'hot', mentions: ['hysteresis', '-0.5'],
  },
  {
    name: 'mqtt-out topic with +', breakIt: (d) => ((config(d, 3).topic = 'zigbee2mqtt/+/set'), d),
    path: 'nodes[3].config.topic', nodeId: 'fan', mentions: ['topic', 'wildcards'],
  },
  {
    name: 'mqtt-out topic with #', breakIt: (d) => ((config(d, 3).topic = 'cmnd/dehumidifier/#'), d),
    path: 'nodes[3].config.topic', nodeId: 'fan', mentions: ['topic', 'wildcards'],
  },
  {
    name: 'mqtt-out topic with an unclosed {', breakIt: (d) => ((config(d, 3).topic = 'zigbee2mqtt/{room_fan_plug/set'), d),
    path: 'nodes[3].config.topic', nodeId: 'fan', mentions: ['topic', '"{"', 'never closed'],
  },
  {
    name: 'edge to a node that does not exist', breakIt: (d) => (d.edges.push({ source: 'hot', target: 'heater' }), d),
    path: 'edges[4].target', nodeId: 'hot', mentions: ['edge', '"heater"', 'no such node'],
  },
  {
    name: 'edge from a node that does not exist',
    breakIt: (d) => (d.edges.push({ source: 'humidity', target: 'temperature' }), d),
    path: 'edges[4].source', nodeId: 'temperature', mentions: ['edge', '"humidity"', 'no such node'],
  },
  {
    name: 'edge from a debug node (it has no outputs)', breakIt: (d) => (d.edges.push({ source: 'log', target: 'fan' }), d),
    path: 'edges[4].sourcePort', nodeId: 'log', mentions: ['debug', '"log"', 'no outputs'],
  },
  {
    name: 'edge into an mqtt-in (it has no input)', breakIt: (d) => (d.edges.push({ source: 'hot', target: 'sensors' }), d),
    path: 'edges[4].target', nodeId: 'sensors', mentions: ['mqtt-in', '"sensors"', 'no input'],
  },
  {
    name: 'edge sourcePort out of range', breakIt: (d) => ((d.edges[2]!['sourcePort'] = 1), d),
    path: 'edges[2].sourcePort', nodeId: 'hot', mentions: ['port 1', '1 output'],
  },
  {
    name: 'inject interval 0',
    breakIt: (d) => {
      d.nodes.push({ id: 'tick', type: 'inject', config: { payload: { temperature: 27.34 }, interval: 0 } });
      d.edges.push({ source: 'tick', target: 'temperature' });
      return d;
    },
    path: 'nodes[5].config.interval', nodeId: 'tick', mentions: ['interval', '0.1 seconds'],
  },
  {
    name: 'node config is text, not an object', breakIt: (d) => ((d.nodes[2]!.config = 'above 25'), d),
    path: 'nodes[2].config', nodeId: 'hot', mentions: ['config', 'object', '"above 25"'],
  },
  {
    name: 'node config is a list', breakIt: (d) => ((d.nodes[2]!.config = [25]), d),
    path: 'nodes[2].config', nodeId: 'hot', mentions: ['config', 'object', 'a list'],
  },
  {
    name: 'node on a flow tab that does not exist',
    breakIt: (d) => ({ ...d, flows: [{ id: 'ground-floor' }], nodes: d.nodes.map((n) => ({ ...n, flow: n['id'] === 'log' ? 'attic' : 'ground-floor' })) }),
    path: 'nodes[4].flow', nodeId: 'log', mentions: ['flow', '"attic"'],
  },
  {
    name: '10,001 nodes (the limit is 10,000)',
    breakIt: (d) => ({ ...d, nodes: Array.from({ length: 10_001 }, (_, i) => ({ id: `log${i}`, type: 'debug' })), edges: [] }),
    path: 'nodes', mentions: ['nodes', '10000'],
  },
];

/** Problem fields that locate it, for comparing with deepEqual. */
function where(p: Problem): { path?: string; nodeId?: string; brokerId?: string } {
  return { path: p.path, ...(p.nodeId !== undefined ? { nodeId: p.nodeId } : {}), ...(p.brokerId !== undefined ? { brokerId: p.brokerId } : {}) };
}

describe('malformed flow documents are refused', () => {
  test('the base document is valid and has no warnings (control case)', () => {
    const result = validateDocument(baseDocument());
    assert.deepEqual(result.errors, []);
    assert.deepEqual(result.warnings, []);
    assert.equal(result.ok, true);
    assert.equal(result.document?.nodes[2]?.config['for'], 0, 'defaults are filled in');
  });

  test('the table holds at least 20 cases', () => assert.ok(cases.length >= 20));

  for (const c of cases) {
    test(c.name, () => {
      const result = validateDocument(c.breakIt(baseDocument()));
      assert.equal(result.ok, false);
      assert.equal(result.document, undefined);
      // One defect, one problem: noise around it would hide the real one.
      assert.equal(result.errors.length, 1, `expected one problem, got ${JSON.stringify(result.errors, null, 2)}`);
      const problem = result.errors[0]!;
      const expected = { path: c.path, ...(c.nodeId ? { nodeId: c.nodeId } : {}), ...(c.brokerId ? { brokerId: c.brokerId } : {}) };
      assert.deepEqual(where(problem), expected);
      for (const word of c.mentions) assert.ok(problem.message.includes(word), `"${problem.message}" should mention ${word}`);
      assert.match(problem.code, /^[a-z]+\.[a-z-]+$/);
    });
  }

  test('a password in a broker url is not repeated in the message', () => {
    const doc = baseDocument();
    doc.brokers[0]!['url'] = 'mqtt://u:secret@h';
    const result = validateDocument(doc);
    assert.equal(result.errors.length, 1);
    assert.doesNotMatch(JSON.stringify(result.errors), /secret/);
  });
});

describe('several problems in one document are all reported at once', () => {
  test('config, broker reference, type and edge problems', () => {
    const doc = baseDocument();
    config(doc, 0).qos = 3;
    config(doc, 1).ops = [{ op: 'path', path: 'AM2301.Temperature' }, { op: 'expr', expr: '$round($ * 1.8 + 32' }];
    doc.nodes[2]!.config = { between: [30, 20], hysteresis: -1 };
    config(doc, 3).broker = 'garage';
    doc.nodes.push({ id: 'js', type: 'function' });
    doc.edges.push({ source: 'log', target: 'fan' }, { source: 'hot', target: 'heater' });
    const result = validateDocument(doc);
    assert.equal(result.ok, false);
    assert.deepEqual(
      result.errors.map(where),
      [
        { path: 'nodes[0].config.qos', nodeId: 'sensors' },
        { path: 'nodes[1].config.ops[1].expr', nodeId: 'temperature' },
        { path: 'nodes[2].config.hysteresis', nodeId: 'hot' },
        { path: 'nodes[2].config.between', nodeId: 'hot' },
        { path: 'nodes[3].config.broker', nodeId: 'fan' },
        { path: 'nodes[5].type', nodeId: 'js' },
        { path: 'edges[4].sourcePort', nodeId: 'log' },
        { path: 'edges[5].target', nodeId: 'hot' },
      ],
    );
  });

  test('a broken broker entry does not hide the node problems', () => {
    const doc = baseDocument();
    doc.brokers[0]!['url'] = 'http://192.168.1.10:1883';
    config(doc, 0).topic = 'zigbee2mqtt/#/th_sensor';
    doc.nodes[2]!.config = { above: 25, below: 18 };
    doc.nodes[4]!['id'] = 'fan log';
    const result = validateDocument(doc);
    assert.equal(result.ok, false);
    assert.deepEqual(
      new Set(result.errors.map((p) => JSON.stringify(where(p)))),
      new Set([
        { path: 'brokers[0].url', brokerId: 'home' },
        { path: 'nodes[4].id', nodeId: 'fan log' },
        { path: 'nodes[0].config.topic', nodeId: 'sensors' },
        { path: 'nodes[2].config.below', nodeId: 'hot' },
      ].map((w) => JSON.stringify(w))),
    );
  });

  test('a document that is not an object at all', () => {
    for (const input of [null, 'topicflow/1', 42]) {
      const result = validateDocument(input);
      assert.equal(result.ok, false);
      assert.deepEqual(result.errors.map(where), [{ path: '' }]);
      assert.match(result.errors[0]!.message, /expected object/);
    }
  });
});
