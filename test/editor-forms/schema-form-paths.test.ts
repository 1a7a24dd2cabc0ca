import assert from 'node:assert/strict';
import { test } from 'node:test';
import { numericLeaves, parseSeenPayload, sampleBeforeOp, suggestTopics, topicsMatching, type GraphNode } from '../../editor/src/lib/schema-form-paths.ts';
import type { SeenTopic } from '../../nodes/protocol.ts';
import { parsePath, readPath } from '../../nodes/transform/path.ts';

function seen(topic: string, payload: string, lastSeen = '2025-01-01T00:00:00.000Z', broker = 'home'): SeenTopic {
  return { broker, topic, payload, binary: false, retained: false, count: 1, lastSeen };
}

test('numericLeaves lists numbers and numeric text with paths a transform accepts', () => {
  const payload = {
    temperature: 21.5,
    humidity: '48.20',
    state: 'ON',
    'temperature:0': { tC: 20.1 },
    list: [1, { x: 2 }],
    nested: { AM2301: { Temperature: 19 } },
    nothing: null,
    flag: true,
  };
  assert.deepEqual(numericLeaves(payload), [
    { path: 'temperature', value: 21.5 },
    { path: 'humidity', value: '48.20' },
    { path: 'temperature:0.tC', value: 20.1 },
    { path: 'list.0', value: 1 },
    { path: 'list.1.x', value: 2 },
    { path: 'nested.AM2301.Temperature', value: 19 },
  ]);
  // Each path reads back its value through the transform's own path reader.
  for (const leaf of numericLeaves(payload)) assert.deepEqual(readPath(payload, parsePath(leaf.path)), { ok: true, value: leaf.value }, leaf.path);
  assert.deepEqual(numericLeaves({ 'a.b': 1, 'c d': 2 }).map((l) => l.path), ['["a.b"]', '["c d"]']);
  assert.deepEqual(numericLeaves(42), [], 'a bare number has no field to pick');
  assert.equal(numericLeaves(Array.from({ length: 500 }, (_, i) => i)).length, 200);
});

test('topicsMatching understands named wildcards and orders the newest first', () => {
  const topics = [
    seen('zigbee2mqtt/kitchen/th_sensor', '{}', '2025-01-01T00:00:01.000Z'),
    seen('zigbee2mqtt/bedroom/th_sensor', '{}', '2025-01-01T00:00:05.000Z'),
    seen('zigbee2mqtt/bedroom/th_sensor', '{}', '2025-01-01T00:00:09.000Z', 'other'),
    seen('zigbee2mqtt/bridge/state', 'online'),
  ];
  assert.deepEqual(topicsMatching('zigbee2mqtt/+room/th_sensor', 'home', topics).map((t) => t.topic), ['zigbee2mqtt/bedroom/th_sensor', 'zigbee2mqtt/kitchen/th_sensor']);
  assert.equal(topicsMatching('zigbee2mqtt/#', undefined, topics).length, 4);
  assert.deepEqual(topicsMatching('a/#/b', 'home', topics), []);
});

test('parseSeenPayload parses like the mqtt-in node would', () => {
  assert.deepEqual(parseSeenPayload(seen('t', '{"Temperature":nan,"Humidity":40}')), { Temperature: Symbol.for('topicflow.unavailable'), Humidity: 40 });
  assert.equal(parseSeenPayload(seen('t', '21.5')), 21.5);
  assert.equal(parseSeenPayload(seen('t', '21.5'), 'string'), '21.5');
  assert.equal(parseSeenPayload({ ...seen('t', 'AAEC'), binary: true }), undefined);
});

