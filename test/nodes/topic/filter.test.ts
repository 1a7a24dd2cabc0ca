import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import {
  splitSharedSubscription,
  topicMatchesFilter,
  validateTopicFilter,
  validateTopicName,
} from '../../../nodes/topic/filter.ts';

const validFilters = [
  'a', '#', '+', '+/+', 'a/#', 'a/+/b', '+/#', 'a//b', '/a', 'a/', '/', '//', 'a/b/c/d/e/f/g',
  'zigbee2mqtt/Temperatur Balkon', 'home/+/temperature', '$SYS/#', 'shellyplugsg3-a1b2c3/status/switch:0',
  'wohnzimmer/temperatur/°C', 'дом/+/температура', 'emoji/🌡', '$share/g/a/#', '$share/group_1/+/x', '$share/g/#',
  '$shared/a', 'x/$share', 'a'.repeat(65535),
];

const refusedFilters: [filter: string, error: string][] = [
  ['', 'A topic filter cannot be empty'],
  ['a/#/b', '"#" must be the last level, alone: "a/#/b"'],
  ['#/a', '"#" must be the last level, alone: "#/a"'],
  ['a+', '"+" must be a whole level, alone: "a+"'],
  ['a/b+/c', '"+" must be a whole level, alone: "a/b+/c"'],
  ['+a', '"+" must be a whole level, alone: "+a"'],
  ['++', '"+" must be a whole level, alone: "++"'],
  ['#a', '"#" must be a whole level, alone: "#a"'],
  ['a/b#', '"#" must be a whole level, alone: "a/b#"'],
  ['##', '"#" must be a whole level, alone: "##"'],
  ['a\u0000b', 'A topic filter cannot contain the NUL character (U+0000), found at position 2'],
  ['a\tb', 'A topic filter cannot contain the control character U+0009 (position 2); brokers such as Mosquitto drop the connection over it'],
  ['a\u007f', 'A topic filter cannot contain the control character U+007F (position 2); brokers such as Mosquitto drop the connection over it'],
  ['a\n', 'A topic filter cannot contain the control character U+000A (position 2); brokers such as Mosquitto drop the connection over it'],
  ['x\uffff', 'A topic filter cannot contain the non-character U+FFFF (position 2); brokers such as Mosquitto drop the connection over it'],
  ['\ufdd0', 'A topic filter cannot contain the non-character U+FDD0 (position 1); brokers such as Mosquitto drop the connection over it'],
  ['a\ud800', 'A topic filter contains a broken character (an unpaired surrogate U+D800) at position 2'],
  ['\udc00a', 'A topic filter contains a broken character (an unpaired surrogate U+DC00) at position 1'],
  ['a'.repeat(65536), 'A topic filter can be at most 65535 bytes in UTF-8; this one has 65536'],
  ['é'.repeat(32768), 'A topic filter can be at most 65535 bytes in UTF-8; this one has 65536'],
  ['$share//a', 'The group of a shared subscription cannot be empty, as in "$share/<group>/<filter>": "$share//a"'],
  ['$share/g', 'A shared subscription needs a filter after its group, as in "$share/<group>/<filter>": "$share/g"'],
  ['$share/g/', 'A shared subscription needs a filter after its group, as in "$share/<group>/<filter>": "$share/g/"'],
  ['$share', 'A shared subscription needs a group and a filter, as in "$share/<group>/<filter>": "$share"'],
  ['$share/', 'A shared subscription needs a group and a filter, as in "$share/<group>/<filter>": "$share/"'],
  ['$share/g+/a', 'The group of a shared subscription cannot contain "+" or "#": "$share/g+/a"'],
  ['$share/#/a', 'The group of a shared subscription cannot contain "+" or "#": "$share/#/a"'],
  ['$share/g/a/#/b', '"#" must be the last level, alone: "$share/g/a/#/b"'],
  ['$share/g/a+', '"+" must be a whole level, alone: "$share/g/a+"'],
];

