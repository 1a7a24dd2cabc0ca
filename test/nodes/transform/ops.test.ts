import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { transformConfig } from '../../../nodes/transform/definition.ts';
import { compileOps, type OpResult } from '../../../nodes/transform/ops.ts';
import { newMessage, UNAVAILABLE, type Message } from '../../../nodes/message.ts';
import { parsePayload } from '../../../nodes/payload.ts';

const U = UNAVAILABLE;

// The shared fixture of real device payloads; a copy beside the tests wins when there is one.
const LOCAL_FIXTURES = new URL('../../fixtures/device-payloads.json', import.meta.url);
const FIXTURES = LOCAL_FIXTURES;
const fixture = JSON.parse(readFileSync(FIXTURES, 'utf8')) as Record<string, { topic: string; payload_text: string }[]>;

/** The payload a device really sent on `topic`, parsed the way mqtt-in does in auto mode. */
function device(topic: string): unknown {
  const entry = Object.values(fixture)
    .filter(Array.isArray)
    .flat()
    .find((e) => e.topic === topic);
  assert.ok(entry, `no fixture for ${topic}`);
  const parsed = parsePayload(new TextEncoder().encode(entry.payload_text), 'auto');
  assert.ok(parsed.ok);
  return parsed.value;
}

async function run(ops: unknown[], payload: unknown, fields: Partial<Message> = {}): Promise<OpResult> {
  const transform = compileOps(transformConfig.parse({ ops }));
  return transform(newMessage({ topic: 'test/topic', ...fields, payload }));
}

async function value(ops: unknown[], payload: unknown, fields: Partial<Message> = {}): Promise<unknown> {
  const result = await run(ops, payload, fields);
  assert.ok(result.ok, !result.ok ? result.error : '');
  return result.msg.payload;
}

async function failure(ops: unknown[], payload: unknown, fields: Partial<Message> = {}): Promise<string> {
  const result = await run(ops, payload, fields);
  assert.equal(result.ok, false, `expected an error, got ${JSON.stringify(result)}`);
  return !result.ok ? result.error : '';
}

