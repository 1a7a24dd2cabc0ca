import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseLenientJson } from '../../nodes/lenient-json.ts';
import { encodePayload, parsePayload, PAYLOAD_MODES, type PayloadMode } from '../../nodes/payload.ts';
import { UNAVAILABLE } from '../../nodes/message.ts';

const U = UNAVAILABLE;
const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

// The shared fixture of real device payloads; a copy beside the tests wins when there is one.
const LOCAL_FIXTURES = new URL('../fixtures/device-payloads.json', import.meta.url);
const FIXTURES = LOCAL_FIXTURES;

interface Entry { topic: string; payload_text: string }
const fixture = JSON.parse(readFileSync(FIXTURES, 'utf8')) as Record<string, unknown>;
const entries: Entry[] = Object.entries(fixture).flatMap(([key, list]) => {
  if (key === 'about' || !Array.isArray(list)) return [];
  return list.map((item: unknown) =>
    typeof item === 'string' ? { topic: `(${key})`, payload_text: item } : (item as Entry),
  );
});

/** What auto mode must make of each fixture text that is not plain valid JSON. */
const AUTO_EXPECTED = new Map<string, unknown>([
  ['online', 'online'],
  ['Online', 'Online'],
  ['ON', 'ON'],
  ['on', 'on'],
  ['off', 'off'],
  ['21.50', 21.5],
  ['48.5', 48.5],
  ['nan', U],
  ['', U],
  ['unavailable', U],
  ['unknown', U],
  ['offline', U],
  ['fail', 'fail'],
  ['not json at all', 'not json at all'],
  [
    '{"Time":"2018-10-31T11:57:31","SI7021-00":{"Temperature":17.1,"Humidity":70.0},"SI7021-02":{"Temperature":nan,"Humidity":nan},"TempUnit":"C"}',
    {
      Time: '2018-10-31T11:57:31',
      'SI7021-00': { Temperature: 17.1, Humidity: 70 },
      'SI7021-02': { Temperature: U, Humidity: U },
      TempUnit: 'C',
    },
  ],
]);
const BINARY = '\u0000\u0001binary';

test('the fixture file has entries of every kind', () => {
  assert.ok(entries.length >= 30, `only ${entries.length} entries`);
  assert.ok(entries.some((e) => e.payload_text === BINARY));
});

for (const entry of entries) {
  test(`auto: ${entry.topic} ${JSON.stringify(entry.payload_text).slice(0, 50)}`, () => {
    const result = parsePayload(bytes(entry.payload_text), 'auto');
    if (entry.payload_text === BINARY) {
      assert.equal(result.ok, false);
      assert.match(!result.ok ? result.error : '', /"raw"/);
      return;
    }
    assert.ok(result.ok, !result.ok ? result.error : '');
    const expected = AUTO_EXPECTED.has(entry.payload_text)
      ? AUTO_EXPECTED.get(entry.payload_text)
      : JSON.parse(entry.payload_text);
    assert.deepEqual(result.value, expected);
  });

  test(`raw keeps the bytes: ${entry.topic}`, () => {
    const input = bytes(entry.payload_text);
    const result = parsePayload(input, 'raw');
    assert.ok(result.ok);
    assert.equal(result.value, input);
  });
}

const CASES: [mode: PayloadMode, text: string, expected: unknown][] = [
  ['auto', '154', 154],
  ['auto', ' 21.50 ', 21.5],
  ['auto', '5.0', 5],
  ['auto', '-3', -3],
  ['auto', 'true', true],
  ['auto', 'false', false],
  ['auto', 'TRUE', 'TRUE'],
  ['auto', 'NaN', U],
  ['auto', '  ', U],
  ['auto', 'null', U],
  ['auto', 'Offline', U],
  ['auto', 'hello world', 'hello world'],
  ['auto', 'ON\n', 'ON\n'],
  ['auto', 'tab\tseparated', 'tab\tseparated'],
  ['auto', '[1, nan, "x"]', [1, U, 'x']],
  ['auto', '{"a":"nan"}', { a: 'nan' }],
  ['auto', ' {"a":1} ', { a: 1 }],
  ['auto', '°C', '°C'],
  ['json', '42', 42],
  ['json', '"hi"', 'hi'],
  ['json', 'nan', U],
  ['json', 'null', U],
  ['json', '', U],
  ['json', '[null]', [null]],
  ['json', '{"t":-inf}', { t: U }],
  ['string', '  ON ', '  ON '],
  ['string', '', ''],
  ['string', '{"a":1}', '{"a":1}'],
  ['number', '21.50', 21.5],
  ['number', '1e3', 1000],
  ['number', 'nan', U],
  ['number', '', U],
  ['number', 'unavailable', U],
];

for (const [mode, text, expected] of CASES) {
  test(`${mode}: ${JSON.stringify(text)} → ${typeof expected === 'symbol' ? 'UNAVAILABLE' : JSON.stringify(expected)}`, () => {
    const result = parsePayload(bytes(text), mode);
    assert.ok(result.ok, !result.ok ? result.error : '');
    assert.deepEqual(result.value, expected);
  });
}

