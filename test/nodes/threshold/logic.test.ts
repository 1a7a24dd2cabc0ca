import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { thresholdNode } from '../../../nodes/threshold/definition.ts';
import { evaluate, fire, implausibility, levelFor, ruleOf, type Condition, type Level } from '../../../nodes/threshold/logic.ts';

type Row = readonly [current: Level | undefined, value: number, expected: Level];

/** One table per mode, each with hysteresis 1 so the band edges are distinct numbers. */
const tables: { name: string; condition: Condition; rows: Row[] }[] = [
  {
    name: 'above 25, h 1',
    condition: { kind: 'above', limit: 25 },
    rows: [
      [undefined, 25.1, 'on'],
      [undefined, 25, 'off'], // exactly X is not above X
      [undefined, 24.5, 'off'], // in the band with no prior state: plain condition
      ['off', 25, 'off'],
      ['off', 25.01, 'on'],
      ['off', 24.5, 'off'],
      ['on', 25, 'on'],
      ['on', 24.5, 'on'], // inside the band keeps ON
      ['on', 24, 'on'], // exactly X − h keeps ON: OFF only below it
      ['on', 23.99, 'off'],
      ['on', 30, 'on'],
    ],
  },
  {
    name: 'below 10, h 1',
    condition: { kind: 'below', limit: 10 },
    rows: [
      [undefined, 9.9, 'on'],
      [undefined, 10, 'off'],
      [undefined, 10.5, 'off'],
      ['off', 10, 'off'],
      ['off', 9.99, 'on'],
      ['off', 10.5, 'off'],
      ['on', 10, 'on'],
      ['on', 10.5, 'on'],
      ['on', 11, 'on'], // exactly X + h keeps ON
      ['on', 11.01, 'off'],
    ],
  },
  {
    name: 'between [20, 30], h 1',
    condition: { kind: 'between', low: 20, high: 30 },
    rows: [
      [undefined, 20, 'on'], // both ends are inside
      [undefined, 30, 'on'],
      [undefined, 19.5, 'off'],
      [undefined, 30.5, 'off'],
      ['off', 19.99, 'off'],
      ['off', 20, 'on'],
      ['off', 30, 'on'],
      ['off', 30.01, 'off'],
      ['off', 19.5, 'off'],
      ['on', 19.5, 'on'],
      ['on', 19, 'on'], // exactly L − h keeps ON
      ['on', 18.99, 'off'],
      ['on', 31, 'on'], // exactly U + h keeps ON
      ['on', 31.01, 'off'],
    ],
  },
  {
    name: 'outside [20, 30], h 1',
    condition: { kind: 'outside', low: 20, high: 30 },
    rows: [
      [undefined, 19.99, 'on'],
      [undefined, 30.01, 'on'],
      [undefined, 20, 'off'], // the ends belong to the inside
      [undefined, 20.5, 'off'], // in the band with no prior state: plain condition
      ['off', 20, 'off'],
      ['off', 30, 'off'],
      ['off', 19.99, 'on'],
      ['off', 30.01, 'on'],
      ['on', 20, 'on'],
      ['on', 20.99, 'on'],
      ['on', 21, 'off'], // exactly L + h is inside [L + h, U − h]
      ['on', 29, 'off'], // exactly U − h too
      ['on', 29.01, 'on'],
      ['on', 25, 'off'],
    ],
  },
];

describe('levelFor: each mode at the hysteresis edges', () => {
  for (const { name, condition, rows } of tables) {
    for (const [current, value, expected] of rows) {
      test(`${name}: ${current ?? 'no state'} + ${value} → ${expected}`, () => {
        assert.equal(levelFor(condition, 1, current, value), expected);
      });
    }
  }

  test('with hysteresis 0, exactly the limit keeps the current state', () => {
    const above: Condition = { kind: 'above', limit: 25 };
    assert.equal(levelFor(above, 0, 'on', 25), 'on');
    assert.equal(levelFor(above, 0, 'on', 24.999), 'off');
    assert.equal(levelFor(above, 0, 'off', 25), 'off');
  });
});

function rule(config: Record<string, unknown>) {
  return ruleOf(thresholdNode.config.parse(config));
}

