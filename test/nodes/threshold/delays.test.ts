import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { newMessage, type Message } from '../../../nodes/message.ts';
import { thresholdNode } from '../../../nodes/threshold/definition.ts';
import { thresholdRuntime } from '../../../nodes/threshold/runtime.ts';
import { fakeContext, ManualClock } from '../../support/fake-context.ts';
import { flushStatuses } from '../../../nodes/status-batch.ts';

const SECOND = 1000;

/** A threshold node on a ManualClock, fed as if by an mqtt-in on `home/+room/temperature`. */
function setup(config: Record<string, unknown>, clock = new ManualClock()) {
  const { ctx, rec } = fakeContext({ clock });
  const node = thresholdRuntime.create(thresholdNode.config.parse(config), ctx);
  const feed = (payload: unknown, room = 'kitchen', extra: Partial<Message> = {}) =>
    node.input!(newMessage({ topic: `home/${room}/temperature`, payload, captures: { room }, ...extra }));
  const payloads = () => rec.sent.map((s) => s.msg.payload);
  return { node, clock, rec, feed, payloads };
}

describe('threshold `for`', () => {
  test('fires exactly once at the deadline, not restarted by values that keep the condition', () => {
    const t = setup({ above: 25, for: 30 });
    t.feed(20);
    t.feed(26); // starts the 30 s wait
    t.clock.advance(10 * SECOND);
    t.feed(27, 'kitchen', { qos: 1 }); // still above: the deadline stays at 30 s
    t.clock.advance(20 * SECOND - 1);
    assert.deepEqual(t.payloads(), ['OFF']);
    t.clock.advance(1);
    assert.deepEqual(t.payloads(), ['OFF', 'ON']);
    assert.equal(t.rec.sent[1]?.msg.qos, 1, 'sent as a copy of the last message of the topic');
    assert.deepEqual(t.rec.sent[1]?.msg.captures, { room: 'kitchen' });
    t.clock.advance(120 * SECOND);
    assert.deepEqual(t.payloads(), ['OFF', 'ON']);
    assert.equal(t.clock.size, 0);
  });

  test('a value that breaks the condition cancels the wait', () => {
    const t = setup({ above: 25, for: 30 });
    t.feed(20);
    t.feed(26);
    t.clock.advance(10 * SECOND);
    t.feed(25); // not above 25
    assert.equal(t.clock.size, 0);
    t.clock.advance(60 * SECOND);
    t.feed(26); // a new wait from here
    t.clock.advance(30 * SECOND);
    assert.deepEqual(t.payloads(), ['OFF', 'ON']);
  });

  test('first value: no state until the wait ends, and a break makes OFF the first state', () => {
    const waited = setup({ above: 25, for: 30 });
    waited.feed(26);
    assert.deepEqual(waited.rec.sent, []);
    flushStatuses();
    assert.deepEqual(waited.rec.statuses.at(-1), { fill: 'yellow', text: 'waiting · kitchen · ON in 30 s' });
    waited.clock.advance(30 * SECOND);
    assert.deepEqual(waited.payloads(), ['ON']);

    const broken = setup({ above: 25, for: 30 });
    broken.feed(26);
    broken.clock.advance(5 * SECOND);
    broken.feed(24);
    assert.deepEqual(broken.payloads(), ['OFF']);
    broken.clock.advance(60 * SECOND);
    assert.deepEqual(broken.payloads(), ['OFF']);
  });

  test('unavailable and non-numeric values neither cancel nor restart the wait', () => {
    const t = setup({ above: 25, for: 30 });
    t.feed(20);
    t.feed(26);
    t.clock.advance(10 * SECOND);
    t.feed('unavailable');
    t.feed(null);
    t.feed('abc');
    t.clock.advance(20 * SECOND);
    assert.deepEqual(t.payloads(), ['OFF', 'ON']);
  });

  test('each topic has its own wait', () => {
    const t = setup({ above: 25, for: 30 });
    t.feed(26, 'kitchen');
    t.clock.advance(10 * SECOND);
    t.feed(26, 'bedroom');
    t.clock.advance(20 * SECOND);
    assert.deepEqual(t.rec.sent.map((s) => s.msg.captures.room), ['kitchen']);
    t.clock.advance(10 * SECOND);
    assert.deepEqual(t.rec.sent.map((s) => s.msg.captures.room), ['kitchen', 'bedroom']);
  });

  test('emit every sends the current state while the wait runs', () => {
    const t = setup({ above: 25, for: 30, emit: 'every' });
    t.feed(20);
    t.feed(26);
    t.clock.advance(30 * SECOND);
    t.feed(27);
    assert.deepEqual(t.payloads(), ['OFF', 'OFF', 'ON', 'ON']);
  });

  test('a wait longer than setTimeout can hold still ends on time', () => {
    const t = setup({ above: 25, for: 30 * 24 * 3600 }); // 30 days
    t.feed(26);
    t.clock.advance(30 * 24 * 3600 * SECOND - 1);
    assert.deepEqual(t.rec.sent, []);
    t.clock.advance(1);
    assert.deepEqual(t.payloads(), ['ON']);
  });
});

