import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  DEBUG_KEEP,
  DEBUG_PER_FLUSH,
  PULSE_GAP_MS,
  PULSE_MS,
  applyBuffer,
  bufferBrokerState,
  bufferCounters,
  bufferDebug,
  bufferNodeError,
  bufferRemoved,
  bufferSnapshot,
  bufferStatus,
  emptyBuffer,
  isEmpty,
  isErrorEntry,
  type LiveBuffer,
} from '../../editor/src/lib/live-batch.ts';
import { previewValue, sizeLabel } from '../../editor/src/lib/debug-format.ts';
import { parseTestPayload, sampleTopic } from '../../editor/src/lib/test-value.ts';
import type { LiveState } from '../../editor/src/store/types.ts';

const counters = (out: number, inn = 0) => ({ in: inn, out, errors: 0, unavailable: 0 });

function liveState(patch: Partial<LiveState> = {}): LiveState {
  return { statuses: {}, counters: {}, brokerStates: {}, debug: [], debugDropped: 0, debugPaused: false, pulses: {}, connected: true, ...patch };
}

const edges = [
  { id: 'a:0->b', source: 'a' },
  { id: 'a:0->c', source: 'a' },
  { id: 'b:0->c', source: 'b' },
];

/** Apply a buffer to a state and return the new state, the way live.ts does. */
function step(live: LiveState, fill: (b: LiveBuffer) => void, now = 1000, nextSeq = 1) {
  const buffer = emptyBuffer();
  fill(buffer);
  const result = applyBuffer(live, buffer, { edges, now, nextSeq });
  return { live: { ...live, ...result.patch }, result };
}

describe('statuses, counters and brokers', () => {
  it('a snapshot replaces what was known', () => {
    const before = liveState({ statuses: { old: { fill: 'red', text: 'x' } }, counters: { old: counters(1) } });
    const { live } = step(before, (b) =>
      bufferSnapshot(b, {
        rev: 'r1',
        statuses: { a: { fill: 'green', text: 'ok' } },
        counters: { a: counters(5) },
        brokers: [{ brokerId: 'home', state: 'connected' }],
      }),
    );
    assert.deepEqual(Object.keys(live.statuses), ['a']);
    assert.deepEqual(live.counters, { a: counters(5) });
    assert.deepEqual(live.brokerStates, { home: { brokerId: 'home', state: 'connected' } });
    assert.deepEqual(live.pulses, {}, 'a snapshot is a baseline, not traffic');
  });

  it('status, counters and broker events merge; the latest in a batch wins', () => {
    const before = liveState({ statuses: { a: { fill: 'green', text: '1' } }, counters: { a: counters(1), b: counters(2) } });
    const { live } = step(before, (b) => {
      bufferStatus(b, 'b', { fill: 'yellow', text: 'first' });
      bufferStatus(b, 'b', { fill: 'red', text: 'second' });
      bufferCounters(b, { b: counters(3) });
      bufferBrokerState(b, { brokerId: 'home', state: 'disconnected', reason: 'gone' });
    });
    assert.deepEqual(live.statuses, { a: { fill: 'green', text: '1' }, b: { fill: 'red', text: 'second' } });
    assert.deepEqual(live.counters, { a: counters(1), b: counters(3) });
    assert.equal(live.brokerStates['home']?.reason, 'gone');
  });

  it('a deploy forgets nodes it stopped, not those it restarted', () => {
    const before = liveState({ statuses: { a: { fill: 'green', text: '' }, b: { fill: 'green', text: '' } }, counters: { a: counters(1), b: counters(1) } });
    const { live } = step(before, (b) => bufferRemoved(b, ['a', 'b'], ['b']));
    assert.deepEqual(Object.keys(live.statuses), ['b']);
    assert.deepEqual(Object.keys(live.counters), ['b']);
  });

  it('an empty buffer changes nothing', () => {
    const buffer = emptyBuffer();
    assert.ok(isEmpty(buffer));
    assert.deepEqual(applyBuffer(liveState(), buffer, { edges, now: 0, nextSeq: 1 }).patch, {});
  });
});

