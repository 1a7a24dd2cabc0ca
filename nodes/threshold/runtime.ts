import { z } from 'zod';
import { defineRuntime, type NodeContext, type NodeInstance, type NodeStatus } from '../define-node.ts';
import { StatusLater } from '../status-batch.ts';
import { newMessage, type Message } from '../message.ts';
import { readNumber } from '../value.ts';
import { thresholdNode, type ThresholdConfig } from './definition.ts';
import { evaluate, fire, implausibility, ruleOf, type Level, type Step, type TopicState } from './logic.ts';

const LEVEL_TEXT: Readonly<Record<Level, string>> = { on: 'ON', off: 'OFF' };

/** Node timers are backed by setTimeout, which misfires beyond this; longer waits are chained. */
const MAX_TIMER_MS = 2_147_483_647;

interface Entry {
  readonly key: string;
  state: TopicState;
  /**
   * While a delayed switch waits: the last valid message of the topic, which the switch is
   * sent as a copy of. Otherwise undefined, so that a message is not kept alive per topic.
   */
  msg: Message | undefined;
  timer: unknown;
  /** Neighbours in the least-recently-updated order (see `touch`). */
  older: Entry | undefined;
  newer: Entry | undefined;
  listed: boolean;
}

function newEntry(key: string, msg: Message | undefined): Entry {
  return { key, state: NO_STATE, msg, timer: undefined, older: undefined, newer: undefined, listed: false };
}

const NO_STATE: TopicState = Object.freeze({});

/** What `saveState` writes: topics oldest-updated first, so a restore keeps the LRU order. */
const savedState = z.object({
  format: z.literal('threshold/1'),
  topics: z.array(z.unknown()),
});

const levelSchema = z.enum(['on', 'off']);
const savedTopic = z.object({
  topic: z.string(),
  level: levelSchema.optional(),
  pending: z.object({ to: levelSchema, deadline: z.number() }).optional(),
  // Only the routing fields: the payload is replaced by on/off when the switch is sent.
  message: z
    .object({
      topic: z.string(),
      qos: z.union([z.literal(0), z.literal(1), z.literal(2)]),
      retained: z.boolean(),
      captures: z.record(z.string(), z.string()),
      sourceTopic: z.string(),
      hops: z.number().int().min(0),
    })
    .optional(),
});
type SavedTopic = z.infer<typeof savedTopic>;