describe('threshold `forOff`', () => {
  test('switching OFF waits until the OFF condition has held', () => {
    const t = setup({ above: 25, hysteresis: 1, forOff: 10 });
    t.feed(26);
    t.feed(23); // below 24: the OFF wait starts
    t.clock.advance(5 * SECOND);
    t.feed(24.5); // back in the band: the OFF condition broke
    t.clock.advance(30 * SECOND);
    assert.deepEqual(t.payloads(), ['ON']);
    t.feed(23);
    t.clock.advance(10 * SECOND);
    assert.deepEqual(t.payloads(), ['ON', 'OFF']);
  });

  test('the first OFF is immediate', () => {
    const t = setup({ above: 25, forOff: 10 });
    t.feed(20);
    assert.deepEqual(t.payloads(), ['OFF']);
  });
});

describe('threshold timers across close and restart', () => {
  test('close() clears every timer', () => {
    const t = setup({ above: 25, for: 30 });
    t.feed(26, 'kitchen');
    t.feed(26, 'bedroom');
    assert.equal(t.clock.size, 2);
    t.node.close!();
    assert.equal(t.clock.size, 0);
    t.clock.advance(60 * SECOND);
    assert.deepEqual(t.rec.sent, []);
  });

  test('forgetting a topic (maxTopics) drops its timer', () => {
    const t = setup({ above: 25, for: 30, maxTopics: 1 });
    t.feed(26, 'kitchen');
    t.feed(20, 'bedroom');
    assert.equal(t.clock.size, 0);
    t.clock.advance(60 * SECOND);
    assert.deepEqual(t.rec.sent.map((s) => s.msg.captures.room), ['bedroom']);
  });

  test('a pending wait survives save and restore with its deadline', () => {
    const before = setup({ above: 25, for: 30 });
    before.feed(20, 'bedroom');
    before.feed(26, 'kitchen');
    before.clock.advance(10 * SECOND);
    const saved: unknown = JSON.parse(JSON.stringify(before.node.saveState!()));
    before.node.close!();

    const clock = new ManualClock();
    clock.advance(10 * SECOND); // the restarted process reads the same wall clock
    const after = setup({ above: 25, for: 30 }, clock);
    after.node.restoreState!(saved);
    after.clock.advance(20 * SECOND - 1);
    assert.equal(after.rec.sent.length, 0);
    after.clock.advance(1);
    assert.equal(after.rec.sent.length, 1);
    assert.equal(after.rec.sent[0]?.msg.topic, 'home/kitchen/temperature');
    assert.deepEqual(after.rec.sent[0]?.msg.captures, { room: 'kitchen' });
    assert.equal(after.rec.sent[0]?.msg.payload, 'ON');
    after.feed(21, 'bedroom'); // bedroom's OFF came back too: no change, nothing sent
    assert.equal(after.rec.sent.length, 1);
  });

  test('a deadline that passed while stopped fires at once after restore', () => {
    const before = setup({ above: 25, hysteresis: 1, forOff: 30 });
    before.feed(26);
    before.feed(20);
    const saved = before.node.saveState!();

    const clock = new ManualClock();
    clock.advance(3600 * SECOND);
    const after = setup({ above: 25, hysteresis: 1, forOff: 30 }, clock);
    after.node.restoreState!(saved);
    after.clock.advance(0);
    assert.deepEqual(after.payloads(), ['OFF']);
  });

  test('restoreState ignores malformed input and keeps the entries that fit', () => {
    const t = setup({ above: 25 });
    for (const junk of [undefined, null, 42, 'x', [], { format: 'other/1', topics: [] }, { format: 'threshold/1' }]) {
      t.node.restoreState!(junk);
    }
    t.node.restoreState!({
      format: 'threshold/1',
      topics: [
        'x',
        { topic: 1, level: 'on' },
        { topic: 'home/a/temperature', level: 'maybe' },
        { topic: 'home/b/temperature', pending: { to: 'off', deadline: 5 } }, // no state to leave
        { topic: 'home/c/temperature', level: 'on', pending: { to: 'on', deadline: 'soon' } },
        { topic: 'home/kitchen/temperature', level: 'on' },
      ],
    });
    assert.equal(t.clock.size, 0);
    t.feed(26, 'kitchen'); // restored ON: nothing new
    t.feed(20, 'kitchen');
    assert.deepEqual(t.payloads(), ['OFF']);
  });
});
