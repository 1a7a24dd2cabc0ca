import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { coverFilters, filterCovers, filtersOverlap } from '../../../nodes/topic/cover.ts';
import { topicMatchesFilter } from '../../../nodes/topic/filter.ts';

const coverCases: [a: string, b: string, expected: boolean][] = [
  ['home/#', 'home/+/temperature', true],
  ['home/#', 'home', true],
  ['home/#', 'home/#', true],
  ['home/+/temperature', 'home/#', false],
  ['home/+/temperature', 'home/kitchen/temperature', true],
  ['home/kitchen/temperature', 'home/+/temperature', false],
  ['home/+/#', 'home', false],
  ['#', 'a/b/c', true],
  ['#', '+/#', true],
  ['+/#', '#', true],
  ['+/+/#', '#', false],
  ['a/+/#', 'a/#', false],
  // `/#` cannot match the empty topic, so it means exactly `/+/#`.
  ['/+/#', '/#', true],
  ['/#', '/+/#', true],
  ['#', '$SYS/x', false],
  ['+/x', '$SYS/x', false],
  ['$SYS/#', '$SYS/+/uptime', true],
  ['$SYS/#', '#', false],
  ['+', 'a', true],
  ['+', '/', false],
  ['+/+', '/', true],
  ['a/+', 'a/', true],
  ['a', 'a', true],
  ['a', 'b', false],
];

const overlapCases: [a: string, b: string, expected: boolean][] = [
  ['home/+/temperature', 'home/kitchen/#', true],
  ['home/+/temperature', 'home/+/humidity', false],
  ['home/+', 'home/+/temperature', false],
  ['a', 'a/#', true],
  ['a/b', 'a/#', true],
  ['a/+', '+/b', true],
  ['a/b', 'a/c', false],
  ['#', '$SYS/x', false],
  ['+/#', '$SYS', false],
  ['#', '+', true],
  ['$SYS/#', '$SYS/+', true],
  ['$SYS/a', '$SYS/b', false],
  ['a/+/c', 'a/b/+', true],
  ['/+', '+/', true],
  ['+', '/#', false],
  ['+', 'a/#', true],
  ['/', '/#', true],
];

describe('filterCovers and filtersOverlap', () => {
  for (const [a, b, expected] of coverCases) {
    test(`${JSON.stringify(a)} ${expected ? 'covers' : 'does not cover'} ${JSON.stringify(b)}`, () => {
      assert.equal(filterCovers(a, b), expected);
    });
  }
  for (const [a, b, expected] of overlapCases) {
    test(`${JSON.stringify(a)} and ${JSON.stringify(b)} ${expected ? 'overlap' : 'do not overlap'}`, () => {
      assert.equal(filtersOverlap(a, b), expected);
      assert.equal(filtersOverlap(b, a), expected);
    });
  }
  test('invalid and shared filters are the caller\'s bug', () => {
    assert.throws(() => filterCovers('a/#/b', 'a'), /"#" must be the last level/);
    assert.throws(() => filtersOverlap('a', '$share/g/a'), /Shared subscriptions/);
  });
});

const coverFiltersCases: [name: string, input: string[], expected: Record<string, string>][] = [
  ['disjoint filters stay as they are', ['home/+/temperature', 'home/+/humidity', 'tele/+/SENSOR'], {
    'home/+/temperature': 'home/+/temperature', 'home/+/humidity': 'home/+/humidity', 'tele/+/SENSOR': 'tele/+/SENSOR',
  }],
  ['a covered filter maps to its cover', ['home/kitchen/temperature', 'home/#'], {
    'home/kitchen/temperature': 'home/#', 'home/#': 'home/#',
  }],
  ['overlapping filters are joined', ['home/+/temperature', 'home/kitchen/#'], {
    'home/+/temperature': 'home/+/#', 'home/kitchen/#': 'home/+/#',
  }],
  ['a join can pull in a filter that overlapped neither part', ['a/b/c', 'a/+/d', 'a/b/#'], {
    'a/b/c': 'a/+/#', 'a/+/d': 'a/+/#', 'a/b/#': 'a/+/#',
  }],
  ['a parent and child level join into #', ['a', 'a/b'], { a: 'a', 'a/b': 'a/b' }],
  ['# does not swallow $SYS', ['#', '$SYS/broker/uptime'], { '#': '#', '$SYS/broker/uptime': '$SYS/broker/uptime' }],
  ['duplicates collapse', ['x', 'x'], { x: 'x' }],
  ['nothing in, nothing out', [], {}],
];