const nodes: GraphNode[] = [
  { id: 'in', data: { type: 'mqtt-in', config: { broker: 'home', topic: 'tele/+device/SENSOR' } } },
  { id: 't1', data: { type: 'transform', config: { ops: [{ op: 'path', path: 'AM2301' }] } } },
  { id: 't2', data: { type: 'transform', config: { ops: [{ op: 'path', path: 'Humidity' }, { op: 'path', path: 'x' }] } } },
  { id: 'inj', data: { type: 'inject', config: { payload: { apower: 12.5 }, topic: 'test' } } },
  { id: 't3', data: { type: 'transform', config: { ops: [{ op: 'scale', factor: 2 }, { op: 'path', path: 'a' }] } } },
];
const edges = [
  { source: 'in', target: 't1' },
  { source: 't1', target: 't2' },
  { source: 'inj', target: 't3' },
];
const topics = [seen('tele/dehumidifier/SENSOR', '{"Time":"2025-01-01T00:00:00","AM2301":{"Temperature":21.3,"Humidity":63.1}}')];

test('sampleBeforeOp follows edges back to the mqtt-in and applies the path ops on the way', () => {
  assert.deepEqual(sampleBeforeOp('t1', 0, nodes, edges, topics), {
    topic: 'tele/dehumidifier/SENSOR',
    payload: { Time: '2025-01-01T00:00:00', AM2301: { Temperature: 21.3, Humidity: 63.1 } },
  });
  assert.deepEqual(sampleBeforeOp('t2', 0, nodes, edges, topics)?.payload, { Temperature: 21.3, Humidity: 63.1 });
  // The second op of t2 gets what the first one picked.
  assert.equal(sampleBeforeOp('t2', 1, nodes, edges, topics)?.payload, 63.1);
});

test('sampleBeforeOp uses an inject node\'s payload, and gives up after an op it cannot follow', () => {
  assert.deepEqual(sampleBeforeOp('t3', 0, nodes, edges, topics), { topic: 'test', payload: { apower: 12.5 } });
  assert.equal(sampleBeforeOp('t3', 1, nodes, edges, topics), undefined);
  assert.equal(sampleBeforeOp('t1', 0, nodes, edges, []), undefined, 'nothing seen yet');
  assert.equal(sampleBeforeOp('nope', 0, nodes, edges, topics), undefined);
});

test('sampleBeforeOp survives cycles', () => {
  const loop: GraphNode[] = [
    { id: 'a', data: { type: 'transform', config: { ops: [] } } },
    { id: 'b', data: { type: 'transform', config: { ops: [] } } },
  ];
  assert.equal(sampleBeforeOp('a', 0, loop, [{ source: 'a', target: 'b' }, { source: 'b', target: 'a' }], topics), undefined);
});

test('suggestTopics: a typed filter lists what it matches, typed text what contains it, nothing typed lists all with matches first', () => {
  const topics = [
    seen('zigbee2mqtt/kitchen/th_sensor', '{}'),
    seen('zigbee2mqtt/bedroom/th_sensor', '{}'),
    seen('zigbee2mqtt/kitchen_fan_plug/set', '{}'),
    seen('tele/dehumidifier/SENSOR', '{}', undefined, 'other'),
  ];
  const names = (list: SeenTopic[]) => list.map((t) => t.topic);
  assert.deepEqual(names(suggestTopics('zigbee2mqtt/+room/th_sensor', 'filter', 'home', topics)), ['zigbee2mqtt/bedroom/th_sensor', 'zigbee2mqtt/kitchen/th_sensor']);
  assert.deepEqual(names(suggestTopics('KITCHEN', 'name', 'home', topics)), ['zigbee2mqtt/kitchen/th_sensor', 'zigbee2mqtt/kitchen_fan_plug/set']);
  assert.deepEqual(names(suggestTopics('{room}_fan', 'name', 'home', topics)), [], 'a template matches no seen topic');
  assert.deepEqual(names(suggestTopics('zigbee2mqtt/+/set', 'filter', 'home', topics, false)), [
    'zigbee2mqtt/kitchen_fan_plug/set',
    'zigbee2mqtt/bedroom/th_sensor',
    'zigbee2mqtt/kitchen/th_sensor',
  ]);
  assert.equal(suggestTopics('', 'filter', undefined, topics).length, 4, 'no broker chosen: every broker');
});