const CASES: [name: string, ops: unknown[], input: () => unknown, expected: unknown][] = [
  ['zigbee temperature', [{ op: 'path', path: 'temperature' }], () => device('zigbee2mqtt/living_room/th_sensor'), 27.34],
  ['tasmota AM2301', [{ op: 'path', path: 'AM2301.Temperature' }], () => device('tele/sonoff_th/SENSOR'), 24.6],
  ['tasmota power', [{ op: 'path', path: 'ENERGY.Power' }], () => device('tele/plug001/SENSOR'), 42],
  ['tasmota DS18B20-2', [{ op: 'path', path: 'DS18B20-2.Temperature' }], () => device('tele/boiler/SENSOR'), 24.3],
  ['tasmota nan sensor', [{ op: 'path', path: 'SI7021-02.Temperature' }], () => device('tele/bathroom/SENSOR'), U],
  ['tasmota good sensor beside it', [{ op: 'path', path: 'SI7021-00.Temperature' }], () => device('tele/bathroom/SENSOR'), 17.1],
  ['nan through every numeric op', [{ op: 'path', path: 'SI7021-02.Humidity' }, { op: 'scale', factor: 2 }, { op: 'round', decimals: 1 }, { op: 'convert', from: 'C', to: 'F' }], () => device('tele/bathroom/SENSOR'), U],
  ['zigbee battery as text', [{ op: 'path', path: 'battery' }, { op: 'number' }], () => device('zigbee/water_leak_1'), 100],
  ['zigbee boolean field', [{ op: 'path', path: 'water_leak' }], () => device('zigbee/water_leak_1'), false],
  ['shelly gen2 nested', [{ op: 'path', path: 'temperature.tC' }], () => device('shellyplugsg3-a1b2c3/status/switch:0'), 46.3],
  ['shelly gen2 energy in kWh', [{ op: 'path', path: 'aenergy.total' }, { op: 'convert', from: 'Wh', to: 'kWh' }, { op: 'round', decimals: 3 }], () => device('shellyplugsg3-a1b2c3/status/switch:0'), 2574.467],
  ['shelly gen2 key with a colon', [{ op: 'path', path: '["temperature:0"].tC' }], () => ({ 'temperature:0': { id: 0, tC: 22.5, tF: 72.5 }, 'switch:0': { apower: 3 } }), 22.5],
  ['shelly gen2 colon key then field', [{ op: 'path', path: "['switch:0'].apower" }], () => ({ 'switch:0': { apower: 3 } }), 3],
  ['shelly gen1 text number', [{ op: 'number' }, { op: 'convert', from: 'C', to: 'F' }], () => device('shellies/shellyht-208500/sensor/temperature'), 70.7],
  ['null field', [{ op: 'path', path: 'temperature' }], () => ({ temperature: null }), U],
  ['list index', [{ op: 'path', path: 'readings[1]' }], () => ({ readings: [1, 2] }), 2],
  ['field "unavailable" text stays text', [{ op: 'path', path: 'temperature' }], () => ({ temperature: 'unavailable' }), 'unavailable'],
  ['…and the number op makes it unavailable', [{ op: 'path', path: 'temperature' }, { op: 'number' }], () => ({ temperature: 'unavailable' }), U],
  ['availability state stays a string', [{ op: 'path', path: 'state' }], () => device('zigbee2mqtt/living_room/th_sensor/availability'), 'offline'],
  ['number of a number', [{ op: 'number' }], () => 5, 5],
  ['number of null', [{ op: 'number' }], () => null, U],
  ['number of "nan"', [{ op: 'number' }], () => 'nan', U],
  ['scale', [{ op: 'scale', factor: 0.1 }], () => 215, 21.5],
  ['scale with offset', [{ op: 'scale', factor: 1, offset: -0.5 }], () => 21.7, 21.2],
  ['scale without float noise', [{ op: 'scale', factor: 0.1 }], () => 3, 0.3],
  ['round', [{ op: 'round', decimals: 2 }], () => 1.005, 1.01],
  ['round to integer', [{ op: 'round' }], () => -2.5, -3],
  ['convert C→F', [{ op: 'convert', from: 'C', to: 'F' }], () => 100, 212],
  ['convert F→C then round', [{ op: 'convert', from: 'F', to: 'C' }, { op: 'round', decimals: 1 }], () => 72.5, 22.5],
  ['convert W→kW', [{ op: 'convert', from: 'W', to: 'kW' }], () => 399.2, 0.3992],
  ['set payload', [{ op: 'set', value: { state: 'ON' } }], () => 27, { state: 'ON' }],
  ['set payload on unavailable', [{ op: 'set', value: 'OFF' }], () => U, 'OFF'],
  ['template payload', [{ op: 'template', template: 'Power is {payload} W' }], () => 42, 'Power is 42 W'],
  ['template nested field', [{ op: 'template', template: '{payload.ENERGY.Power} W' }], () => device('tele/plug001/SENSOR'), '42 W'],
  ['template object', [{ op: 'template', template: 'got {payload}' }], () => ({ a: 1 }), 'got {"a":1}'],
  ['template literal braces', [{ op: 'template', template: '{{{payload}}}' }], () => 'x', '{x}'],
  ['template with unavailable payload', [{ op: 'template', template: 'Power is {payload} W' }], () => U, U],
  ['template over a nan field', [{ op: 'template', template: '{payload.SI7021-02.Temperature} °C' }], () => device('tele/bathroom/SENSOR'), U],
];

for (const [name, ops, input, expected] of CASES) {
  test(name, async () => {
    assert.deepEqual(await value(ops, input()), expected);
  });
}

const FAILURES: [name: string, ops: unknown[], input: unknown, error: string | RegExp][] = [
  ['missing field', [{ op: 'path', path: 'temperature' }], { battery: 97, linkquality: 120 }, 'field "temperature" is missing (payload has: battery, linkquality)'],
  ['missing nested field', [{ op: 'path', path: 'AM2301.Temperature' }], { AM2301: { Humidity: 58.2 } }, 'field "AM2301.Temperature" is missing (field "AM2301" has: Humidity)'],
  ['inherited field', [{ op: 'path', path: 'toString' }], {}, 'field "toString" is missing (payload has no fields)'],
  ['path on text', [{ op: 'path', path: 'temperature' }], 'online', 'cannot read field "temperature": payload is "online", not an object'],
  ['path on a number', [{ op: 'path', path: 'temperature' }], 21.5, /payload is 21.5, not an object/],
  ['number of words', [{ op: 'number' }], 'fail', '"fail" is not a number'],
  ['number of a boolean', [{ op: 'number' }], true, 'true is not a number'],
  ['number of an object', [{ op: 'number' }], { a: 1 }, 'an object is not a number'],
  ['scale of numeric text', [{ op: 'scale', factor: 2 }], '100.00', 'scale needs a number, got the text "100.00"; add a "number" op before it'],
  ['scale of text', [{ op: 'scale', factor: 2 }], 'ON', 'scale needs a number, got "ON"'],
  ['round of a boolean', [{ op: 'round' }], false, 'round needs a number, got false'],
  ['convert of an object', [{ op: 'convert', from: 'C', to: 'K' }], {}, 'convert needs a number, got an object'],
  ['scale to infinity', [{ op: 'scale', factor: 1e308 }], 1e10, /out of range/],
  ['template missing field', [{ op: 'template', template: 'in {room}' }], 1, /template field \{room\} has no value/],
  ['template missing payload field', [{ op: 'template', template: '{payload.x}' }], { y: 1 }, /\{payload\.x\} has no value/],
  ['template topic from unavailable', [{ op: 'template', target: 'topic', template: 'x/{payload}' }], U, /\{payload\} is unavailable/],
  ['step number in the message', [{ op: 'path', path: 'battery' }, { op: 'scale', factor: 2 }], { battery: '100.00' }, /^step 2 \(scale\): scale needs a number/],
];