function create(config: ThresholdConfig, ctx: NodeContext): NodeInstance {
  const rule = ruleOf(config);
  const delays = rule.onDelayMs > 0 || rule.offDelayMs > 0;
  const ranged = config.min !== undefined || config.max !== undefined;
  const topics = new Map<string, Entry>();
  // Entries from least to most recently updated, linked through the entries themselves: moving
  // one to the end costs a few pointer writes, where re-inserting into the Map (delete + set)
  // grew and rehashed its table, and eviction takes the oldest in O(1).
  let oldest: Entry | undefined;
  let newest: Entry | undefined;
  // Counted as states change rather than by scanning, since the status is set on every message.
  let onCount = 0;
  let closed = false;
  // Read per message; kept here so that a message does not also load the config object.
  const { on, off, maxTopics } = config;

  function payloadOf(level: Level): unknown {
    return level === 'on' ? on : off;
  }

  function setState(entry: Entry, next: TopicState): void {
    if (entry.state.level === 'on') onCount--;
    if (next.level === 'on') onCount++;
    entry.state = next;
  }

  function unlink(entry: Entry): void {
    if (entry.older) entry.older.newer = entry.newer;
    else oldest = entry.newer;
    if (entry.newer) entry.newer.older = entry.older;
    else newest = entry.older;
    entry.older = entry.newer = undefined;
  }

  /** Make `entry` the most recently updated topic (adding it if new), then forget beyond maxTopics. */
  function touch(entry: Entry): void {
    if (newest === entry) return;
    if (entry.listed) unlink(entry);
    else {
      entry.listed = true;
      topics.set(entry.key, entry);
    }
    entry.older = newest;
    if (newest) newest.newer = entry;
    else oldest = entry;
    newest = entry;
    while (topics.size > maxTopics && oldest) {
      const gone: Entry = oldest;
      stopTimer(gone);
      if (gone.state.level === 'on') onCount--;
      topics.delete(gone.key);
      unlink(gone);
      gone.listed = false;
    }
  }

  function stopTimer(entry: Entry): void {
    if (entry.timer !== undefined) ctx.timers.clearTimeout(entry.timer);
    entry.timer = undefined;
  }

  function armTimer(entry: Entry): void {
    stopTimer(entry);
    const deadline = entry.state.pending?.deadline;
    if (deadline === undefined) return;
    const wait = Math.min(MAX_TIMER_MS, Math.max(0, deadline - ctx.timers.now()));
    entry.timer = ctx.timers.setTimeout(() => onTimer(entry), wait);
  }

  function onTimer(entry: Entry): void {
    entry.timer = undefined;
    // The topic may have been evicted after this timer was set; its callback is then stale.
    if (closed || topics.get(entry.key) !== entry || !entry.msg) return;
    const step = fire(entry.state, ctx.timers.now());
    if (step.emit === undefined) {
      armTimer(entry); // not due yet: the next chunk of a long wait
      return;
    }
    apply(entry, step, entry.msg);
  }

  /** Take `step`, caused by `msg` (a value of the topic, or the one a delayed switch waits with). */
  function apply(entry: Entry, step: Step, msg: Message): void {
    setState(entry, step.next);
    entry.msg = step.next.pending ? msg : undefined;
    if (step.timer === 'start') armTimer(entry);
    else if (step.timer === 'cancel') stopTimer(entry);
    touch(entry);
    if (step.emit !== undefined) ctx.send({ ...msg, payload: payloadOf(step.emit) });
    showState(entry, msg);
  }

  function label(msg: Message): string {
    // The capture values joined by "/", as Object.values would list them, without its array.
    const captures = msg.captures;
    let text: string | undefined;
    for (const name in captures) {
      if (Object.hasOwn(captures, name)) text = text === undefined ? captures[name]! : `${text}/${captures[name]!}`;
    }
    return text ?? msg.sourceTopic;
  }

  // The topic the status shows, drawn at most every STATUS_INTERVAL_MS (see status-batch.ts).
  let shownEntry: Entry | undefined;
  let shownLabel = '';
  const status = new StatusLater(() => {
    if (!closed && shownEntry) drawState(shownEntry, shownLabel);
  });

  function showNow(now: NodeStatus): void {
    status.cancel();
    ctx.status(now);
  }

  function showState(entry: Entry, msg: Message): void {
    shownEntry = entry;
    shownLabel = label(msg);
    status.changed();
  }

  function drawState(entry: Entry, shown: string): void {
    const { level, pending } = entry.state;
    let text = `${level === undefined ? 'waiting' : LEVEL_TEXT[level]} · ${shown}`;
    if (pending) {
      const seconds = Math.max(0, Math.ceil((pending.deadline - ctx.timers.now()) / 1000));
      text += ` · ${LEVEL_TEXT[pending.to]} in ${seconds} s`;
    }
    if (topics.size > 1) text += ` (${onCount} ON / ${topics.size} topics)`;
    const fill = pending ? 'yellow' : level === 'on' ? 'green' : 'blue';
    ctx.status({ fill, text });
  }

  function reject(reason: string, msg: Message): void {
    ctx.error(new Error(reason), msg);
    showNow({ fill: 'red', text: reason });
  }

  function input(msg: Message): void {
    let value: number;
    const payload = msg.payload;
    // A finite number (the usual payload) reads as itself; readNumber decides everything else.
    if (typeof payload === 'number' && Number.isFinite(payload)) value = payload;
    else {
      const reading = readNumber(payload);
      if (reading.kind === 'unavailable') {
        // Dropped with no effect at all: a value after this one compares with the state from before.
        ctx.unavailable(msg);
        showNow({ fill: 'grey', text: `unavailable · ${label(msg)}` });
        return;
      }
      if (reading.kind === 'invalid') return reject(reading.reason, msg);
      value = reading.value;
    }
    if (ranged) {
      const problem = implausibility(config, value);
      if (problem !== undefined) return reject(problem, msg);
    }

    const key = msg.sourceTopic;
    const existing = topics.get(key);
    const entry = existing ?? newEntry(key, undefined);
    // The clock only sets deadlines; a rule without delays never reads it.
    apply(entry, evaluate(rule, existing?.state, value, delays ? ctx.timers.now() : 0), msg);
  }

  function saveState(): unknown {
    const saved: SavedTopic[] = [];
    for (let entry = oldest; entry; entry = entry.newer) {
      const { key: topic, state, msg } = entry;
      const item: SavedTopic = { topic, level: state.level };
      if (state.pending && msg) {
        const { topic: msgTopic, qos, retained, captures, sourceTopic, hops } = msg;
        item.pending = { ...state.pending };
        item.message = { topic: msgTopic, qos, retained, captures: { ...captures }, sourceTopic, hops };
      }
      saved.push(item);
    }
    return { format: 'threshold/1', topics: saved };
  }

  function restoreState(state: unknown): void {
    const parsed = savedState.safeParse(state);
    if (!parsed.success) return;
    // The newest entries are last; keep those when the saved set is larger than maxTopics now.
    for (const raw of parsed.data.topics.slice(-config.maxTopics)) {
      const item = savedTopic.safeParse(raw);
      if (!item.success || topics.has(item.data.topic)) continue; // a live value is newer
      const restored = toState(item.data);
      if (!restored) continue;
      const { topic } = item.data;
      const saved = item.data.message;
      const msg = saved ? { ...saved, payload: undefined } : newMessage({ topic, sourceTopic: topic, payload: undefined });
      const entry = newEntry(topic, restored.pending ? msg : undefined);
      setState(entry, restored);
      touch(entry);
      // A deadline that passed while we were down is armed with no wait: it fires right after
      // the restore, once the engine has wired the node, not in the middle of it.
      armTimer(entry);
    }
  }

  function close(): void {
    closed = true;
    status.cancel();
    for (const entry of topics.values()) stopTimer(entry);
  }

  return { input, close, saveState, restoreState };
}

/** A saved topic as a state the logic accepts, or undefined when the pieces contradict. */
function toState(item: SavedTopic): TopicState | undefined {
  const { level, pending } = item;
  const pendingFits = pending && pending.to !== level && (level !== undefined || pending.to === 'on');
  if (level === undefined) return pendingFits ? { pending } : undefined;
  return pendingFits ? { level, pending } : { level };
}

/**
 * The threshold node's runtime: per-source-topic state, `for`/`forOff` timers on the node's
 * clock, a status after each message, and state (with pending deadlines) kept across restarts.
 */
export const thresholdRuntime = defineRuntime(thresholdNode, create);
