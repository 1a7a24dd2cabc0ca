import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CATEGORY_ORDER, categoryLook, clip, configSummary, iconPath } from '../../editor/src/lib/node-look.ts';
import { nodeDefinitions } from '../../nodes/registry.ts';

const cases: [type: string, config: Record<string, unknown>, expected: string][] = [
  ['mqtt-in', { broker: 'home', topic: 'zigbee2mqtt/+room/th_sensor' }, 'zigbee2mqtt/+room/th_sensor'],
  ['mqtt-in', { broker: 'home', topic: '' }, 'no topic yet'],
  ['mqtt-in', { topic: 'a/#', shareGroup: 'g1' }, 'a/# · group g1'],
  ['mqtt-out', { topic: 'actuator/{room}/fan', retain: true }, 'actuator/{room}/fan · retain'],
  ['inject', { payload: 21.5, interval: 60 }, '21.5 · every 1 min'],
  ['inject', { payload: { temperature: 27 }, once: true }, '{"temperature":27} · once'],
  ['inject', { payload: '' }, 'empty'],
  ['threshold', { above: 25, hysteresis: 0.5 }, '> 25 · ±0.5'],
  ['threshold', { below: 5, for: 300 }, '< 5 · for 5 min'],
  ['threshold', { between: [18, 22] }, '18 … 22'],
  ['threshold', { outside: [0, 10], on: 'alarm', off: 'ok' }, 'outside 0 … 10 · alarm/ok'],
  ['threshold', {}, 'no limit set'],
  ['transform', { ops: [{ op: 'path', path: 'temperature' }, { op: 'round', decimals: 1 }] }, '.temperature → round 1'],
  ['transform', { ops: [{ op: 'convert', from: 'C', to: 'F' }] }, '°C→°F'],
  ['transform', { ops: [{ op: 'scale', factor: 0.001, offset: -2 }] }, '×0.001 −2'],
  ['transform', { ops: [] }, 'no steps yet'],
  ['debug', { show: 'payload', active: true }, 'payload'],
  ['debug', { show: 'message' }, 'whole message'],
  ['debug', { active: false }, 'off'],
  ['unsupported', { nodeRedType: 'function' }, 'Node-RED function'],
  ['no-such-type', { a: 1 }, ''],
];

for (const [type, config, expected] of cases) {
  test(`summary of ${type} ${JSON.stringify(config)} is "${expected}"`, () => {
    assert.equal(configSummary(type, config), expected);
  });
}

test('summaries are cut to the length asked for, never throwing on odd configs', () => {
  const long = configSummary('mqtt-in', { topic: 'a/'.repeat(50) }, 20);
  assert.equal(long.length, 20);
  assert.ok(long.endsWith('…'));
  for (const config of [{ ops: 'nope' }, { ops: [null, 3] }, { above: 'x' }, { payload: 10n as unknown }]) {
    for (const def of nodeDefinitions) assert.equal(typeof configSummary(def.type, config as Record<string, unknown>), 'string');
  }
  assert.equal(clip('short'), 'short');
});

test('every node type has its own icon and a category with a look', () => {
  const icons = new Set(nodeDefinitions.map((d) => iconPath(d.type)));
  assert.equal(icons.size, nodeDefinitions.length);
  for (const def of nodeDefinitions) {
    assert.ok(CATEGORY_ORDER.includes(def.category), def.type);
    assert.match(categoryLook(def.category).color, /^#[0-9a-f]{6}$/);
  }
  assert.equal(categoryLook('nonsense').color, categoryLook('debug').color);
});

test('threshold on/off objects are left out of the summary', () => {
  assert.equal(configSummary('threshold', { above: 25, on: { state: 'ON' }, off: { state: 'OFF' } }), '> 25');
});
