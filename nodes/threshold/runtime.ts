import { z } from 'zod';
import { defineRuntime, type NodeContext, type NodeInstance, type NodeStatus } from '../define-node.ts';
import { StatusLater } from '../status-batch.ts';
import { newMessage, type Message } from '../message.ts';
import { readNumber } from '../value.ts';
import { thresholdNode, type ThresholdConfig } from './definition.ts';
import { evaluate, fire, implausibility, ruleOf, type Level, type Rule, type Step, type TopicState } from './logic.ts';

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

/**
 * One threshold node. A class, with its state in fields and its steps as methods: with 1,000
 * rules a message reaches a node whose objects are no longer in the CPU cache, and a method
 * lives on the prototype all nodes share, where each closure of a node is one more object of
 * its own to fetch from memory (last profile: threshold input +0.9 µs per message at K=1,000).
 */
class ThresholdNode implements NodeInstance {
  private readonly rule: Rule;
  private readonly delays: boolean;
  private readonly ranged: boolean;
  // Read per message; kept here so that a message does not also load the config object.
  private readonly on: unknown;
  private readonly off: unknown;
  private readonly maxTopics: number;
  private readonly topics = new Map<string, Entry>();
  // Entries from least to most recently updated, linked through the entries themselves: moving
  // one to the end costs a few pointer writes, where re-inserting into the Map (delete + set)
  // grew and rehashed its table, and eviction takes the oldest in O(1).
  private oldest: Entry | undefined;
  private newest: Entry | undefined;
  // Counted as states change rather than by scanning, since the status is set on every message.
  private onCount = 0;
  private closed = false;
  // The topic the status shows, drawn at most every STATUS_INTERVAL_MS (see status-batch.ts).
  private shownEntry: Entry | undefined;
  private shownLabel = '';
  private readonly status: StatusLater;

  constructor(
    private readonly config: ThresholdConfig,
    private readonly ctx: NodeContext,
  ) {
    this.rule = ruleOf(config);
    this.delays = this.rule.onDelayMs > 0 || this.rule.offDelayMs > 0;
    this.ranged = config.min !== undefined || config.max !== undefined;
    this.on = config.on;
    this.off = config.off;
    this.maxTopics = config.maxTopics;
    this.status = new StatusLater(() => {
      if (!this.closed && this.shownEntry) this.drawState(this.shownEntry, this.shownLabel);
    });
  }

  input(msg: Message): void {
    let value: number;
    const payload = msg.payload;
    // A finite number (the usual payload) reads as itself; readNumber decides everything else.
    if (typeof payload === 'number' && Number.isFinite(payload)) value = payload;
    else {
      const reading = readNumber(payload);
      if (reading.kind === 'unavailable') {
        // Dropped with no effect at all: a value after this one compares with the state from before.
        this.ctx.unavailable(msg);
        this.showNow({ fill: 'grey', text: `unavailable · ${label(msg)}` });
        return;
      }
      if (reading.kind === 'invalid') return this.reject(reading.reason, msg);
      value = reading.value;
    }
    if (this.ranged) {
      const problem = implausibility(this.config, value);
      if (problem !== undefined) return this.reject(problem, msg);
    }

    const key = msg.sourceTopic;
    const existing = this.topics.get(key);
    const entry = existing ?? newEntry(key, undefined);
    // The clock only sets deadlines; a rule without delays never reads it.
    this.apply(entry, evaluate(this.rule, existing?.state, value, this.delays ? this.ctx.timers.now() : 0), msg);
  }

