import type { BrokerEntry } from '../../nodes/broker.ts';
import type { ConnectionState } from '../../nodes/define-node.ts';
import { type BrokerSecrets, clientOptionsFor, dialUrl } from './client-options.ts';
import { BrokerConnection, type ConnectionStats } from './connection.ts';

export interface PoolOptions {
  readonly installId: string;
  /** Secrets of a broker entry, from the credential store or the command line. */
  readonly secrets?: (brokerId: string) => BrokerSecrets | undefined;
  readonly onState?: (brokerId: string, state: ConnectionState, reason?: string) => void;
}

interface PoolEntry {
  readonly connection: BrokerConnection;
  readonly brokerId: string;
  refs: number;
}

/**
 * One shared connection per broker entry (per share group), counted by the nodes that use
 * it: the first user opens it, the last one to let go closes it. An entry whose settings
 * change gets a new connection, because the key includes every setting.
 */
export class BrokerPool {
  private readonly entries = new Map<string, PoolEntry>();

  constructor(private readonly options: PoolOptions) {}

  acquire(entry: BrokerEntry, shareGroup?: string): { connection: BrokerConnection; release: () => void } {
    const key = `${JSON.stringify(entry)}\u0000${shareGroup ?? ''}`;
    let pooled = this.entries.get(key);
    if (!pooled) {
      const connection = new BrokerConnection({
        url: dialUrl(entry),
        client: clientOptionsFor(entry, this.options.installId, this.options.secrets?.(entry.id), shareGroup),
        protocolVersion: entry.protocolVersion,
        queueLimit: entry.queueLimit,
        ...(entry.birth ? { birth: entry.birth } : {}),
        ...(shareGroup ? { shareGroup } : {}),
      });
      const onState = this.options.onState;
      if (onState) connection.onState((state, reason) => onState(entry.id, state, reason));
      pooled = { connection, brokerId: entry.id, refs: 0 };
      this.entries.set(key, pooled);
    }
    pooled.refs++;
    const held = pooled;
    let released = false;
    return {
      connection: held.connection,
      release: () => {
        if (released) return;
        released = true;
        if (--held.refs === 0) {
          this.entries.delete(key);
          void held.connection.close();
        }
      },
    };
  }

  /** Each open connection's broker id and figures (state, queue, counts). */
  stats(): { brokerId: string; stats: ConnectionStats }[] {
    return [...this.entries.values()].map((e) => ({ brokerId: e.brokerId, stats: e.connection.stats() }));
  }

  /**
   * Wait until every connection of `brokerId` is connected, or `timeoutMs` passes. Resolves
   * with the reason when one is not connected by then (refused, unreachable, TLS…).
   */
  async waitConnected(brokerId: string, timeoutMs: number): Promise<{ ok: true } | { ok: false; reason: string }> {
    const connections = [...this.entries.values()].filter((e) => e.brokerId === brokerId).map((e) => e.connection);
    const results = await Promise.all(
      connections.map(
        (connection) =>
          new Promise<{ ok: true } | { ok: false; reason: string }>((resolve) => {
            if (connection.state === 'connected') return resolve({ ok: true });
            const timer = setTimeout(() => {
              stop();
              resolve({ ok: false, reason: connection.stats().reason ?? `no connection within ${timeoutMs / 1000} s` });
            }, timeoutMs);
            const stop = connection.onState((state) => {
              if (state !== 'connected') return;
              clearTimeout(timer);
              stop();
              resolve({ ok: true });
            });
          }),
      ),
    );
    return results.find((r) => !r.ok) ?? { ok: true };
  }

  async closeAll(): Promise<void> {
    const all = [...this.entries.values()];
    this.entries.clear();
    await Promise.all(all.map((e) => e.connection.close()));
  }
}