describe('edge pulses', () => {
  it('pulse the edges of a node whose out counter grew, until now + PULSE_MS', () => {
    const { live, result } = step(liveState({ counters: { a: counters(1), b: counters(1) } }), (b) => bufferCounters(b, { a: counters(2), b: counters(1) }), 1000);
    assert.deepEqual(live.pulses, { 'a:0->b': 1000 + PULSE_MS, 'a:0->c': 1000 + PULSE_MS });
    assert.equal(result.nextPulseEnd, 1000 + PULSE_MS);
  });

  it('no pulse for a node seen for the first time, or whose in counter alone grew', () => {
    const { live } = step(liveState({ counters: { b: counters(1, 1) } }), (b) => bufferCounters(b, { a: counters(9), b: counters(1, 5) }));
    assert.deepEqual(live.pulses, {});
  });

  it('at most one new pulse per edge per PULSE_GAP_MS', () => {
    let state = liveState({ counters: { a: counters(1) } });
    state = step(state, (b) => bufferCounters(b, { a: counters(2) }), 1000).live;
    const soon = step(state, (b) => bufferCounters(b, { a: counters(3) }), 1000 + PULSE_GAP_MS - 50).live;
    assert.equal(soon.pulses['a:0->b'], 1000 + PULSE_MS, 'the running pulse is not restarted');
    const later = step(state, (b) => bufferCounters(b, { a: counters(3) }), 1000 + PULSE_GAP_MS + 1).live;
    assert.equal(later.pulses['a:0->b'], 1000 + PULSE_GAP_MS + 1 + PULSE_MS, 'a new pulse after the gap');
  });

  it('ended pulses are removed by any flush after they end', () => {
    const state = liveState({ pulses: { 'a:0->b': 1500, 'b:0->c': 3000 } });
    const { live, result } = step(state, () => {}, 2000);
    assert.deepEqual(live.pulses, { 'b:0->c': 3000 });
    assert.equal(result.nextPulseEnd, 3000);
    const { result: none } = step(liveState(), () => {}, 2000);
    assert.equal(none.nextPulseEnd, undefined);
  });
});

describe('debug sampling', () => {
  const event = (i: number) => ({ nodeId: 'dbg', topic: `t/${i}`, value: i, time: i });

  it('appends entries with increasing seq', () => {
    const { live, result } = step(liveState(), (b) => [1, 2, 3].forEach((i) => bufferDebug(b, event(i), false)), 0, 10);
    assert.deepEqual(live.debug.map((e) => [e.seq, e.value]), [[10, 1], [11, 2], [12, 3]]);
    assert.equal(result.nextSeq, 13);
    assert.equal(live.debugDropped, 0);
  });

  it(`keeps the newest ${DEBUG_PER_FLUSH} of a burst and counts the rest as dropped`, () => {
    const { live } = step(liveState(), (b) => {
      for (let i = 0; i < 1000; i++) bufferDebug(b, event(i), false);
    });
    assert.equal(live.debug.length, DEBUG_PER_FLUSH);
    assert.equal(live.debug.at(-1)!.value, 999);
    assert.equal(live.debug[0]!.value, 1000 - DEBUG_PER_FLUSH);
    assert.equal(live.debugDropped, 1000 - DEBUG_PER_FLUSH);
  });

  it(`keeps at most ${DEBUG_KEEP} entries, counting the older ones dropped`, () => {
    let state = liveState();
    let seq = 1;
    const flushes = Math.ceil(DEBUG_KEEP / DEBUG_PER_FLUSH) + 3;
    for (let flush = 0; flush < flushes; flush++) {
      const buffer = emptyBuffer();
      for (let i = 0; i < DEBUG_PER_FLUSH; i++) bufferDebug(buffer, event(flush * 100 + i), false);
      const result = applyBuffer(state, buffer, { edges, now: 0, nextSeq: seq });
      seq = result.nextSeq;
      state = { ...state, ...result.patch };
    }
    assert.equal(state.debug.length, DEBUG_KEEP);
    assert.equal(state.debugDropped, flushes * DEBUG_PER_FLUSH - DEBUG_KEEP);
    assert.equal(state.debug.at(-1)!.seq, flushes * DEBUG_PER_FLUSH);
  });

  it('while paused, messages are counted as dropped, not kept', () => {
    const { live } = step(liveState({ debugDropped: 2 }), (b) => {
      bufferDebug(b, event(1), true);
      bufferNodeError(b, { nodeId: 'th', nodeType: 'threshold', message: 'not a number', time: 1 }, true);
    });
    assert.deepEqual(live.debug, []);
    assert.equal(live.debugDropped, 4);
  });

  it("adds the server's dropped count; an event without value only reports drops", () => {
    const { live } = step(liveState(), (b) => {
      bufferDebug(b, { ...event(1), dropped: 7 }, false);
      bufferDebug(b, { nodeId: 'dbg', topic: '', time: 2, dropped: 5 }, false);
    });
    assert.equal(live.debug.length, 1);
    assert.equal(live.debugDropped, 12);
  });

  it('keeps a value of undefined-like JSON (null, "") as an entry', () => {
    const { live } = step(liveState(), (b) => {
      bufferDebug(b, { nodeId: 'd', topic: 't', value: null, time: 1 }, false);
      bufferDebug(b, { nodeId: 'd', topic: 't', value: '', time: 2 }, false);
    });
    assert.deepEqual(live.debug.map((e) => e.value), [null, '']);
  });

  it('a node error is an entry marked as an error, its value the message', () => {
    const { live } = step(liveState(), (b) => bufferNodeError(b, { nodeId: 'th', nodeType: 'threshold', message: 'value "abc" is not a number', topic: 'x/y', time: 5 }, false));
    assert.equal(live.debug.length, 1);
    assert.ok(isErrorEntry(live.debug[0]!));
    assert.deepEqual({ ...live.debug[0] }, { seq: 1, nodeId: 'th', topic: 'x/y', value: 'value "abc" is not a number', time: 5, error: true });
  });

  it('a thousand events a second cost ten store updates and bounded memory', () => {
    let state = liveState({ counters: { a: counters(0) } });
    let seq = 1;
    let updates = 0;
    for (let flush = 0; flush < 10; flush++) {
      const buffer = emptyBuffer();
      for (let i = 0; i < 100; i++) {
        bufferDebug(buffer, event(i), false);
        bufferNodeError(buffer, { nodeId: 'th', nodeType: 'threshold', message: 'x', time: i }, false);
        bufferCounters(buffer, { a: counters(flush * 100 + i + 1) });
      }
      assert.ok(buffer.debug.length <= DEBUG_PER_FLUSH);
      const result = applyBuffer(state, buffer, { edges, now: flush * 100, nextSeq: seq });
      seq = result.nextSeq;
      state = { ...state, ...result.patch };
      updates++;
    }
    assert.equal(updates, 10);
    assert.ok(state.debug.length <= DEBUG_KEEP);
    assert.equal(state.debug.length + state.debugDropped, 2000, 'every message is shown or counted');
  });
});