for (const [name, ops, input, error] of FAILURES) {
  test(`error: ${name}`, async () => {
    const message = await failure(ops, input);
    if (typeof error === 'string') assert.equal(message, error);
    else assert.match(message, error);
  });
}

test('templates read captures first, then payload and topic', async () => {
  const fields = { topic: 'home/kitchen/power', captures: { room: 'kitchen', topic: 'captured' } };
  assert.equal(await value([{ op: 'template', template: 'Power is {payload} W in {room}' }], 42, fields), 'Power is 42 W in kitchen');
  assert.equal(await value([{ op: 'template', template: '{topic}' }], 1, fields), 'captured');
  assert.equal(await value([{ op: 'template', template: '{topic}' }], 1, { topic: 'a/b' }), 'a/b');
  // A capture named after an Object method must not be found on the prototype.
  assert.match(await failure([{ op: 'template', template: '{constructor}' }], 1, fields), /has no value \(captures: room, topic;/);
});

test('set and template can change the topic and keep the payload', async () => {
  const fields = { topic: 'home/kitchen/temperature', captures: { room: 'kitchen' } };
  const templated = await run([{ op: 'template', target: 'topic', template: 'actuator/{room}/fan' }], 27, fields);
  assert.ok(templated.ok);
  assert.equal(templated.msg.topic, 'actuator/kitchen/fan');
  assert.equal(templated.msg.payload, 27);
  assert.equal(templated.msg.sourceTopic, 'home/kitchen/temperature');
  const set = await run([{ op: 'set', target: 'topic', value: 'cmnd/fan/POWER' }], 27, fields);
  assert.ok(set.ok);
  assert.equal(set.msg.topic, 'cmnd/fan/POWER');
  assert.equal(set.msg.payload, 27);
});

test('a transform without expr answers synchronously', () => {
  const transform = compileOps(transformConfig.parse({ ops: [{ op: 'path', path: 'a' }, { op: 'number' }] }));
  const result = transform(newMessage({ payload: { a: '3' } }));
  assert.ok(!(result instanceof Promise));
  assert.deepEqual(result.ok && result.msg.payload, 3);
});

test('the input message is never changed', async () => {
  const payload = Object.freeze({ ENERGY: Object.freeze({ Power: 42 }) });
  const msg = Object.freeze(newMessage({ topic: 'tele/plug001/SENSOR', payload, captures: Object.freeze({ dev: 'plug001' }) }));
  const ops = [{ op: 'path', path: 'ENERGY.Power' }, { op: 'scale', factor: 2 }, { op: 'expr', expr: '$ + 1' }, { op: 'set', target: 'topic', value: 'x' }];
  const result = await compileOps(transformConfig.parse({ ops }))(msg);
  assert.ok(result.ok);
  assert.equal(result.msg.payload, 85);
  assert.equal(msg.payload, payload);
  assert.equal(msg.topic, 'tele/plug001/SENSOR');
  assert.deepEqual(payload, { ENERGY: { Power: 42 } });
});

test('a set value is shared, frozen, and independent of the config object', async () => {
  const config = transformConfig.parse({ ops: [{ op: 'set', value: { state: 'ON' } }] });
  const transform = compileOps(config);
  const op = config.ops[0]!;
  assert.ok(op.op === 'set');
  (op.value as { state: string }).state = 'OFF';
  const result = await transform(newMessage({ payload: 1 }));
  assert.ok(result.ok);
  assert.deepEqual(result.msg.payload, { state: 'ON' });
  assert.ok(Object.isFrozen(result.msg.payload));
});
