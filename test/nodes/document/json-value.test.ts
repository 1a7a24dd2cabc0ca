import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { cloneJson, equalJson } from '../../../nodes/document/json-value.ts';

class Point {
  x = 1;
}
const cycle: Record<string, unknown> = {};
cycle['self'] = cycle;

describe('cloneJson', () => {
  const copied: [string, unknown][] = [
    ['a string', 'x'],
    ['a number', 2.5],
    ['null', null],
    ['an object in its key order', { b: 1, a: [true, null, 'x', { c: 0 }] }],
    ['an object without a prototype', Object.assign(Object.create(null) as object, { a: 1 })],
    ['a "__proto__" key, as JSON.parse makes it', JSON.parse('{"__proto__":{"polluted":1},"a":1}')],
  ];
  for (const [what, value] of copied) {
    test(`copies ${what}`, () => {
      const copy = cloneJson(value);
      assert.ok(equalJson(value, copy), JSON.stringify(copy));
      if (typeof value === 'object' && value !== null) assert.notEqual(copy, value);
    });
  }

  const refused: [string, unknown][] = [
    ['NaN', Number.NaN],
    ['Infinity inside', { a: [Number.POSITIVE_INFINITY] }],
    ['-0 (JSON writes it as 0)', { above: -0 }],
    ['an array with a hole', [1, , 3]],
    ['an undefined field', { a: undefined }],
    ['undefined', undefined],
    ['a function', { f: () => 1 }],
    ['a Date', { at: new Date(0) }],
    ['a class instance', new Point()],
    ['an object with a toJSON method', { toJSON: () => 'x' }],
    ['a BigInt', { n: 1n }],
    ['a cycle', cycle],
  ];
  for (const [what, value] of refused) {
    test(`refuses ${what}`, () => assert.equal(cloneJson(value), undefined));
  }

  test('the copy shares nothing with the original', () => {
    const value = { a: { b: [1] } };
    const copy = cloneJson(value) as typeof value;
    value.a.b.push(2);
    assert.deepEqual(copy, { a: { b: [1] } });
  });
});

describe('equalJson', () => {
  const cases: [string, unknown, unknown, boolean][] = [
    ['equal objects', { a: 1, b: [1, 'x'] }, { a: 1, b: [1, 'x'] }, true],
    ['keys in another order', { a: 1, b: 2 }, { b: 2, a: 1 }, false],
    ['a missing key', { a: 1 }, { a: 1, b: 2 }, false],
    ['0 and -0', { a: -0 }, { a: 0 }, false],
    ['an array and an object', [1], { 0: 1 }, false],
    ['a class instance and its fields', new Point(), { x: 1 }, false],
  ];
  for (const [what, value, json, equal] of cases) {
    test(`${what}: ${equal ? 'equal' : 'not equal'}`, () => assert.equal(equalJson(value, json), equal));
  }
});
