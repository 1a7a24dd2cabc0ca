import type { Snapshot } from './types.ts';

/** Most undo steps kept. */
export const HISTORY_LIMIT = 200;

export interface History {
  past: Snapshot[];
  future: Snapshot[];
  /** A key for edits that merge into one step (typing in one field); undefined for others. */
  lastKey?: string;
  lastAt?: number;
}

/** Consecutive edits with the same key within this time are one undo step. */
const MERGE_MS = 1000;

/** Record `before` as an undo step (unless it merges into the previous one); clears redo. */
export function record(history: History, before: Snapshot, key?: string, now = Date.now()): History {
  const merges = key !== undefined && key === history.lastKey && now - (history.lastAt ?? 0) < MERGE_MS;
  const past = merges ? history.past : [...history.past, before].slice(-HISTORY_LIMIT);
  return { past, future: [], ...(key !== undefined ? { lastKey: key, lastAt: now } : {}) };
}

export function undo(history: History, current: Snapshot): { history: History; snapshot: Snapshot } | undefined {
  const previous = history.past.at(-1);
  if (!previous) return undefined;
  return { history: { past: history.past.slice(0, -1), future: [current, ...history.future] }, snapshot: previous };
}

export function redo(history: History, current: Snapshot): { history: History; snapshot: Snapshot } | undefined {
  const next = history.future[0];
  if (!next) return undefined;
  return { history: { past: [...history.past, current], future: history.future.slice(1) }, snapshot: next };
}
