import type { ThresholdConfig } from './definition.ts';

/** The two states a topic can be in. */
export type Level = 'on' | 'off';

/** The comparison a threshold makes, taken from whichever of the four keys the config set. */
export type Condition =
  | { readonly kind: 'above'; readonly limit: number }
  | { readonly kind: 'below'; readonly limit: number }
  | { readonly kind: 'between'; readonly low: number; readonly high: number }
  | { readonly kind: 'outside'; readonly low: number; readonly high: number };

/** Everything the pure logic needs from a config, with delays already in milliseconds. */
export interface Rule {
  readonly condition: Condition;
  readonly hysteresis: number;
  readonly onDelayMs: number;
  readonly offDelayMs: number;
  readonly emitEvery: boolean;
  /** Send the state a topic settles on at its first value (no switch happened). */
  readonly emitFirst: boolean;
}

/** A switch waiting for its delay: it happens at `deadline` (epoch ms) unless broken first. */
export interface Pending {
  readonly to: Level;
  readonly deadline: number;
}

/**
 * What is known about one source topic. `level` is absent only before the first state is
 * settled (the first value asked for ON and a `for` delay is running).
 */
export interface TopicState {
  readonly level?: Level;
  readonly pending?: Pending;
}

/**
 * The outcome of one value or one timer. `emit` is the level to send, if any. `timer` says
 * what to do with the topic's timer: start one for `next.pending`, cancel the running one,
 * or (absent) leave things as they are — a running timer keeps its original deadline.
 */
export interface Step {
  readonly next: TopicState;
  readonly emit?: Level;
  readonly timer?: 'start' | 'cancel';
}

/** The parsed config as a Rule. The schema guarantees exactly one condition key is set. */
export function ruleOf(config: ThresholdConfig): Rule {
  return {
    condition: conditionOf(config),
    hysteresis: config.hysteresis,
    onDelayMs: config.for * 1000,
    offDelayMs: config.forOff * 1000,
    emitEvery: config.emit === 'every',
    emitFirst: config.emitFirst,
  };
}

function conditionOf(config: ThresholdConfig): Condition {
  if (config.above !== undefined) return { kind: 'above', limit: config.above };
  if (config.below !== undefined) return { kind: 'below', limit: config.below };
  if (config.between) return { kind: 'between', low: config.between[0], high: config.between[1] };
  if (config.outside) return { kind: 'outside', low: config.outside[0], high: config.outside[1] };
  throw new Error('threshold config has none of above, below, between, outside');
}

/**
 * The level `value` points to, given the current level. Hysteresis widens the band that keeps
 * the current level: a value inside that band keeps it. With no current level there is no band
 * and the plain condition decides.
 */
export function levelFor(condition: Condition, hysteresis: number, current: Level | undefined, value: number): Level {
  const h = current === undefined ? 0 : hysteresis;
  switch (condition.kind) {
    case 'above':
      if (value > condition.limit) return 'on';
      return current === 'on' && value >= condition.limit - h ? 'on' : 'off';
    case 'below':
      if (value < condition.limit) return 'on';
      return current === 'on' && value <= condition.limit + h ? 'on' : 'off';
    case 'between': {
      if (value >= condition.low && value <= condition.high) return 'on';
      const inBand = value >= condition.low - h && value <= condition.high + h;
      return current === 'on' && inBand ? 'on' : 'off';
    }
    case 'outside': {
      if (value < condition.low || value > condition.high) return 'on';
      const offZone = value >= condition.low + h && value <= condition.high - h;
      return current === 'on' && !offZone ? 'on' : 'off';
    }
  }
}

/**
 * Feed one valid value of a topic. `prior` is undefined for a topic never seen; `now` is the
 * clock in epoch ms, used only to set a deadline.
 *
 * A delay (`for` / `forOff`) starts when the value first asks for a switch; later values that
 * still ask for it leave the deadline alone, and one that no longer asks cancels it. The first
 * OFF of a topic is never delayed: `forOff` guards leaving ON, and there is no ON to leave.
 */
export function evaluate(rule: Rule, prior: TopicState | undefined, value: number, now: number): Step {
  const level = prior?.level;
  const pending = prior?.pending;
  const wanted = levelFor(rule.condition, rule.hysteresis, level, value);
  const cancel = pending !== undefined;

  if (level === undefined) {
    // No state yet: only a delayed first ON can be waiting.
    // A first state settled at once is not a switch: sent only when the rule asks for it.
    const emitFirst = rule.emitFirst || rule.emitEvery;
    if (wanted === 'off') return settled('off', emitFirst ? 'off' : undefined, cancel);
    if (rule.onDelayMs === 0) return settled('on', emitFirst ? 'on' : undefined, cancel);
    if (pending?.to === 'on') return { next: prior! };
    return { next: { pending: { to: 'on', deadline: now + rule.onDelayMs } }, timer: 'start' };
  }

  if (wanted === level) return settled(level, rule.emitEvery ? level : undefined, cancel);

  const delay = wanted === 'on' ? rule.onDelayMs : rule.offDelayMs;
  if (delay === 0) return settled(wanted, wanted, cancel);
  const every = rule.emitEvery ? { emit: level } : {};
  if (pending?.to === wanted) return { next: prior!, ...every };
  return { next: { level, pending: { to: wanted, deadline: now + delay } }, ...every, timer: 'start' };
}

// Nearly every value ends in a settled level with no delay running. Those steps and states are
// shared constants: a topic's state is then not a fresh object per message, which with many
// topics would live until that topic's next value and be copied by every young-generation GC.
const SETTLED_STATE: Readonly<Record<Level, TopicState>> = { on: Object.freeze({ level: 'on' }), off: Object.freeze({ level: 'off' }) };

function settledSteps(level: Level): readonly Step[] {
  const next = SETTLED_STATE[level];
  // Index: emit (0 none, 1 the level) + 2 × cancel.
  const steps: Step[] = [{ next }, { next, emit: level }, { next, timer: 'cancel' }, { next, emit: level, timer: 'cancel' }];
  return steps.map((s) => Object.freeze(s));
}
const SETTLED_STEPS: Readonly<Record<Level, readonly Step[]>> = { on: settledSteps('on'), off: settledSteps('off') };

/** The step to `level` with nothing pending; `emit` is undefined or `level` itself. */
function settled(level: Level, emit: Level | undefined, cancel: boolean): Step {
  return SETTLED_STEPS[level][(emit === undefined ? 0 : 1) + (cancel ? 2 : 0)]!;
}

/**
 * The topic's timer went off at `now`. Switches to the pending level when its deadline has
 * come; otherwise (a clock that fired early, or a long delay split into chunks) changes nothing.
 */
export function fire(prior: TopicState, now: number): Step {
  const pending = prior.pending;
  if (!pending || now < pending.deadline) return { next: prior };
  return settled(pending.to, pending.to, false);
}

/**
 * Why `value` cannot be a real reading given the config's plausible range, or undefined when
 * it can. Both ends of the range are plausible.
 */
export function implausibility(config: Pick<ThresholdConfig, 'min' | 'max'>, value: number): string | undefined {
  const { min, max } = config;
  const tooLow = min !== undefined && value < min;
  const tooHigh = max !== undefined && value > max;
  if (!tooLow && !tooHigh) return undefined;
  if (min !== undefined && max !== undefined) return `${value} is outside the plausible range ${min}…${max}`;
  return tooLow ? `${value} is below the plausible minimum ${min}` : `${value} is above the plausible maximum ${max}`;
}
