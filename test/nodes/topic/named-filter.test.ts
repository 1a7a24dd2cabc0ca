import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import {
  extractCaptures,
  parseNamedFilter,
  subscriptionFilter,
  topicMatchesFilter,
  validateTopicFilter,
  type NamedFilter,
} from '../../../nodes/topic/filter.ts';

function parsed(filter: string): NamedFilter {
  const result = parseNamedFilter(filter);
  assert.ok(result.ok, result.ok ? '' : result.error);
  return result.filter;
}

const parses: [filter: string, expected: NamedFilter][] = [
  ['home/+room/temperature', { brokerFilter: 'home/+/temperature', captures: [{ level: 1, name: 'room', rest: false }] }],
  ['tele/+device/SENSOR', { brokerFilter: 'tele/+/SENSOR', captures: [{ level: 1, name: 'device', rest: false }] }],
  ['zigbee2mqtt/#name', { brokerFilter: 'zigbee2mqtt/#', captures: [{ level: 1, name: 'name', rest: true }] }],
  ['#all', { brokerFilter: '#', captures: [{ level: 0, name: 'all', rest: true }] }],
  ['home/+/temperature', { brokerFilter: 'home/+/temperature', captures: [] }],
  ['a//b', { brokerFilter: 'a//b', captures: [] }],
  [
    'shellies/+id/+_kind/#rest',
    {
      brokerFilter: 'shellies/+/+/#',
      captures: [
        { level: 1, name: 'id', rest: false },
        { level: 2, name: '_kind', rest: false },
        { level: 3, name: 'rest', rest: true },
      ],
    },
  ],
  [
    '$share/workers/home/+room/#',
    { brokerFilter: 'home/+/#', captures: [{ level: 1, name: 'room', rest: false }], shareGroup: 'workers' },
  ],
];

const refused: [filter: string, error: string][] = [
  ['a+', '"+" must start a level, as "+" or "+name": "a+"'],
  ['a/b+/c', '"+" must start a level, as "+" or "+name": "a/b+/c"'],
  ['a/b#', '"#" must be a whole level, alone: "a/b#"'],
  ['a/#rest/b', '"#" must be the last level, as "#" or "#name": "a/#rest/b"'],
  ['a/#/b', '"#" must be the last level, as "#" or "#name": "a/#/b"'],
  ['+1room', '"+1room" is not a named wildcard: after "+" comes a name of letters, digits and "_" that does not start with a digit: "+1room"'],
  ['+ro-om', '"+ro-om" is not a named wildcard: after "+" comes a name of letters, digits and "_" that does not start with a digit: "+ro-om"'],
  ['++', '"++" is not a named wildcard: after "+" comes a name of letters, digits and "_" that does not start with a digit: "++"'],
  ['#a#', '"#a#" is not a named wildcard: after "#" comes a name of letters, digits and "_" that does not start with a digit: "#a#"'],
  ['+room/+room', 'The wildcard name "room" is used twice: "+room/+room"'],
  ['+x/#x', 'The wildcard name "x" is used twice: "+x/#x"'],
  ['+__proto__', '"__proto__" cannot name a wildcard (it is reserved in JavaScript): "+__proto__"'],
  ['a/+constructor', '"constructor" cannot name a wildcard (it is reserved in JavaScript): "a/+constructor"'],
  ['#prototype', '"prototype" cannot name a wildcard (it is reserved in JavaScript): "#prototype"'],
  ['', 'A topic filter cannot be empty'],
  ['a\u0000', 'A topic filter cannot contain the NUL character (U+0000), found at position 2'],
  ['$share//+room', 'The group of a shared subscription cannot be empty, as in "$share/<group>/<filter>": "$share//+room"'],
];

describe('parseNamedFilter', () => {
  for (const [filter, expected] of parses) {
    test(`parses ${JSON.stringify(filter)}`, () => {
      assert.deepEqual(parsed(filter), expected);
      assert.equal(validateTopicFilter(subscriptionFilter(expected)), undefined);
    });
  }
  for (const [filter, error] of refused) {
    test(`refuses ${JSON.stringify(filter)}`, () => {
      assert.deepEqual(parseNamedFilter(filter), { ok: false, error });
    });
  }

  test('a plain filter parses exactly when validateTopicFilter accepts it, to itself', () => {
    const level = fc.constantFrom('a', '', '+', '#', 'a+', '$s', 'x y');
    fc.assert(
      fc.property(fc.array(level, { minLength: 1, maxLength: 4 }), (levels) => {
        const filter = levels.join('/');
        const result = parseNamedFilter(filter);
        const error = validateTopicFilter(filter);
        assert.equal(result.ok, error === undefined);
        if (result.ok) assert.deepEqual(result.filter, { brokerFilter: filter, captures: [] });
      }),
    );
  });

  test('subscriptionFilter puts the share group back', () => {
    assert.equal(subscriptionFilter(parsed('$share/g/home/+room/temperature')), '$share/g/home/+/temperature');
    assert.equal(subscriptionFilter(parsed('home/+room/temperature')), 'home/+/temperature');
  });
});

