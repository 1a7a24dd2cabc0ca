/**
 * How live events become store updates without drowning the page: events are collected in a
 * buffer and applied together (every FLUSH_MS), debug messages are sampled — at most
 * {@link DEBUG_PER_FLUSH} per flush, {@link DEBUG_KEEP} kept — and every message not shown is
 * counted as dropped, so the debug panel can say so. Pure: the socket side lives in live.ts.
 */
import type { NodeStatus } from '../../../nodes/define-node.ts';
import type { BrokerStateEvent, DebugEvent, NodeCounters, NodeErrorEvent, SnapshotEvent } from '../../../nodes/protocol.ts';
import type { DebugEntry, LiveState } from '../store/types.ts';

/** How long events are collected before the store is updated with all of them. */
export const FLUSH_MS = 100;
/**
 * Debug entries kept in the store, all of them drawn by the panel; older ones are dropped (and
 * counted), so what the panel shows plus what it says it dropped is every message sent.
 */
export const DEBUG_KEEP = 200;
/** Debug entries taken from one flush; the rest are dropped (and counted). */
export const DEBUG_PER_FLUSH = 20;
/** How long an edge glows after its source sent something. */
export const PULSE_MS = 600;
/** An edge starts a new pulse at most this often. */
export const PULSE_GAP_MS = 300;

/** A debug entry; `error` marks a node error (its value is the error message). */
export interface LiveDebugEntry extends DebugEntry {
  error?: boolean;
}

/** True for an entry made from a `node-error` event. */
export function isErrorEntry(entry: DebugEntry): boolean {
  return (entry as LiveDebugEntry).error === true;
}

/** What arrived since the last flush. Mutated by the `buffer…` functions, then applied once. */
export interface LiveBuffer {
  /** A snapshot arrived: statuses, counters and brokers below replace the store's. */
  reset: boolean;
  statuses: Record<string, NodeStatus>;
  counters: Record<string, NodeCounters>;
  brokerStates: Record<string, BrokerStateEvent>;
  /** Newest last, at most DEBUG_PER_FLUSH. */
  debug: Omit<LiveDebugEntry, 'seq'>[];
  dropped: number;
  /** Nodes a deploy stopped for good: their status and counters go. */
  removed: Set<string>;
}

export function emptyBuffer(): LiveBuffer {
  return { reset: false, statuses: {}, counters: {}, brokerStates: {}, debug: [], dropped: 0, removed: new Set() };
}

/** True when applying the buffer would change nothing. */
export function isEmpty(buffer: LiveBuffer): boolean {
  return (
    !buffer.reset &&
    buffer.debug.length === 0 &&
    buffer.dropped === 0 &&
    buffer.removed.size === 0 &&
    Object.keys(buffer.statuses).length === 0 &&
    Object.keys(buffer.counters).length === 0 &&
    Object.keys(buffer.brokerStates).length === 0
  );
}

export function bufferSnapshot(buffer: LiveBuffer, event: SnapshotEvent): void {
  buffer.reset = true;
  buffer.statuses = { ...event.statuses };
  buffer.counters = { ...event.counters };
  buffer.brokerStates = Object.fromEntries(event.brokers.map((b) => [b.brokerId, b]));
  buffer.removed.clear();
}

export function bufferStatus(buffer: LiveBuffer, nodeId: string, status: NodeStatus): void {
  buffer.statuses[nodeId] = status;
  buffer.removed.delete(nodeId);
}

export function bufferCounters(buffer: LiveBuffer, counters: Record<string, NodeCounters>): void {
  for (const [id, c] of Object.entries(counters)) {
    buffer.counters[id] = c;
    buffer.removed.delete(id);
  }
}

export function bufferBrokerState(buffer: LiveBuffer, event: BrokerStateEvent): void {
  buffer.brokerStates[event.brokerId] = event;
}

/** After a deploy: forget the nodes it stopped and did not start again. */
export function bufferRemoved(buffer: LiveBuffer, stopped: readonly string[], started: readonly string[]): void {
  const again = new Set(started);
  for (const id of stopped) {
    if (again.has(id)) continue;
    buffer.removed.add(id);
    delete buffer.statuses[id];
    delete buffer.counters[id];
  }
}

function pushDebug(buffer: LiveBuffer, entry: Omit<LiveDebugEntry, 'seq'>, paused: boolean): void {
  if (paused) {
    buffer.dropped++;
    return;
  }
  buffer.debug.push(entry);
  // Keep the newest: the oldest of a burst is the least interesting by the time anyone looks.
  if (buffer.debug.length > DEBUG_PER_FLUSH) {
    buffer.debug.shift();
    buffer.dropped++;
  }
}

