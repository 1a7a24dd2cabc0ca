import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { topicMatchesFilter } from '../../../nodes/topic/filter.ts';
import { TopicTrie } from '../../../nodes/topic/trie.ts';

function trieOf(filters: readonly string[]): TopicTrie<string> {
  const trie = new TopicTrie<string>();
  for (const filter of filters) trie.add(filter, filter);
  return trie;
}

const sorted = (values: readonly string[]): string[] => [...values].sort();

const filters = [
  'home/+/temperature', 'home/kitchen/#', 'home/#', '#', '+', '+/+', 'a/+', 'a/#', 'a', 'a/',
  '$SYS/#', '$SYS/+/uptime', '+/broker/uptime', 'zigbee2mqtt/Temperatur Balkon', 'zigbee2mqtt/+',
  '/+', '+/a', 'x/+/+', 'x//z',
];

const cases: [topic: string, expected: string[]][] = [
  ['home/kitchen/temperature', ['#', 'home/#', 'home/+/temperature', 'home/kitchen/#']],
  ['home/kitchen', ['#', '+/+', 'home/#', 'home/kitchen/#']],
  ['home', ['#', '+', 'home/#']],
  ['a', ['#', '+', 'a', 'a/#']],
  ['a/', ['#', '+/+', 'a/', 'a/#', 'a/+']],
  ['a/a', ['#', '+/+', '+/a', 'a/#', 'a/+']],
  ['/a', ['#', '+/+', '+/a', '/+']],
  ['$SYS/broker/uptime', ['$SYS/#', '$SYS/+/uptime']],
  ['$SYS', ['$SYS/#']],
  ['$other', []],
  ['zigbee2mqtt/Temperatur Balkon', ['#', '+/+', 'zigbee2mqtt/+', 'zigbee2mqtt/Temperatur Balkon']],
  ['x//z', ['#', 'x/+/+', 'x//z']],
];

describe('TopicTrie matching', () => {
  const trie = trieOf(filters);
  for (const [topic, expected] of cases) {
    test(`${JSON.stringify(topic)} → ${expected.join(', ') || 'nothing'}`, () => {
      assert.deepEqual(sorted(trie.match(topic)), sorted(expected));
      const seen: [string, string][] = [];
      trie.forEachMatch(topic, (value, filter) => seen.push([value, filter]));
      assert.deepEqual(sorted(seen.map(([v]) => v)), sorted(expected));
      for (const [value, filter] of seen) assert.equal(value, filter);
    });
  }
});

describe('TopicTrie bookkeeping', () => {
  test('values under one filter come in insertion order; duplicates are kept and counted', () => {
    const trie = new TopicTrie<number>();
    for (const n of [3, 1, 2, 1]) trie.add('home/+/temperature', n);
    assert.equal(trie.size, 4);
    assert.deepEqual(trie.match('home/kitchen/temperature'), [3, 1, 2, 1]);
    assert.equal(trie.remove('home/+/temperature', 1), true);
    assert.deepEqual(trie.match('home/kitchen/temperature'), [3, 2, 1]);
    assert.equal(trie.size, 3);
  });

  test('the same value under two matching filters is reported once per filter', () => {
    const trie = new TopicTrie<string>();
    const handler = 'h';
    trie.add('home/#', handler);
    trie.add('home/+/temperature', handler);
    const seen: string[] = [];
    trie.forEachMatch('home/kitchen/temperature', (value, filter) => seen.push(`${value}@${filter}`));
    assert.deepEqual(sorted(seen), ['h@home/#', 'h@home/+/temperature']);
  });

  test('remove reports what it did and prunes empty levels', () => {
    const trie = new TopicTrie<string>();
    const value = 'v';
    trie.add('a/b/c', value);
    trie.add('a/+/#', value);
    assert.equal(trie.remove('a/b/c', 'other'), false);
    assert.equal(trie.remove('a/b', value), false);
    assert.equal(trie.remove('a/b/c/d', value), false);
    assert.equal(trie.remove('a+', value), false);
    assert.equal(trie.remove('a/b/c', value), true);
    assert.equal(trie.remove('a/b/c', value), false);
    assert.deepEqual(trie.filters(), ['a/+/#']);
    assert.equal(trie.remove('a/+/#', value), true);
    assert.deepEqual(trie.filters(), []);
    assert.equal(trie.size, 0);
    assert.deepEqual(trie.match('a/b/c'), []);
  });

  test('filters() lists each filter holding a value once', () => {
    const trie = trieOf(['a/#', 'a/#', '+', 'a', 'a/b']);
    assert.deepEqual(sorted(trie.filters()), ['+', 'a', 'a/#', 'a/b']);
  });

  test('add refuses invalid and shared filters with the validation sentence', () => {
    const trie = new TopicTrie<string>();
    assert.throws(() => trie.add('a/#/b', 'x'), { message: '"#" must be the last level, alone: "a/#/b"' });
    assert.throws(() => trie.add('', 'x'), { message: 'A topic filter cannot be empty' });
    assert.throws(() => trie.add('$share/g/a', 'x'), /without its "\$share\/<group>\/" prefix/);
    assert.equal(trie.size, 0);
  });

  test('a callback that changes the trie does not disturb the walk in progress', () => {
    const trie = new TopicTrie<string>();
    for (const v of ['1', '2', '3']) trie.add('a/+', v);
    trie.add('a/#', '4');
    const seen: string[] = [];
    trie.forEachMatch('a/b', (value) => {
      seen.push(value);
      // The first handler unsubscribes everything, as a node closing mid-message would.
      if (value === '1') {
        for (const v of ['1', '2', '3']) trie.remove('a/+', v);
        trie.remove('a/#', '4');
        trie.add('a/+', '5');
      }
    });
    assert.ok(seen.includes('1') && seen.includes('2') && seen.includes('3'));
    assert.deepEqual(trie.match('a/b'), ['5']);
  });

  test('10,000 filters on other devices do not change what a topic matches', () => {
    const trie = new TopicTrie<number>();
    for (let i = 0; i < 10_000; i++) trie.add(`zigbee2mqtt/device_${i}/set`, i);
    trie.add('zigbee2mqtt/+', -1);
    assert.deepEqual(trie.match('zigbee2mqtt/device_42/set'), [42]);
    assert.deepEqual(trie.match('zigbee2mqtt/device_42'), [-1]);
    assert.equal(trie.size, 10_001);
  });
});