describe('test values typed by hand', () => {
  const payloads: [string, unknown][] = [
    ['21.5', 21.5],
    [' 42 ', 42],
    ['true', true],
    ['null', null],
    ['{"temperature": 21.5}', { temperature: 21.5 }],
    ['[1,2]', [1, 2]],
    ['ON', 'ON'],
    ['hello world', 'hello world'],
    ['{broken', '{broken'],
    ['', ''],
  ];
  for (const [text, value] of payloads) it(`${JSON.stringify(text)} → ${JSON.stringify(value)}`, () => assert.deepEqual(parseTestPayload(text), value));

  const topics: [string, string][] = [
    ['zigbee2mqtt/+room/th_sensor', 'zigbee2mqtt/room/th_sensor'],
    ['home/+/temperature', 'home/test/temperature'],
    ['tele/#', 'tele/test'],
    ['$share/g/a/+x', 'a/x'],
    ['plain/topic', 'plain/topic'],
  ];
  for (const [filter, topic] of topics) it(`${filter} → ${topic}`, () => assert.equal(sampleTopic(filter), topic));
});

describe('debug value previews', () => {
  it('shows short values whole', () => {
    assert.equal(previewValue({ state: 'ON' }), '{"state":"ON"}');
    assert.equal(previewValue([1, 2, 3]), '[1,2,3]');
    assert.equal(previewValue('ON'), 'ON');
    assert.equal(previewValue(null), 'null');
  });

  it('cuts long values at the limit, with an ellipsis', () => {
    const text = previewValue('x'.repeat(500), 80);
    assert.equal(text.length, 80);
    assert.ok(text.endsWith('…'));
    const list = previewValue(Array.from({ length: 1000 }, (_, i) => i), 80);
    assert.equal(list.length, 80);
    assert.ok(list.startsWith('[0,1,2,3'));
    assert.doesNotMatch(list, /null/);
  });

  it('does not walk all of a huge object', () => {
    let visited = 0;
    const huge = Object.fromEntries(Array.from({ length: 100_000 }, (_, i) => [`k${i}`, i]));
    const spy = new Proxy(huge, { get: (t, k) => ((visited += 1), Reflect.get(t, k)) });
    const text = previewValue(spy, 80);
    assert.ok(text.length <= 80);
    assert.ok(visited < 100_000, `visited ${visited} keys`);
  });

  it('labels sizes', () => {
    assert.equal(sizeLabel([1, 2]), '[2]');
    assert.equal(sizeLabel({ a: 1 }), '{1}');
  });
});