  saveState(): unknown {
    const saved: SavedTopic[] = [];
    for (let entry = this.oldest; entry; entry = entry.newer) {
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

  restoreState(state: unknown): void {
    const parsed = savedState.safeParse(state);
    if (!parsed.success) return;
    // The newest entries are last; keep those when the saved set is larger than maxTopics now.
    for (const raw of parsed.data.topics.slice(-this.maxTopics)) {
      const item = savedTopic.safeParse(raw);
      if (!item.success || this.topics.has(item.data.topic)) continue; // a live value is newer
      const restored = toState(item.data);
      if (!restored) continue;
      const { topic } = item.data;
      const saved = item.data.message;
      const msg = saved ? { ...saved, payload: undefined } : newMessage({ topic, sourceTopic: topic, payload: undefined });
      const entry = newEntry(topic, restored.pending ? msg : undefined);
      this.setState(entry, restored);
      this.touch(entry);
      // A deadline that passed while we were down is armed with no wait: it fires right after
      // the restore, once the engine has wired the node, not in the middle of it.
      this.armTimer(entry);
    }
  }

  close(): void {
    this.closed = true;
    this.status.cancel();
    for (const entry of this.topics.values()) this.stopTimer(entry);
  }

  private setState(entry: Entry, next: TopicState): void {
    if (entry.state.level === 'on') this.onCount--;
    if (next.level === 'on') this.onCount++;
    entry.state = next;
  }

  private unlink(entry: Entry): void {
    if (entry.older) entry.older.newer = entry.newer;
    else this.oldest = entry.newer;
    if (entry.newer) entry.newer.older = entry.older;
    else this.newest = entry.older;
    entry.older = entry.newer = undefined;
  }

  /** Make `entry` the most recently updated topic (adding it if new), then forget beyond maxTopics. */
  private touch(entry: Entry): void {
    if (this.newest === entry) return;
    if (entry.listed) this.unlink(entry);
    else {
      entry.listed = true;
      this.topics.set(entry.key, entry);
    }
    entry.older = this.newest;
    if (this.newest) this.newest.newer = entry;
    else this.oldest = entry;
    this.newest = entry;
    while (this.topics.size > this.maxTopics && this.oldest) {
      const gone: Entry = this.oldest;
      this.stopTimer(gone);
      if (gone.state.level === 'on') this.onCount--;
      this.topics.delete(gone.key);
      this.unlink(gone);
      gone.listed = false;
    }
  }

  private stopTimer(entry: Entry): void {
    if (entry.timer !== undefined) this.ctx.timers.clearTimeout(entry.timer);
    entry.timer = undefined;
  }

  private armTimer(entry: Entry): void {
    this.stopTimer(entry);
    const deadline = entry.state.pending?.deadline;
    if (deadline === undefined) return;
    const wait = Math.min(MAX_TIMER_MS, Math.max(0, deadline - this.ctx.timers.now()));
    entry.timer = this.ctx.timers.setTimeout(() => this.onTimer(entry), wait);
  }

  private onTimer(entry: Entry): void {
    entry.timer = undefined;
    // The topic may have been evicted after this timer was set; its callback is then stale.
    if (this.closed || this.topics.get(entry.key) !== entry || !entry.msg) return;
    const step = fire(entry.state, this.ctx.timers.now());
    if (step.emit === undefined) {
      this.armTimer(entry); // not due yet: the next chunk of a long wait
      return;
    }
    this.apply(entry, step, entry.msg);
  }

  /** Take `step`, caused by `msg` (a value of the topic, or the one a delayed switch waits with). */
  private apply(entry: Entry, step: Step, msg: Message): void {
    this.setState(entry, step.next);
    entry.msg = step.next.pending ? msg : undefined;
    if (step.timer === 'start') this.armTimer(entry);
    else if (step.timer === 'cancel') this.stopTimer(entry);
    this.touch(entry);
    if (step.emit !== undefined) this.ctx.send({ ...msg, payload: step.emit === 'on' ? this.on : this.off });
    this.shownEntry = entry;
    this.shownLabel = label(msg);
    this.status.changed();
  }

  private showNow(now: NodeStatus): void {
    this.status.cancel();
    this.ctx.status(now);
  }

  private drawState(entry: Entry, shown: string): void {
    const { level, pending } = entry.state;
    let text = `${level === undefined ? 'waiting' : LEVEL_TEXT[level]} · ${shown}`;
    if (pending) {
      const seconds = Math.max(0, Math.ceil((pending.deadline - this.ctx.timers.now()) / 1000));
      text += ` · ${LEVEL_TEXT[pending.to]} in ${seconds} s`;
    }
    if (this.topics.size > 1) text += ` (${this.onCount} ON / ${this.topics.size} topics)`;
    const fill = pending ? 'yellow' : level === 'on' ? 'green' : 'blue';
    this.ctx.status({ fill, text });
  }

  private reject(reason: string, msg: Message): void {
    this.ctx.error(new Error(reason), msg);
    this.showNow({ fill: 'red', text: reason });
  }
}

/** The capture values joined by "/", as Object.values would list them, without its array. */
function label(msg: Message): string {
  const captures = msg.captures;
  let text: string | undefined;
  for (const name in captures) {
    if (Object.hasOwn(captures, name)) text = text === undefined ? captures[name]! : `${text}/${captures[name]!}`;
  }
  return text ?? msg.sourceTopic;
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
export const thresholdRuntime = defineRuntime(thresholdNode, (config, ctx) => new ThresholdNode(config, ctx));
