import { useSyncExternalStore } from 'react';
import type { SeenTopic } from '../../../../nodes/protocol.ts';
import { api } from '../../lib/api.ts';

/**
 * The topics the server has seen on the deployed brokers (GET /api/topics), shared by every
 * topic picker and the Topics list. It is a cache of a server answer, not document state, so
 * it lives here rather than in the editor store; `refreshSeenTopics` fetches it again.
 */
export interface SeenTopicsState {
  topics: readonly SeenTopic[];
  loading: boolean;
  error?: string;
  /** When the last answer arrived (ms), undefined before the first. */
  fetchedAt?: number;
}

let state: SeenTopicsState = { topics: [], loading: false };
const listeners = new Set<() => void>();
let inFlight: Promise<void> | undefined;

function publish(next: SeenTopicsState): void {
  state = next;
  for (const listener of listeners) listener();
}

/** Fetch the seen topics unless an answer younger than `maxAgeMs` is at hand. */
export function refreshSeenTopics(maxAgeMs = 0): Promise<void> {
  if (inFlight) return inFlight;
  if (state.fetchedAt !== undefined && Date.now() - state.fetchedAt < maxAgeMs) return Promise.resolve();
  publish({ ...state, loading: true });
  inFlight = api.topics().then(
    (topics) => publish({ topics, loading: false, fetchedAt: Date.now() }),
    (error: Error) => publish({ ...state, loading: false, error: error.message, fetchedAt: Date.now() }),
  );
  void inFlight.finally(() => (inFlight = undefined));
  return inFlight;
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The seen topics (all brokers); call refreshSeenTopics to update them. */
export function useSeenTopics(): SeenTopicsState {
  return useSyncExternalStore(subscribe, () => state);
}

/** "12 s ago", "3 min ago", "2 h ago" for a seen topic's time. */
export function ago(iso: string, now = Date.now()): string {
  const seconds = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (!Number.isFinite(seconds)) return '';
  if (seconds < 60) return `${seconds} s ago`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min ago`;
  if (seconds < 86_400) return `${Math.round(seconds / 3600)} h ago`;
  return `${Math.round(seconds / 86_400)} d ago`;
}

/** A payload on one line, cut to `max` characters. */
export function payloadPreview(seen: Pick<SeenTopic, 'payload' | 'binary'>, max = 60): string {
  if (seen.binary) return '(binary data)';
  if (seen.payload === '') return '(empty)';
  const line = seen.payload.replace(/\s+/g, ' ');
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}