describe('coverFilters', () => {
  for (const [name, input, expected] of coverFiltersCases) {
    test(name, () => {
      assert.deepEqual(Object.fromEntries(coverFilters(input)), expected);
    });
  }
  test('keeps input order in the map', () => {
    assert.deepEqual([...coverFilters(['b', 'a/#', 'a/x']).keys()], ['b', 'a/#', 'a/x']);
  });
  test('refuses shared and invalid filters', () => {
    assert.throws(() => coverFilters(['$share/g/a']), /Shared subscriptions/);
    assert.throws(() => coverFilters(['a+']), /"\+" must be a whole level/);
  });
});

// A small world in which every overlap has a witness and every non-cover a counterexample:
// filters have at most 3 plain levels plus a `#`, topics up to 4 levels over the filters'
// literals and one fresh level ('c').
const filterArb = fc
  .tuple(fc.array(fc.constantFrom('a', 'b', '$s', '', '+'), { minLength: 1, maxLength: 3 }), fc.boolean())
  .map(([levels, hash]) => (hash ? [...levels, '#'] : levels).join('/'))
  .filter((f) => f !== '');
const anyFilter = fc.oneof({ arbitrary: filterArb, weight: 6 }, { arbitrary: fc.constantFrom('#', '+', '+/#', '$s/#'), weight: 1 });

const universe: string[] = [];
(function enumerate(prefix: string[]): void {
  if (prefix.length > 0 && prefix.join('/') !== '') universe.push(prefix.join('/'));
  if (prefix.length === 4) return;
  for (const level of ['a', 'b', '$s', '', 'c']) enumerate([...prefix, level]);
})([]);

const topicCache = new Map<string, Set<string>>();
/** The universe's topics matching `filter`, memoised: the filter space is small. */
function topicsOf(filter: string): Set<string> {
  let topics = topicCache.get(filter);
  if (!topics) {
    topics = new Set(universe.filter((t) => topicMatchesFilter(filter, t)));
    topicCache.set(filter, topics);
  }
  return topics;
}

describe('cover properties', () => {
  test('filterCovers and filtersOverlap agree with enumerating topics', () => {
    fc.assert(
      fc.property(anyFilter, anyFilter, (a, b) => {
        const ta = topicsOf(a);
        const tb = topicsOf(b);
        assert.equal(filterCovers(a, b), [...tb].every((t) => ta.has(t)), 'covers');
        assert.equal(filtersOverlap(a, b), [...tb].some((t) => ta.has(t)), 'overlap');
      }),
      { numRuns: 1000 },
    );
  });

  test('broker filters never overlap, cover their inputs, and deliver each wanted topic once', () => {
    fc.assert(
      fc.property(fc.array(anyFilter, { minLength: 1, maxLength: 8 }), (inputs) => {
        const cover = coverFilters(inputs);
        const outputs = [...new Set(cover.values())];
        assert.deepEqual(sorted([...cover.keys()]), sorted([...new Set(inputs)]));
        for (let i = 0; i < outputs.length; i++) {
          for (let j = i + 1; j < outputs.length; j++) assert.ok(!filtersOverlap(outputs[i]!, outputs[j]!), `${outputs[i]} / ${outputs[j]}`);
        }
        for (const [input, broker] of cover) assert.ok(filterCovers(broker, input), `${broker} covers ${input}`);
        const wanted = new Set(inputs.flatMap((f) => [...topicsOf(f)]));
        for (const topic of wanted) assert.equal(outputs.filter((f) => topicsOf(f).has(topic)).length, 1, topic);
      }),
      { numRuns: 500 },
    );
  });

  test('the result does not depend on the input order', () => {
    fc.assert(
      fc.property(fc.uniqueArray(anyFilter, { minLength: 1, maxLength: 8 }).chain((a) => fc.tuple(fc.constant(a), fc.shuffledSubarray(a, { minLength: a.length }))), ([inputs, shuffled]) => {
        assert.deepEqual(sortedEntries(coverFilters(shuffled)), sortedEntries(coverFilters(inputs)));
      }),
      { numRuns: 500 },
    );
  });

  test('1,000 device filters cover quickly', () => {
    const inputs = Array.from({ length: 1000 }, (_, i) => `zigbee2mqtt/device_${i}/+`);
    inputs.push('zigbee2mqtt/device_7/#', 'tele/+/SENSOR');
    const started = performance.now();
    const cover = coverFilters(inputs);
    assert.ok(performance.now() - started < 2000);
    assert.equal(cover.get('zigbee2mqtt/device_7/+'), 'zigbee2mqtt/device_7/#');
    assert.equal(cover.get('zigbee2mqtt/device_8/+'), 'zigbee2mqtt/device_8/+');
    assert.equal(new Set(cover.values()).size, 1001);
  });
});

function sorted(values: readonly string[]): string[] {
  return [...values].sort();
}

function sortedEntries(map: Map<string, string>): [string, string][] {
  return [...map].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}
