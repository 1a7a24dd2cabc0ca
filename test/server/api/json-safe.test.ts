import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UNAVAILABLE } from '../../../nodes/message.ts';
import { jsonSafe, MAX_BYTES_SHOWN, MAX_DEPTH, MAX_JSON_CHARS } from '../../../server/api/json-safe.ts';

describe('jsonSafe', () => {
  const cases: [string, unknown, unknown][] = [
    ['a string', 'ON', 'ON'],
    ['a number', 21.5, 21.5],
    ['a boolean', false, false],
    ['null', null, null],
    ['UNAVAILABLE', UNAVAILABLE, 'unavailable'],
    ['UNAVAILABLE inside an object', { t: UNAVAILABLE, h: 40 }, { t: 'unavailable', h: 40 }],
    ['undefined at the top', undefined, null],
    ['undefined inside an object (key left out)', { a: 1, b: undefined }, { a: 1 }],
    ['undefined inside an array', [1, undefined], [1, null]],
    ['NaN', Number.NaN, 'NaN'],
    ['-Infinity', -Infinity, '-Infinity'],
    ['a bigint', 12345678901234567890n, '12345678901234567890'],
    ['another symbol', Symbol('x'), '[Symbol(x)]'],
    ['a function', function named() {}, '[function named]'],
    ['a date', new Date(Date.UTC(2024, 0, 2, 3, 4, 5)), '2024-01-02T03:04:05.000Z'],
    ['a Map', new Map([['k', 1]]), { k: 1 }],
    ['nested arrays and objects', { a: [{ b: [1, 'x'] }] }, { a: [{ b: [1, 'x'] }] }],
  ];
  for (const [name, input, expected] of cases) {
    it(`turns ${name} into ${JSON.stringify(expected)}`, () => {
      assert.deepEqual(jsonSafe(input), expected);
    });
  }

  it('keeps a "__proto__" key a plain key', () => {
    const input = JSON.parse('{"__proto__": {"polluted": true}, "a": 1}') as unknown;
    const out = jsonSafe(input) as Record<string, unknown>;
    assert.deepEqual(Object.keys(out), ['__proto__', 'a']);
    assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
    assert.equal(Object.getPrototypeOf(out), Object.prototype);
  });

  it('shows bytes as base64 with their length', () => {
    assert.deepEqual(jsonSafe(Buffer.from('hi')), { type: 'bytes', base64: 'aGk=', length: 2 });
    assert.deepEqual(jsonSafe(new Uint8Array([0, 255])), { type: 'bytes', base64: 'AP8=', length: 2 });
  });

  it('shows only the first 1 KB of a big binary value', () => {
    const big = Buffer.alloc(5000, 7);
    const out = jsonSafe(big) as { type: string; base64: string; length: number };
    assert.equal(out.length, 5000);
    assert.equal(Buffer.from(out.base64, 'base64').length, MAX_BYTES_SHOWN);
  });

  it('reads a Buffer view at its own offset, not from the start of the shared pool', () => {
    const pool = Buffer.from('xxxxhello');
    assert.deepEqual(jsonSafe(pool.subarray(4)), { type: 'bytes', base64: Buffer.from('hello').toString('base64'), length: 5 });
  });

  it('cuts a value whose JSON is over 10 KB to a string with a note', () => {
    const big = { items: Array.from({ length: 5000 }, (_, i) => ({ i })) };
    const out = jsonSafe(big);
    assert.equal(typeof out, 'string');
    const text = out as string;
    assert.ok(text.startsWith('{"items":[{"i":0}'), text.slice(0, 40));
    assert.match(text, /… \[truncated: [\d.]+ KB in all, first 10\.0 KB shown\]$/);
    assert.ok(text.length < MAX_JSON_CHARS + 100);
  });

  it('leaves a value of exactly the limit whole', () => {
    const s = 'x'.repeat(MAX_JSON_CHARS - 2); // the quotes make it exactly the limit
    assert.equal(jsonSafe(s), s);
    assert.equal(typeof jsonSafe(s + 'x'), 'string');
    assert.match(jsonSafe(s + 'x') as string, /truncated/);
  });

  it('survives a cycle and very deep nesting', () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic['self'] = cyclic;
    assert.deepEqual(jsonSafe(cyclic), { a: 1, self: '[circular]' });
    let deep: unknown = 'bottom';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    const out = JSON.stringify(jsonSafe(deep));
    assert.match(out, new RegExp(`nested deeper than ${MAX_DEPTH} levels`));
  });

  it('repeats a shared (not cyclic) object instead of calling it circular', () => {
    const shared = { v: 1 };
    assert.deepEqual(jsonSafe({ a: shared, b: shared }), { a: { v: 1 }, b: { v: 1 } });
  });

  it('does not throw on a getter that throws', () => {
    const bad = {
      get boom(): never {
        throw new Error('no');
      },
    };
    assert.match(jsonSafe(bad) as string, /value not shown: no/);
  });
});