describe('validateTopicFilter', () => {
  for (const filter of validFilters) {
    test(`accepts ${JSON.stringify(filter.slice(0, 40))}`, () => {
      assert.equal(validateTopicFilter(filter), undefined);
    });
  }
  for (const [filter, error] of refusedFilters) {
    test(`refuses ${JSON.stringify(filter.slice(0, 40))}`, () => {
      assert.equal(validateTopicFilter(filter), error);
    });
  }

  test('a 4-byte character counts 4 bytes and is not a broken surrogate pair', () => {
    assert.equal(validateTopicFilter('🌡'.repeat(16383) + 'abc'), undefined); // 65535 bytes
    assert.match(validateTopicFilter('🌡'.repeat(16384))!, /at most 65535 bytes in UTF-8; this one has 65536/);
  });

  test('long filters are cut short in messages', () => {
    const error = validateTopicFilter(`${'a/'.repeat(100)}#/b`)!;
    assert.ok(error.length < 200, error);
    assert.match(error, /^"#" must be the last level/);
  });

  test('accepts exactly what the level rules allow, and never throws', () => {
    const piece = fc.constantFrom('a', '+', '#', '/', '$', ' ', 'é', '🌡', '\u0000', '\t', '\ud800', '\udc00', '\uffff');
    fc.assert(
      fc.property(fc.string({ unit: piece, maxLength: 12 }), (text) => {
        const error = validateTopicFilter(text);
        // With the u flag a surrogate pair is one code point, so only unpaired halves match.
        const bad = text === '' || /[\u0000-\u001f\uffff\ud800-\udfff]/u.test(text);
        const levels = text.split('/');
        const levelsOk = levels.every((l, i) => (l === '#' ? i === levels.length - 1 : l === '+' || !/[+#]/.test(l)));
        if (bad || !levelsOk) assert.ok(error !== undefined && error.length > 0, text);
        else if (!text.startsWith('$share')) assert.equal(error, undefined, text);
      }),
      { numRuns: 2000 },
    );
  });
});

const refusedTopics: [topic: string, error: string][] = [
  ['', 'A topic cannot be empty'],
  ['a/+/b', 'A topic to publish on cannot contain "+" (wildcards are only for subscribing): "a/+/b"'],
  ['a/#', 'A topic to publish on cannot contain "#" (wildcards are only for subscribing): "a/#"'],
  ['sensor#1', 'A topic to publish on cannot contain "#" (wildcards are only for subscribing): "sensor#1"'],
  ['a\u0000', 'A topic cannot contain the NUL character (U+0000), found at position 2'],
  ['a\u0085', 'A topic cannot contain the control character U+0085 (position 2); brokers such as Mosquitto drop the connection over it'],
  ['x'.repeat(65536), 'A topic can be at most 65535 bytes in UTF-8; this one has 65536'],
];

describe('validateTopicName', () => {
  const fixtures = JSON.parse(readFileSync(new URL('../../fixtures/device-payloads.json', import.meta.url), 'utf8')) as Record<string, unknown>;
  const fixtureTopics = Object.values(fixtures)
    .flatMap((group) => (Array.isArray(group) ? (group as { topic?: unknown }[]) : []))
    .flatMap((entry) => (typeof entry.topic === 'string' ? [entry.topic] : []));

  test('every real device topic in the fixtures is valid, as a topic and as a filter', () => {
    assert.ok(fixtureTopics.length > 20);
    for (const topic of fixtureTopics) {
      assert.equal(validateTopicName(topic), undefined, topic);
      assert.equal(validateTopicFilter(topic), undefined, topic);
      assert.ok(topicMatchesFilter(topic, topic), topic);
    }
  });

  for (const topic of ['a', 'a//b', '/a', 'a/', '/', 'zigbee2mqtt/Temperatur Balkon', '$SYS/broker/uptime', 'x'.repeat(65535)]) {
    test(`accepts ${JSON.stringify(topic.slice(0, 40))}`, () => {
      assert.equal(validateTopicName(topic), undefined);
    });
  }
  for (const [topic, error] of refusedTopics) {
    test(`refuses ${JSON.stringify(topic.slice(0, 40))}`, () => {
      assert.equal(validateTopicName(topic), error);
    });
  }
});

describe('splitSharedSubscription', () => {
  test('splits group and filter, and leaves other filters alone', () => {
    assert.deepEqual(splitSharedSubscription('$share/g/a/#'), { group: 'g', filter: 'a/#' });
    assert.deepEqual(splitSharedSubscription('$share//a'), { group: '', filter: 'a' });
    assert.equal(splitSharedSubscription('$shared/a'), undefined);
    assert.equal(splitSharedSubscription('a/$share/g/b'), undefined);
  });
});

const matches: [filter: string, topic: string, expected: boolean][] = [
  ['a/b', 'a/b', true],
  ['a/b', 'a/c', false],
  ['a/b', 'a/b/c', false],
  ['a/b/c', 'a/b', false],
  ['+', 'a', true],
  ['+', 'a/b', false],
  ['+', '/', false],
  ['+/+', '/', true],
  ['/+', '/a', true],
  ['+/a', '/a', true],
  ['a/+/c', 'a//c', true],
  ['a/+', 'a', false],
  ['a/+', 'a/', true],
  ['#', 'a', true],
  ['#', 'a/b/c', true],
  ['#', '/', true],
  ['a/#', 'a', true],
  ['a/#', 'a/', true],
  ['a/#', 'a/b/c', true],
  ['a/#', 'ab', false],
  ['a/#', 'b/a', false],
  ['a/+/#', 'a', false],
  ['a/+/#', 'a/b', true],
  ['zigbee2mqtt/+', 'zigbee2mqtt/Temperatur Balkon', true],
  ['home/+/temperature', 'home/kitchen/temperature', true],
  ['home/+/temperature', 'home/kitchen/humidity', false],
  ['tele/+/SENSOR', 'tele/sonoff_th/SENSOR', true],
  ['Tele/+/SENSOR', 'tele/sonoff_th/SENSOR', false],
  // Topics starting with `$` are not matched by a wildcard first level.
  ['#', '$SYS/broker/uptime', false],
  ['+/broker/uptime', '$SYS/broker/uptime', false],
  ['+/#', '$SYS', false],
  ['$SYS/#', '$SYS/broker/uptime', true],
  ['$SYS/#', '$SYS', true],
  ['$SYS/+/uptime', '$SYS/broker/uptime', true],
  ['a/+', 'a/$b', true],
  ['a/#', 'a/$b', true],
  ['+', 'a$', true],
  // A shared subscription matches as its inner filter.
  ['$share/g/home/+/temperature', 'home/kitchen/temperature', true],
  ['$share/g/#', '$share/g/x', false],
  // Invalid input matches nothing.
  ['a+', 'a+', false],
  ['a/#/b', 'a/x/b', false],
  ['a', '', false],
  ['#', 'a/+', false],
];

describe('topicMatchesFilter', () => {
  for (const [filter, topic, expected] of matches) {
    test(`${JSON.stringify(filter)} ${expected ? 'matches' : 'does not match'} ${JSON.stringify(topic)}`, () => {
      assert.equal(topicMatchesFilter(filter, topic), expected);
    });
  }

  test('agrees with a regular-expression reading of the spec', () => {
    const level = fc.constantFrom('a', 'b', '$s', '', 'a.b');
    const filter = fc
      .tuple(fc.array(fc.constantFrom('a', 'b', '$s', '', '+', 'a.b'), { minLength: 1, maxLength: 4 }), fc.boolean())
      .map(([levels, hash]) => (hash ? [...levels, '#'] : levels).join('/'))
      .filter((f) => f !== '');
    const topic = fc.array(level, { minLength: 1, maxLength: 6 }).map((l) => l.join('/')).filter((t) => t !== '');
    fc.assert(
      fc.property(fc.oneof(filter, fc.constant('#')), topic, (f, t) => {
        assert.equal(topicMatchesFilter(f, t), regexOracle(f, t));
      }),
      { numRuns: 2000 },
    );
  });
});

/** An independent reading of the matching rules, built as a regular expression. */
function regexOracle(filter: string, topic: string): boolean {
  if (topic.startsWith('$') && /^[+#]/.test(filter)) return false;
  let source = filter
    .split('/')
    .map((level) => (level === '+' ? '[^/]*' : level === '#' ? '#' : level.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  if (source === '#') source = '.*';
  else if (source.endsWith('/#')) source = `${source.slice(0, -2)}(?:/.*)?`;
  return new RegExp(`^${source}$`, 's').test(topic);
}