const extracts: [filter: string, topic: string, expected: Record<string, string>][] = [
  ['home/+room/temperature', 'home/kitchen/temperature', { room: 'kitchen' }],
  ['tele/+device/SENSOR', 'tele/sonoff_th/SENSOR', { device: 'sonoff_th' }],
  ['zigbee2mqtt/#name', 'zigbee2mqtt/Temperatur Balkon', { name: 'Temperatur Balkon' }],
  ['zigbee2mqtt/#name', 'zigbee2mqtt/living_room/th_sensor', { name: 'living_room/th_sensor' }],
  ['zigbee2mqtt/#name', 'zigbee2mqtt', { name: '' }],
  ['zigbee2mqtt/#name', 'zigbee2mqtt/', { name: '' }],
  ['#all', 'a/b/c', { all: 'a/b/c' }],
  ['+first/+/+third', 'a//c', { first: 'a', third: 'c' }],
  ['+a/+b', '/', { a: '', b: '' }],
  ['shellies/+id/+kind/#rest', 'shellies/shelly1-A1B2C3/relay/0/command', { id: 'shelly1-A1B2C3', kind: 'relay', rest: '0/command' }],
  ['$share/g/home/+room/#', 'home/bath/t', { room: 'bath' }],
  ['home/+/temperature', 'home/kitchen/temperature', {}],
];

describe('extractCaptures', () => {
  for (const [filter, topic, expected] of extracts) {
    test(`${JSON.stringify(filter)} on ${JSON.stringify(topic)}`, () => {
      const named = parsed(filter);
      assert.ok(topicMatchesFilter(named.brokerFilter, topic));
      assert.deepEqual(extractCaptures(named, topic), expected);
    });
  }

  test('a hand-built filter naming __proto__ still gives an own property, not a new prototype', () => {
    const named: NamedFilter = { brokerFilter: '+', captures: [{ level: 0, name: '__proto__', rest: false }] };
    const captures = extractCaptures(named, 'polluted');
    assert.equal(Object.getPrototypeOf(captures), Object.prototype);
    assert.equal(Object.getOwnPropertyDescriptor(captures, '__proto__')?.value, 'polluted');
  });

  test('agrees with splitting the topic, for any matching topic', () => {
    const filterLevel = fc.constantFrom('a', '', '+', '+n0', '+n1', '+n2');
    const scenario = fc
      .tuple(fc.array(filterLevel, { minLength: 1, maxLength: 4 }), fc.constantFrom(undefined, '#', '#tail'))
      .map(([levels, last]) => {
        // Rename so every name is used once: n<level index>.
        const named = levels.map((l, i) => (l.startsWith('+n') ? `+n${i}` : l));
        return last ? [...named, last] : named;
      })
      .filter((levels) => levels.join('/') !== '')
      .chain((levels) =>
        fc.tuple(
          fc.constant(levels.join('/')),
          fc.array(fc.constantFrom('a', '', 'b', 'x y'), { minLength: levels.length + 2, maxLength: levels.length + 2 }),
          fc.nat({ max: 3 }),
        ),
      );
    fc.assert(
      fc.property(scenario, ([filter, pool, extra]) => {
        const named = parsed(filter);
        const levels = filter.split('/');
        const rest = levels[levels.length - 1]!.startsWith('#');
        // Build a topic that matches: literals copied, wildcards filled from the pool.
        const fixed = rest ? levels.length - 1 : levels.length;
        const topicLevels = levels.slice(0, fixed).map((l, i) => (l.startsWith('+') ? pool[i]! : l));
        if (rest) topicLevels.push(...pool.slice(fixed, fixed + Math.min(extra, pool.length - fixed)));
        const topic = topicLevels.join('/');
        fc.pre(topic !== '' && topicMatchesFilter(named.brokerFilter, topic));
        const expected: Record<string, string> = {};
        for (const capture of named.captures) {
          expected[capture.name] = capture.rest ? topicLevels.slice(capture.level).join('/') : topicLevels[capture.level]!;
        }
        assert.deepEqual(extractCaptures(named, topic), expected);
      }),
      { numRuns: 500 },
    );
  });
});
