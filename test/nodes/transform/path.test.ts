import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatPath, parsePath, readPath } from '../../../nodes/transform/path.ts';
import { UNAVAILABLE } from '../../../nodes/message.ts';

const PATHS: [path: string, segments: string[]][] = [
  ['temperature', ['temperature']],
  ['AM2301.Temperature', ['AM2301', 'Temperature']],
  ['ENERGY.Power', ['ENERGY', 'Power']],
  ['aenergy.total', ['aenergy', 'total']],
  ['DS18B20-1.Temperature', ['DS18B20-1', 'Temperature']],
  ['list.0', ['list', '0']],
  ['list[0]', ['list', '0']],
  ['[0].value', ['0', 'value']],
  ['["temperature:0"].tC', ['temperature:0', 'tC']],
  ["['switch:0'].aenergy.total", ['switch:0', 'aenergy', 'total']],
  ['["a.b"]["c d"]', ['a.b', 'c d']],
  ['["say \\"hi\\""]', ['say "hi"']],
  ['Temperatur Balkon', ['Temperatur Balkon']],
  ['a[1][2]', ['a', '1', '2']],
];

for (const [path, segments] of PATHS) {
  test(`parsePath ${path}`, () => {
    assert.deepEqual(parsePath(path), segments);
  });
}

const BAD_PATHS: [path: string, pattern: RegExp][] = [
  ['__proto__', /"__proto__" cannot be used/],
  ['a.__proto__.polluted', /"__proto__" cannot be used/],
  ['["__proto__"]', /"__proto__" cannot be used/],
  ['constructor.prototype', /"constructor" cannot be used/],
  ['x.prototype', /"prototype" cannot be used/],
  ['a..b', /empty field name at character 3/],
  ['.a', /empty field name at character 1/],
  ['a.', /ends with "."/],
  ['a[0', /never closed/],
  ['a["x', /never closed/],
  ['a["x"', /expected "\]"/],
  ['a["x"b', /expected "]"/],
  ['a[x]', /not a list index; quote a key like \["x"\]/],
  ['a[0]b', /expected "\." or "\["/],
  ['a]', /"]" without "\["/],
];

for (const [path, pattern] of BAD_PATHS) {
  test(`parsePath refuses ${path}`, () => {
    assert.throws(() => parsePath(path), pattern);
  });
}

test('formatPath quotes only what needs quoting', () => {
  assert.equal(formatPath(['AM2301', 'Temperature']), 'AM2301.Temperature');
  assert.equal(formatPath(['temperature:0', 'tC']), 'temperature:0.tC');
  assert.equal(formatPath(['a.b', 'c d']), '["a.b"]["c d"]');
});

const payload = {
  battery: 97,
  nested: { empty: {}, gone: null, flag: false, zero: 0 },
  list: [{ v: 1 }, { v: 2 }],
  'temperature:0': { tC: 22.5 },
  text: 'x',
};

const READS: [path: string, expected: unknown][] = [
  ['battery', 97],
  ['nested.flag', false],
  ['nested.zero', 0],
  ['nested.gone', UNAVAILABLE],
  ['nested.gone.deeper', UNAVAILABLE],
  ['list[1].v', 2],
  ['["temperature:0"].tC', 22.5],
];

for (const [path, expected] of READS) {
  test(`readPath ${path}`, () => {
    assert.deepEqual(readPath(payload, parsePath(path)), { ok: true, value: expected });
  });
}

const READ_ERRORS: [path: string, error: string][] = [
  ['temperature', 'field "temperature" is missing (payload has: battery, nested, list, temperature:0, text)'],
  ['nested.empty.x', 'field "nested.empty.x" is missing (field "nested.empty" has no fields)'],
  ['list[5]', 'field "list.5" is missing (field "list" is a list of 2)'],
  ['list.v', 'cannot read field "list.v": field "list" is a list; use an index such as [0]'],
  ['text.length', 'cannot read field "text.length": field "text" is "x", not an object'],
  ['battery.x', 'cannot read field "battery.x": field "battery" is 97, not an object'],
  ['toString', 'field "toString" is missing (payload has: battery, nested, list, temperature:0, text)'],
  ['hasOwnProperty', 'field "hasOwnProperty" is missing (payload has: battery, nested, list, temperature:0, text)'],
];

for (const [path, error] of READ_ERRORS) {
  test(`readPath ${path} fails with a clear message`, () => {
    assert.deepEqual(readPath(payload, parsePath(path)), { ok: false, error });
  });
}

test('readPath on a payload that is not an object says what it is', () => {
  assert.deepEqual(readPath('21.5', ['temperature']), {
    ok: false,
    error: 'cannot read field "temperature": payload is "21.5", not an object',
  });
  assert.match((readPath(new Uint8Array(3), ['a']) as { error: string }).error, /3 bytes of binary data/);
});

test('a long list of keys is cut short', () => {
  const wide = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`k${i}`, i]));
  assert.match((readPath(wide, ['x']) as { error: string }).error, /k11, … 8 more\)$/);
});
