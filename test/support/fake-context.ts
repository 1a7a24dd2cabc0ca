import type { BrokerHandle, NodeContext, NodeStatus, NodeTimers } from '../../nodes/define-node.ts';
import type { Message } from '../../nodes/message.ts';

/** A clock whose time moves only when a test says so; timers fire in deadline order. */
export class ManualClock implements NodeTimers {
  private time = 0;
  private nextId = 1;
  private readonly pending = new Map<number, { at: number; fn: () => void; every?: number }>();

  now(): number {
    return this.time;
  }
  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.pending.set(id, { at: this.time + Math.max(0, ms), fn });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.pending.delete(handle as number);
  }
  setInterval(fn: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.pending.set(id, { at: this.time + ms, fn, every: Math.max(1, ms) });
    return id;
  }
  clearInterval(handle: unknown): void {
    this.pending.delete(handle as number);
  }
  /** How many timers are waiting. */
  get size(): number {
    return this.pending.size;
  }
  /** Move time forward by `ms`, firing every timer that falls due, in order. */
  advance(ms: number): void {
    const end = this.time + ms;
    for (let guard = 0; guard < 100_000; guard++) {
      let dueId: number | undefined;
      let dueAt = Infinity;
      for (const [id, t] of this.pending) {
        if (t.at <= end && t.at < dueAt) {
          dueAt = t.at;
          dueId = id;
        }
      }
      if (dueId === undefined) break;
      const timer = this.pending.get(dueId)!;
      this.time = timer.at;
      if (timer.every) timer.at += timer.every;
      else this.pending.delete(dueId);
      timer.fn();
    }
    this.time = end;
  }
}

export interface Recorded {
  sent: { msg: Message; port: number }[];
  statuses: NodeStatus[];
  errors: { error: Error; msg?: Message }[];
  unavailable: Message[];
  debug: { msg: Message; value: unknown }[];
}

/** A NodeContext that records what a node does, for unit tests of node runtimes. */
export function fakeContext(
  options: { id?: string; clock?: ManualClock; brokers?: Record<string, BrokerHandle> } = {},
): { ctx: NodeContext; clock: ManualClock; rec: Recorded } {
  const clock = options.clock ?? new ManualClock();
  const rec: Recorded = { sent: [], statuses: [], errors: [], unavailable: [], debug: [] };
  const ctx: NodeContext = {
    id: options.id ?? 'n1',
    send: (msg, port = 0) => void rec.sent.push({ msg, port }),
    status: (s) => void rec.statuses.push(s),
    error: (error, msg) =>
      void rec.errors.push({ error: error instanceof Error ? error : new Error(String(error)), msg }),
    unavailable: (msg) => void rec.unavailable.push(msg),
    debug: (msg, value) => void rec.debug.push({ msg, value }),
    timers: clock,
    broker: (id) => {
      const handle = options.brokers?.[id];
      if (!handle) throw new Error(`no broker ${id} in this fake context`);
      return handle;
    },
  };
  return { ctx, clock, rec };
}