/** A debug event: an entry (unless paused), plus whatever the server says it dropped. */
export function bufferDebug(buffer: LiveBuffer, event: DebugEvent, paused: boolean): void {
  buffer.dropped += event.dropped ?? 0;
  // An event without `value` only reports drops of a node that went quiet.
  if (!('value' in event)) return;
  pushDebug(buffer, { nodeId: event.nodeId, topic: event.topic, value: event.value, time: event.time }, paused);
}

/** A node error: a debug entry marked as an error, its value the message. */
export function bufferNodeError(buffer: LiveBuffer, event: NodeErrorEvent, paused: boolean): void {
  pushDebug(buffer, { nodeId: event.nodeId, topic: event.topic ?? '', value: event.message, time: event.time, error: true }, paused);
}

export interface ApplyContext {
  /** The canvas edges, to find the ones leaving a node that sent something. */
  edges: readonly { id: string; source: string }[];
  now: number;
  /** The seq of the first new debug entry. */
  nextSeq: number;
}

export interface ApplyResult {
  patch: Partial<LiveState>;
  nextSeq: number;
  /** When the earliest pulse ends (to flush again then and stop it), if any pulses. */
  nextPulseEnd?: number;
}

/**
 * The store update for one buffer: statuses, counters and brokers merged (or replaced after a
 * snapshot), debug entries appended and bounded, drops counted, and a pulse on every edge
 * whose source node's `out` counter grew (at most one new pulse per edge per PULSE_GAP_MS).
 * Ended pulses are removed.
 */
export function applyBuffer(live: LiveState, buffer: LiveBuffer, context: ApplyContext): ApplyResult {
  const { now } = context;
  const patch: Partial<LiveState> = {};
  let nextSeq = context.nextSeq;

  const hasStatuses = Object.keys(buffer.statuses).length > 0;
  const hasCounters = Object.keys(buffer.counters).length > 0;
  if (buffer.reset || hasStatuses || buffer.removed.size > 0) {
    patch.statuses = withoutIds({ ...(buffer.reset ? {} : live.statuses), ...buffer.statuses }, buffer.removed);
  }
  if (buffer.reset || hasCounters || buffer.removed.size > 0) {
    patch.counters = withoutIds({ ...(buffer.reset ? {} : live.counters), ...buffer.counters }, buffer.removed);
  }
  if (buffer.reset || Object.keys(buffer.brokerStates).length > 0) {
    patch.brokerStates = { ...(buffer.reset ? {} : live.brokerStates), ...buffer.brokerStates };
  }

  // Pulses: the counters say how many messages a node sent; a rise means its wires carried some.
  let pulses = live.pulses;
  const grown = new Set<string>();
  if (!buffer.reset) {
    for (const [id, c] of Object.entries(buffer.counters)) {
      const before = live.counters[id];
      if (before && c.out > before.out) grown.add(id);
    }
  }
  const running = Object.entries(pulses).filter(([, until]) => until > now);
  const expired = running.length !== Object.keys(pulses).length;
  if (grown.size > 0 || expired) {
    const next: Record<string, number> = Object.fromEntries(running);
    for (const edge of context.edges) {
      if (!grown.has(edge.source)) continue;
      const until = next[edge.id];
      // A pulse that began less than PULSE_GAP_MS ago goes on; a new one would only flicker.
      if (until !== undefined && until - PULSE_MS > now - PULSE_GAP_MS) continue;
      next[edge.id] = now + PULSE_MS;
    }
    pulses = next;
    patch.pulses = pulses;
  }
  const ends = Object.values(pulses);
  const nextPulseEnd = ends.length > 0 ? Math.min(...ends) : undefined;

  let dropped = buffer.dropped;
  if (buffer.debug.length > 0) {
    const added = buffer.debug.map((e) => ({ ...e, seq: nextSeq++ }));
    const all = live.debug.concat(added);
    const over = all.length - DEBUG_KEEP;
    if (over > 0) dropped += over;
    patch.debug = over > 0 ? all.slice(over) : all;
  }
  if (dropped > 0) patch.debugDropped = live.debugDropped + dropped;

  return { patch, nextSeq, ...(nextPulseEnd !== undefined ? { nextPulseEnd } : {}) };
}

function withoutIds<T>(record: Record<string, T>, ids: ReadonlySet<string>): Record<string, T> {
  for (const id of ids) delete record[id];
  return record;
}
