import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { newMessage, UNAVAILABLE } from '../../../nodes/message.ts';
import { thresholdNode } from '../../../nodes/threshold/definition.ts';
import { thresholdRuntime } from '../../../nodes/threshold/runtime.ts';
import { fakeContext } from '../../support/fake-context.ts';
import { flushStatuses } from '../../../nodes/status-batch.ts';

/** A threshold node on a fake context, fed as if by an mqtt-in on `home/+room/temperature`. */
function setup(config: Record<string, unknown>) {
  const { ctx, clock, rec } = fakeContext();
  const node = thresholdRuntime.create(thresholdNode.config.parse(config), ctx);
  const feed = (payload: unknown, room = 'kitchen') =>
    node.input!(newMessage({ topic: `home/${room}/temperature`, payload, captures: { room } }));
  const payloads = () => rec.sent.map((s) => s.msg.payload);
  // Per-message statuses are drawn in batches (nodes/status-batch.ts); draw before looking.
  const lastStatus = () => {
    flushStatuses();
    return rec.statuses.at(-1);
  };
  return { node, clock, rec, feed, payloads, lastStatus };
}

describe('threshold runtime: values and emits', () => {
  test('emit change: the first state, then only flips', () => {
    const t = setup({ above: 25, hysteresis: 1 });
    for (const v of [20, 26, 27, 24.5, 24, 23.9, 23]) t.feed(v);
    assert.deepEqual(t.payloads(), ['OFF', 'ON', 'OFF']);
  });

  test('emitFirst false: the first state of a topic is kept quietly, real switches are sent', () => {
    const t = setup({ above: 10, hysteresis: 5, emitFirst: false, on: 'started', off: 'finished' });
    t.feed(0.4, 'washer'); // an idle machine reporting after a restart: no "finished"
    t.feed(0.3, 'washer');
    t.feed(250, 'dryer'); // first value already ON: no "started" either
    t.feed(1900, 'washer');
    t.feed(2, 'washer');
    assert.deepEqual(
      t.rec.sent.map((s) => [s.msg.captures.room, s.msg.payload]),
      [['washer', 'started'], ['washer', 'finished']],
    );
  });

  test('emitFirst false with a delay: a first ON that waited out its delay is a real switch', () => {
    const t = setup({ above: 0.5, for: 300, emitFirst: false });
    t.feed(1, 'bedroom');
    t.clock.advance(300_000);
    t.feed(0, 'kitchen');
    assert.deepEqual(t.payloads(), ['ON']);
  });

  test('emit every: the current state for every valid value', () => {
    const t = setup({ above: 25, hysteresis: 1, emit: 'every' });
    for (const v of [20, 26, 27, 24.5, 23.9]) t.feed(v);
    assert.deepEqual(t.payloads(), ['OFF', 'ON', 'ON', 'ON', 'OFF']);
  });

  test('the output is the input message with the on/off value as payload', () => {
    const t = setup({ below: 10, on: { state: 'ON' }, off: 0 });
    t.feed(5, 'garage');
    t.feed(12, 'garage');
    const [first, second] = t.rec.sent;
    assert.equal(first?.msg.topic, 'home/garage/temperature');
    assert.equal(first?.msg.sourceTopic, 'home/garage/temperature');
    assert.deepEqual(first?.msg.captures, { room: 'garage' });
    assert.deepEqual(first?.msg.payload, { state: 'ON' });
    assert.equal(second?.msg.payload, 0);
  });

  test('numeric text is read as a number', () => {
    const t = setup({ above: 25 });
    t.feed('25.5');
    t.feed(' 24 ');
    assert.deepEqual(t.payloads(), ['ON', 'OFF']);
  });

  test('state is kept per source topic', () => {
    const t = setup({ above: 25 });
    t.feed(27, 'kitchen');
    t.feed(20, 'bedroom');
    t.feed(28, 'kitchen'); // kitchen already ON: nothing
    t.feed(21, 'bedroom'); // bedroom already OFF: nothing
    assert.deepEqual(
      t.rec.sent.map((s) => [s.msg.captures.room, s.msg.payload]),
      [['kitchen', 'ON'], ['bedroom', 'OFF']],
    );
    t.feed(26, 'bedroom');
    assert.deepEqual(t.rec.sent.at(-1)?.msg.captures, { room: 'bedroom' });
    assert.equal(t.rec.sent.at(-1)?.msg.payload, 'ON');
  });
});

