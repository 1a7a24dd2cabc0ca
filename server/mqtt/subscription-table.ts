import type { IncomingPublish } from '../../nodes/define-node.ts';
import type { Qos } from '../../nodes/message.ts';
import { coverFilters } from '../../nodes/topic/cover.ts';
import { TopicTrie } from '../../nodes/topic/trie.ts';

/** How long after its SUBACK a new subscriber still takes retained values the broker replays. */
export const RETAINED_WINDOW_MS = 2000;
/** Topics whose subscribers are remembered; past this the memory starts again empty. */
export const TOPIC_CACHE_SIZE = 10_000;

export interface Subscriber {
  readonly filter: string;
  readonly qos: Qos;
  readonly deliver: (publish: IncomingPublish) => void;
  /** Until when retained replays reach it; Infinity until its broker subscription is acknowledged. */
  freshUntil: number;
  /** The broker filter that serves it, as of the last plan. */
  brokerFilter?: string;
}

export interface SubscriptionPlan {
  /** Broker filters to (re)subscribe, with the QoS each needs. */
  readonly subscribe: ReadonlyMap<string, Qos>;
  /** Broker filters no subscriber needs any more; unsubscribe only after `subscribe` is acknowledged. */
  readonly unsubscribe: readonly string[];
  /** The new subscribers this plan's SUBSCRIBE is sent for. */
  readonly included: ReadonlySet<Subscriber>;
}

/**
 * Which broker subscriptions a connection needs, and who receives each incoming message.
 *
 * The broker sees a set of filters no two of which overlap (see coverFilters), so every
 * message arrives once, whether the broker sends one copy per client (Mosquitto) or one per
 * matching subscription (aedes); a trie then hands it to every local subscriber that matches.
 * A retained message is a replay caused by a SUBSCRIBE: it goes only to subscribers that are
 * new, so a deploy never replays retained values into nodes that already saw them.
 */
export class SubscriptionTable {
  private readonly trie = new TopicTrie<Subscriber>();
  /**
   * The subscribers of each topic seen since the last change of subscriptions. Sensors repeat
   * their topics, and one lookup of the whole topic touches far less memory than a walk down
   * the trie's levels: with 1,000 rules those levels are no longer in the CPU's cache.
   */
  private readonly byTopic = new Map<string, readonly Subscriber[]>();
  private readonly subscribers = new Set<Subscriber>();
  /** Broker filters currently subscribed (acknowledged or in flight), with their QoS. */
  private readonly active = new Map<string, Qos>();

  get size(): number {
    return this.subscribers.size;
  }

  add(filter: string, qos: Qos, deliver: (publish: IncomingPublish) => void): Subscriber {
    const subscriber: Subscriber = { filter, qos, deliver, freshUntil: Infinity };
    this.subscribers.add(subscriber);
    this.trie.add(filter, subscriber);
    this.byTopic.clear();
    return subscriber;
  }

  remove(subscriber: Subscriber): void {
    if (!this.subscribers.delete(subscriber)) return;
    this.trie.remove(subscriber.filter, subscriber);
    this.byTopic.clear();
  }

  /**
   * Hand a message to every matching subscriber; returns how many received it. The list is
   * taken before the first delivery: a subscriber added or removed by a delivery takes effect
   * from the next message.
   */
  dispatch(publish: IncomingPublish, now: number): number {
    const subscribers = this.subscribersOf(publish.topic);
    let delivered = 0;
    for (let i = 0; i < subscribers.length; i++) {
      const subscriber = subscribers[i]!;
      if (publish.retained && now >= subscriber.freshUntil) continue;
      delivered++;
      subscriber.deliver(publish);
    }
    return delivered;
  }

  private subscribersOf(topic: string): readonly Subscriber[] {
    let found = this.byTopic.get(topic);
    if (found === undefined) {
      found = this.trie.match(topic);
      if (this.byTopic.size >= TOPIC_CACHE_SIZE) this.byTopic.clear();
      this.byTopic.set(topic, found);
    }
    return found;
  }

  /** What to send to the broker so that every subscriber is served by exactly one subscription. */
  plan(): SubscriptionPlan {
    const cover = coverFilters([...this.subscribers].map((s) => s.filter));
    const desired = new Map<string, Qos>();
    const awaiting = new Set<string>();
    const included = new Set<Subscriber>();
    for (const s of this.subscribers) {
      const broker = cover.get(s.filter) ?? s.filter;
      s.brokerFilter = broker;
      desired.set(broker, Math.max(desired.get(broker) ?? 0, s.qos) as Qos);
      if (s.freshUntil === Infinity) {
        awaiting.add(broker);
        included.add(s);
      }
    }
    const subscribe = new Map<string, Qos>();
    for (const [filter, qos] of desired) {
      if (this.active.get(filter) !== qos || awaiting.has(filter)) subscribe.set(filter, qos);
    }
    const unsubscribe = [...this.active.keys()].filter((f) => !desired.has(f));
    return { subscribe, unsubscribe, included };
  }

  /**
   * Record that a plan's SUBSCRIBE was acknowledged at `ackedAt`. The subscribers it was
   * sent for take the retained values it replays, for a short window. Older subscribers
   * under the same broker filters stop taking replays now: the broker sent the replays of
   * their own SUBSCRIBE before this acknowledgement, and the new replays are not theirs.
   */
  subscribed(plan: SubscriptionPlan, ackedAt: number): void {
    for (const [filter, qos] of plan.subscribe) this.active.set(filter, qos);
    for (const s of this.subscribers) {
      if (s.brokerFilter === undefined || !plan.subscribe.has(s.brokerFilter)) continue;
      if (plan.included.has(s)) s.freshUntil = ackedAt + RETAINED_WINDOW_MS;
      else if (s.freshUntil !== Infinity) s.freshUntil = Math.min(s.freshUntil, ackedAt);
    }
  }

  unsubscribed(filters: readonly string[]): void {
    for (const f of filters) this.active.delete(f);
  }

  /** After a connect without a kept session: the broker has forgotten every subscription. */
  sessionLost(): void {
    this.active.clear();
    // The broker will replay retained values; each subscriber takes them, for its topics
    // may have changed while we were away.
    for (const s of this.subscribers) s.freshUntil = Infinity;
  }

  /** Subscribers still waiting for their broker subscription to be acknowledged. */
  awaiting(): number {
    let n = 0;
    for (const s of this.subscribers) if (s.freshUntil === Infinity) n++;
    return n;
  }

  /** The broker filters currently subscribed. */
  activeFilters(): string[] {
    return [...this.active.keys()];
  }
}