const ERRORS: [mode: PayloadMode, text: string, pattern: RegExp][] = [
  ['auto', '{"temperature": 21.5', /looks like JSON.*at character 21/],
  ['auto', '[1,2', /looks like JSON/],
  ['auto', '{temperature: 21}', /looks like JSON.*field name/],
  ['auto', '{"a":nanx}', /unexpected "nanx"/],
  ['auto', '{"a":nan}}', /after the end/],
  ['auto', '{"a":"unclosed}', /never closed/],
  ['auto', 'bell\u0007', /"raw"/],
  ['json', 'hello', /not valid JSON/],
  ['json', '{"a":01}', /unexpected "01"/],
  ['number', 'abc', /"abc" is not a number/],
  ['number', '0x10', /not a number/],
];

for (const [mode, text, pattern] of ERRORS) {
  test(`${mode}: ${JSON.stringify(text)} is refused`, () => {
    const result = parsePayload(bytes(text), mode);
    assert.equal(result.ok, false);
    assert.match(!result.ok ? result.error : '', pattern);
  });
}

test('bytes that are not UTF-8 are refused in every text mode, with a hint to use raw', () => {
  const invalid = new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]);
  for (const mode of PAYLOAD_MODES.filter((m) => m !== 'raw')) {
    const result = parsePayload(invalid, mode);
    assert.equal(result.ok, false, mode);
    assert.match(!result.ok ? result.error : '', /"raw"/);
  }
  assert.deepEqual(parsePayload(invalid, 'raw'), { ok: true, value: invalid });
});

test('bare nan words are UNAVAILABLE outside strings and text inside them', () => {
  const result = parseLenientJson('{"say":"nan, \\"inf\\" and {nan}","v":[nan,NaN,-nan,inf,-inf,Infinity,-Infinity],"ok":1.5e2}');
  assert.deepEqual(result, {
    ok: true,
    value: { say: 'nan, "inf" and {nan}', v: [U, U, U, U, U, U, U], ok: 150 },
  });
});

test('a __proto__ key stays an own field and never changes a prototype', () => {
  for (const text of ['{"__proto__":{"x":1}}', '{"__proto__":{"x":nan},"y":nan}']) {
    const result = parsePayload(bytes(text), 'auto');
    assert.ok(result.ok);
    const value = result.value as Record<string, unknown>;
    assert.equal(Object.getPrototypeOf(value), Object.prototype);
    assert.ok(Object.hasOwn(value, '__proto__'));
    assert.equal((value as { x?: unknown }).x, undefined);
    assert.equal(({} as { x?: unknown }).x, undefined);
  }
});

test('the lenient parser keeps escapes, unicode and duplicate-key rules of JSON', () => {
  assert.deepEqual(parseLenientJson('{"a":"\\u00b0C\\n","a":nan,"b":{"c":[[]]},"d":{}}'), {
    ok: true,
    value: { a: U, b: { c: [[]] }, d: {} },
  });
  assert.equal(parseLenientJson('{"a":"tab\there",x:nan}').ok, false);
});

test('absurdly deep nesting is an error, not a stack overflow', () => {
  const deep = `${'['.repeat(100_000)}nan${']'.repeat(100_000)}`;
  const result = parsePayload(bytes(deep), 'auto');
  assert.equal(result.ok, false);
  assert.match(!result.ok ? result.error : '', /nested more than/);
});

const ENCODE: [value: unknown, wire: string][] = [
  ['ON', 'ON'],
  ['', ''],
  [21.5, '21.5'],
  [-0, '0'],
  [1e21, '1e+21'],
  [true, 'true'],
  [false, 'false'],
  [null, 'null'],
  [{ state: 'ON' }, '{"state":"ON"}'],
  [[1, 'a'], '[1,"a"]'],
  [{ t: U, list: [U, 1] }, '{"t":null,"list":[null,1]}'],
];

for (const [value, wire] of ENCODE) {
  test(`encode ${typeof value === 'string' ? JSON.stringify(value) : String(JSON.stringify(value))} → ${wire}`, () => {
    assert.deepEqual(encodePayload(value), { ok: true, wire });
  });
}

test('bytes are published as they are', () => {
  const raw = new Uint8Array([0, 1, 2]);
  const result = encodePayload(raw);
  assert.ok(result.ok);
  assert.equal(result.wire, raw);
});

test('unavailable, undefined, NaN and functions are not published', () => {
  for (const value of [U, undefined, NaN, Infinity]) {
    assert.deepEqual(encodePayload(value), { ok: false, error: 'unavailable value is not published' });
  }
  assert.equal(encodePayload(() => 1).ok, false);
  const cyclic: Record<string, unknown> = {};
  cyclic.self = cyclic;
  assert.match((encodePayload(cyclic) as { error: string }).error, /cannot be written as JSON/);
});

test('encode then parse in auto mode gives the value back', () => {
  for (const value of ['ON', 21.5, true, { temperature: 21.5, nested: [1, { a: 'b' }] }]) {
    const encoded = encodePayload(value);
    assert.ok(encoded.ok);
    const wire = typeof encoded.wire === 'string' ? bytes(encoded.wire) : encoded.wire;
    assert.deepEqual(parsePayload(wire, 'auto'), { ok: true, value });
  }
});