describe('threshold runtime: values that are not readings', () => {
  test('non-numeric payloads are errors with the reason; state unchanged, nothing sent', () => {
    const t = setup({ above: 25 });
    t.feed(26);
    const bad: [unknown, string][] = [
      [{ temperature: 26 }, 'an object is not a number'],
      [true, 'true is not a number'],
      ['abc', '"abc" is not a number'],
      ['fail', '"fail" is not a number'],
      ['not json at all', '"not json at all" is not a number'],
      [[26], 'a list is not a number'],
    ];
    for (const [payload] of bad) t.feed(payload);
    assert.deepEqual(
      t.rec.errors.map((e) => e.error.message),
      bad.map(([, reason]) => reason),
    );
    assert.deepEqual(t.rec.errors[0]?.msg?.payload, { temperature: 26 }); // the message travels with its error
    assert.deepEqual(t.lastStatus(), { fill: 'red', text: 'a list is not a number' });
    t.feed(27); // still ON from before the errors
    assert.deepEqual(t.payloads(), ['ON']);
  });

  // The unavailable words of the device-payloads fixture, plus what mqtt-in makes of null / nan.
  const unavailable = ['nan', '', 'unavailable', 'unknown', 'offline', null, undefined, UNAVAILABLE, Number.NaN];

  test('unavailable values are counted, change nothing and send nothing', () => {
    const t = setup({ above: 25, emit: 'every' });
    for (const payload of unavailable) t.feed(payload);
    assert.equal(t.rec.unavailable.length, unavailable.length);
    assert.deepEqual(t.rec.sent, []);
    assert.deepEqual(t.rec.errors, []);
    assert.deepEqual(t.lastStatus(), { fill: 'grey', text: 'unavailable · kitchen' });
  });

  test('a value after unavailable compares with the state from before: no crossing', () => {
    const t = setup({ above: 25 });
    t.feed(26);
    for (const payload of unavailable) {
      t.feed(payload);
      t.feed(27);
    }
    t.feed(20);
    t.feed('unavailable');
    t.feed(21);
    assert.deepEqual(t.payloads(), ['ON', 'OFF']);
  });

  test('values outside the plausible range are errors; the state stays', () => {
    const t = setup({ above: 25, min: -40, max: 85 });
    t.feed(20);
    t.feed(-100); // a Zigbee sensor's glitch
    t.feed(327.7); // Tasmota's "no sensor" value
    assert.deepEqual(
      t.rec.errors.map((e) => e.error.message),
      ['-100 is outside the plausible range -40…85', '327.7 is outside the plausible range -40…85'],
    );
    assert.deepEqual(t.lastStatus(), { fill: 'red', text: '327.7 is outside the plausible range -40…85' });
    t.feed(21);
    assert.deepEqual(t.payloads(), ['OFF']);
  });

  test('an implausible first value does not create state', () => {
    const t = setup({ above: 25, max: 85 });
    t.feed(327.7);
    t.feed(20);
    assert.deepEqual(t.payloads(), ['OFF']);
  });
});

describe('threshold runtime: status and memory', () => {
  test('status shows the last topic and, with several, a summary', () => {
    const t = setup({ above: 25 });
    t.feed(27, 'kitchen');
    assert.deepEqual(t.lastStatus(), { fill: 'green', text: 'ON · kitchen' });
    t.feed(20, 'bedroom');
    assert.deepEqual(t.lastStatus(), { fill: 'blue', text: 'OFF · bedroom (1 ON / 2 topics)' });
    t.feed(26, 'bedroom');
    assert.deepEqual(t.lastStatus(), { fill: 'green', text: 'ON · bedroom (2 ON / 2 topics)' });
  });

  test('a burst of values draws one status, the latest; a node closed meanwhile draws none', () => {
    const t = setup({ above: 25 });
    flushStatuses();
    const before = t.rec.statuses.length;
    for (const v of [20, 27, 21, 28]) t.feed(v, 'kitchen');
    assert.equal(t.rec.statuses.length, before, 'nothing drawn per message');
    assert.deepEqual(t.lastStatus(), { fill: 'green', text: 'ON · kitchen' });
    assert.equal(t.rec.statuses.length, before + 1);
    t.feed(20, 'kitchen');
    t.node.close!();
    flushStatuses();
    assert.equal(t.rec.statuses.length, before + 1);
  });

  test('without captures the status names the source topic', () => {
    const { ctx, rec } = fakeContext();
    const node = thresholdRuntime.create(thresholdNode.config.parse({ above: 25 }), ctx);
    node.input!(newMessage({ topic: 'shellies/shellyht-208500/sensor/temperature', payload: '21.50' }));
    flushStatuses();
    assert.deepEqual(rec.statuses.at(-1), { fill: 'blue', text: 'OFF · shellies/shellyht-208500/sensor/temperature' });
  });

  test('beyond maxTopics the least recently updated topic is forgotten', () => {
    const t = setup({ above: 25, maxTopics: 2 });
    t.feed(26, 'a');
    t.feed(26, 'b');
    t.feed(27, 'a'); // a is now more recent than b
    t.feed(26, 'c'); // evicts b
    assert.deepEqual(t.lastStatus(), { fill: 'green', text: 'ON · c (2 ON / 2 topics)' });
    t.feed(28, 'a'); // a kept its state: nothing sent
    t.feed(28, 'b'); // b was forgotten: its first value again
    assert.deepEqual(
      t.rec.sent.map((s) => s.msg.captures.room),
      ['a', 'b', 'c', 'b'],
    );
    assert.deepEqual(t.lastStatus(), { fill: 'green', text: 'ON · b (2 ON / 2 topics)' });
  });
});
