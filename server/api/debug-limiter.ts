/** Debug messages per second a node may send to the editor, on average. */
export const DEBUG_RATE_PER_SECOND = 10;
/** Debug messages a node may send at once after being quiet. */
export const DEBUG_BURST = 20;

export interface DebugLimiterOptions {
  readonly ratePerSecond?: number;
  readonly burst?: number;
}

/** What to do with one debug message. */
export type DebugDecision =
  /** Send it, reporting `dropped` messages of the node lost since the last one sent. */
  | { readonly send: true; readonly dropped: number }
  /** Over the limit: dropped and counted. */
  | { readonly send: false };

interface Bucket {
  tokens: number;
  /** When `tokens` was last topped up (ms). */
  refilledAt: number;
  /** Messages dropped and not yet reported. */
  dropped: number;
  /** Whether the node offered a message since the last {@link DebugLimiter.flush}. */
  active: boolean;
}

/**
 * A token bucket per node for the debug sidebar: a node on a busy topic would otherwise
 * flood every editor (and the browser behind it). Messages over the limit are dropped and
 * counted, and the count rides on the node's next message sent; {@link flush}, called
 * periodically, hands out the counts of nodes that went quiet, so no drop goes unreported.
 * Pure: the caller passes the clock.
 */
export class DebugLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly rate: number;
  private readonly burst: number;

  constructor(options: DebugLimiterOptions = {}) {
    this.rate = options.ratePerSecond ?? DEBUG_RATE_PER_SECOND;
    this.burst = options.burst ?? DEBUG_BURST;
  }

  /** Take a token for one message of `nodeId` at time `now` (ms), or count it as dropped. */
  offer(nodeId: string, now: number): DebugDecision {
    let bucket = this.buckets.get(nodeId);
    if (!bucket) {
      bucket = { tokens: this.burst, refilledAt: now, dropped: 0, active: false };
      this.buckets.set(nodeId, bucket);
    }
    this.refill(bucket, now);
    bucket.active = true;
    if (bucket.tokens < 1) {
      bucket.dropped++;
      return { send: false };
    }
    bucket.tokens--;
    const dropped = bucket.dropped;
    bucket.dropped = 0;
    return { send: true, dropped };
  }

  /**
   * The drop counts of nodes that offered nothing since the previous flush (a node still
   * busy reports its count on its next message instead), reset to zero. Buckets that are
   * full again are forgotten, so nodes removed by a deploy do not stay in memory.
   */
  flush(now: number): { nodeId: string; dropped: number }[] {
    const quiet: { nodeId: string; dropped: number }[] = [];
    for (const [nodeId, bucket] of this.buckets) {
      if (bucket.dropped > 0 && !bucket.active) {
        quiet.push({ nodeId, dropped: bucket.dropped });
        bucket.dropped = 0;
      }
      bucket.active = false;
      this.refill(bucket, now);
      if (bucket.dropped === 0 && bucket.tokens >= this.burst) this.buckets.delete(nodeId);
    }
    return quiet;
  }

  /** Drops counted and not yet handed out, over all nodes. */
  pending(): number {
    let sum = 0;
    for (const bucket of this.buckets.values()) sum += bucket.dropped;
    return sum;
  }

  private refill(bucket: Bucket, now: number): void {
    // A clock that steps back must not take tokens away.
    const elapsed = Math.max(0, now - bucket.refilledAt);
    bucket.tokens = Math.min(this.burst, bucket.tokens + (elapsed * this.rate) / 1000);
    bucket.refilledAt = now;
  }
}
