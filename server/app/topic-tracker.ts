import type { BrokerEntry } from '../../nodes/broker.ts';
import type { IncomingPublish } from '../../nodes/define-node.ts';
import type { SeenTopic } from '../../nodes/protocol.ts';
import type { BrokerPool } from '../mqtt/pool.ts';

const MAX_TOPICS_PER_BROKER = 2000;
const MAX_PAYLOAD_CHARS = 1024;

interface Seen {
  payload: Uint8Array;
  retained: boolean;
  count: number;
  lastSeen: number;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Topics seen on each broker with their last payload, for the editor's topic picker. Memory
 * is bounded: per broker the least recently seen topics are forgotten past 2000, and only
 * the first kilobyte of a payload is kept.
 */
export class TopicTracker {
  private readonly seen = new Map<string, Map<string, Seen>>();
  private releases: (() => void)[] = [];
  private watching = '';

  constructor(private readonly pool: BrokerPool) {}

  /** Watch the brokers of the running document (after each deploy). */
  watch(brokers: readonly BrokerEntry[]): void {
    // Same brokers as before: keep the subscriptions (re-subscribing "#" would make the broker
    // replay every retained message on each deploy).
    const key = JSON.stringify(brokers);
    if (key === this.watching) return;
    this.watching = key;
    const previous = this.releases;
    this.releases = [];
    for (const entry of brokers) {
      const { connection, release } = this.pool.acquire(entry);
      const unsubscribe = connection.subscribe('#', 0, (publish) => this.record(entry.id, publish));
      this.releases.push(() => {
        unsubscribe();
        release();
      });
    }
    // Let go of the old ones only now: a broker in both keeps its connection open.
    for (const release of previous) release();
    const ids = new Set(brokers.map((b) => b.id));
    for (const id of this.seen.keys()) if (!ids.has(id)) this.seen.delete(id);
  }

  list(broker?: string): SeenTopic[] {
    const out: SeenTopic[] = [];
    for (const [brokerId, topics] of this.seen) {
      if (broker !== undefined && broker !== brokerId) continue;
      for (const [topic, s] of topics) out.push({ broker: brokerId, topic, ...describePayload(s.payload), retained: s.retained, count: s.count, lastSeen: new Date(s.lastSeen).toISOString() });
    }
    return out.sort((a, b) => a.topic.localeCompare(b.topic));
  }

  stop(): void {
    for (const release of this.releases) release();
    this.releases = [];
    this.watching = '';
  }

  private record(brokerId: string, publish: IncomingPublish): void {
    let topics = this.seen.get(brokerId);
    if (!topics) this.seen.set(brokerId, (topics = new Map()));
    const known = topics.get(publish.topic);
    const payload = payloadToKeep(publish.payload);
    if (known) {
      // Re-insert so the map's order stays "least recently seen first".
      topics.delete(publish.topic);
      topics.set(publish.topic, { payload, retained: publish.retained, count: known.count + 1, lastSeen: Date.now() });
      return;
    }
    topics.set(publish.topic, { payload, retained: publish.retained, count: 1, lastSeen: Date.now() });
    if (topics.size > MAX_TOPICS_PER_BROKER) topics.delete(topics.keys().next().value!);
  }
}

/**
 * The first bytes of `payload` (enough for MAX_PAYLOAD_CHARS characters), copied: a payload from
 * mqtt.js is a view into the socket's read buffer (64 KB), which a view kept per topic would hold
 * in memory for as long as the topic is listed (2,000 topics: up to 128 MB).
 */
export function payloadToKeep(payload: Uint8Array): Uint8Array {
  return new Uint8Array(payload.subarray(0, MAX_PAYLOAD_CHARS * 4));
}

function describePayload(bytes: Uint8Array): { payload: string; binary: boolean } {
  try {
    const text = utf8.decode(bytes);
    // eslint-disable-next-line no-control-regex
    if (!/[\u0000-\u0008\u000e-\u001f]/.test(text)) return { payload: text.slice(0, MAX_PAYLOAD_CHARS), binary: false };
  } catch {
    // Not UTF-8: shown as base64 below.
  }
  return { payload: Buffer.from(bytes.subarray(0, MAX_PAYLOAD_CHARS)).toString('base64'), binary: true };
}