describe('evaluate', () => {
  test('the first value sets the state and emits it, ON or OFF', () => {
    const r = rule({ above: 25 });
    assert.deepEqual(evaluate(r, undefined, 26, 0), { next: { level: 'on' }, emit: 'on' });
    assert.deepEqual(evaluate(r, undefined, 20, 0), { next: { level: 'off' }, emit: 'off' });
  });

  test('emit change: a value that keeps the state emits nothing; a flip emits', () => {
    const r = rule({ above: 25 });
    assert.deepEqual(evaluate(r, { level: 'on' }, 27, 0), { next: { level: 'on' } });
    assert.deepEqual(evaluate(r, { level: 'on' }, 20, 0), { next: { level: 'off' }, emit: 'off' });
  });

  test('emit every: a value that keeps the state emits it again', () => {
    const r = rule({ above: 25, emit: 'every' });
    assert.deepEqual(evaluate(r, { level: 'on' }, 27, 0), { next: { level: 'on' }, emit: 'on' });
    assert.deepEqual(evaluate(r, { level: 'off' }, 20, 0), { next: { level: 'off' }, emit: 'off' });
  });

  test('for: the first ON waits, keeps its deadline, and a break makes the first state OFF', () => {
    const r = rule({ above: 25, for: 30 });
    const started = evaluate(r, undefined, 26, 1000);
    assert.deepEqual(started, { next: { pending: { to: 'on', deadline: 31_000 } }, timer: 'start' });
    assert.deepEqual(evaluate(r, started.next, 27, 5000), { next: started.next });
    assert.deepEqual(evaluate(r, started.next, 24, 5000), { next: { level: 'off' }, emit: 'off', timer: 'cancel' });
  });

  test('forOff: the switch to OFF waits; a value back in the ON band cancels it', () => {
    const r = rule({ above: 25, hysteresis: 1, forOff: 10 });
    const started = evaluate(r, { level: 'on' }, 23, 0);
    assert.deepEqual(started, { next: { level: 'on', pending: { to: 'off', deadline: 10_000 } }, timer: 'start' });
    assert.deepEqual(evaluate(r, started.next, 22, 3000), { next: started.next });
    // 24.5 is in the hysteresis band, which keeps ON: the OFF condition is broken.
    assert.deepEqual(evaluate(r, started.next, 24.5, 3000), { next: { level: 'on' }, timer: 'cancel' });
  });

  test('the first OFF is never delayed by forOff', () => {
    assert.deepEqual(evaluate(rule({ above: 25, forOff: 10 }), undefined, 20, 0), {
      next: { level: 'off' },
      emit: 'off',
    });
  });

  test('emit every while a switch is pending sends the current state', () => {
    const r = rule({ above: 25, for: 30, emit: 'every' });
    const started = evaluate(r, { level: 'off' }, 26, 0);
    assert.equal(started.emit, 'off');
    assert.equal(evaluate(r, started.next, 27, 1000).emit, 'off');
    // With no state yet there is nothing to send.
    assert.equal(evaluate(r, undefined, 26, 0).emit, undefined);
  });

  test('fire switches only once the deadline has come', () => {
    const pending = { level: 'off', pending: { to: 'on', deadline: 5000 } } as const;
    assert.deepEqual(fire(pending, 4999), { next: pending });
    assert.deepEqual(fire(pending, 5000), { next: { level: 'on' }, emit: 'on' });
    assert.deepEqual(fire({ level: 'on' }, 9999), { next: { level: 'on' } });
  });
});

describe('implausibility', () => {
  const rows: [config: { min?: number; max?: number }, value: number, expected: string | undefined][] = [
    [{ min: -40, max: 85 }, -100, '-100 is outside the plausible range -40…85'],
    [{ min: -40, max: 85 }, 327.7, '327.7 is outside the plausible range -40…85'],
    [{ min: -40, max: 85 }, -40, undefined],
    [{ min: -40, max: 85 }, 85, undefined],
    [{ min: -40 }, -100, '-100 is below the plausible minimum -40'],
    [{ max: 85 }, 327.7, '327.7 is above the plausible maximum 85'],
    [{}, -100, undefined],
  ];
  for (const [config, value, expected] of rows) {
    test(`${JSON.stringify(config)} ${value} → ${expected ?? 'plausible'}`, () => {
      assert.equal(implausibility(config, value), expected);
    });
  }
});