const level = fc.constantFrom('a', 'b', '$s', '');
const filterArb = fc
  .tuple(fc.array(fc.constantFrom('a', 'b', '$s', '', '+'), { minLength: 1, maxLength: 4 }), fc.boolean())
  .map(([levels, hash]) => (hash ? [...levels, '#'] : levels).join('/'))
  .filter((f) => f !== '');
const topicArb = fc.array(level, { minLength: 1, maxLength: 5 }).map((l) => l.join('/')).filter((t) => t !== '');

describe('TopicTrie properties', () => {
  test('match(topic) equals the stored filters that topicMatchesFilter accepts', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(filterArb, fc.constant('#')), { maxLength: 25 }), fc.array(topicArb, { minLength: 1, maxLength: 10 }), (stored, topics) => {
        const trie = trieOf(stored);
        for (const topic of topics) {
          const naive = stored.filter((f) => topicMatchesFilter(f, topic));
          assert.deepEqual(sorted(trie.match(topic)), sorted(naive), topic);
        }
      }),
      { numRuns: 500 },
    );
  });

  test('after any sequence of adds and removes it behaves like a plain list', () => {
    const op = fc.record({ add: fc.boolean(), filter: filterArb, value: fc.constantFrom('x', 'y', 'z') });
    fc.assert(
      fc.property(fc.array(op, { maxLength: 40 }), fc.array(topicArb, { minLength: 1, maxLength: 8 }), (ops, topics) => {
        const trie = new TopicTrie<string>();
        const model: [string, string][] = [];
        for (const { add, filter, value } of ops) {
          if (add) {
            trie.add(filter, value);
            model.push([filter, value]);
            continue;
          }
          const index = model.findIndex(([f, v]) => f === filter && v === value);
          if (index >= 0) model.splice(index, 1);
          assert.equal(trie.remove(filter, value), index >= 0);
        }
        assert.equal(trie.size, model.length);
        assert.deepEqual(sorted(trie.filters()), sorted([...new Set(model.map(([f]) => f))]));
        for (const topic of topics) {
          const expected = model.filter(([f]) => topicMatchesFilter(f, topic));
          const seen: [string, string][] = [];
          trie.forEachMatch(topic, (value, filter) => seen.push([filter, value]));
          // Per filter, values come in insertion order; across filters the order is free.
          const byFilter = (pairs: [string, string][]) =>
            [...new Set(pairs.map(([f]) => f))].sort().map((f) => [f, pairs.filter(([g]) => g === f).map(([, v]) => v)]);
          assert.deepEqual(byFilter(seen), byFilter(expected));
        }
      }),
      { numRuns: 300 },
    );
  });
});
