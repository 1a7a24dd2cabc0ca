import type { Server, Socket } from 'socket.io';
import type { NodeStatus } from '../../nodes/define-node.ts';
import type { BrokerStateEvent, ClientToServerEvents, NodeCounters, ServerToClientEvents, SnapshotEvent } from '../../nodes/protocol.ts';
import type { FlowRuntime } from '../app/flow-runtime.ts';
import { DebugLimiter, type DebugLimiterOptions } from './debug-limiter.ts';
import { jsonSafe } from './json-safe.ts';

/** How often changed counters (and statuses held back by the throttle) are sent. */
export const COUNTERS_INTERVAL_MS = 250;
/** How often drop counts of debug nodes that went quiet are sent. */
export const DEBUG_FLUSH_INTERVAL_MS = 1000;

export interface LiveEventsOptions {
  readonly debug?: DebugLimiterOptions;
  readonly countersIntervalMs?: number;
  readonly debugFlushIntervalMs?: number;
}

type LiveServer = Server<ClientToServerEvents, ServerToClientEvents>;

/**
 * Pushes what the engine reports to every connected editor over socket.io:
 * - `snapshot` to each socket as it connects: rev, every node's last status and counters, and
 *   the state of every broker in use, so an editor opened later sees what one open all along
 *   saw (statuses are replayed, as Node-RED does);
 * - `node-error`, `deployed`, `broker-state` as they happen;
 * - `status` at once, but at most one per node per counters tick after that (the latest wins):
 *   a debug or threshold node sets its status on every message, and a busy topic must not
 *   flood the editors with statuses that are overwritten before anyone can read them;
 * - `debug` limited per node by a {@link DebugLimiter}; a message sent after drops carries
 *   their count as `dropped`, and a node that went quiet gets an event with only `dropped`
 *   (its `value` key absent) at the next flush;
 * - `counters` every {@link COUNTERS_INTERVAL_MS}: only nodes whose counters changed (or that
 *   are new), nothing at all when nothing changed.
 *
 * `stop()` removes every listener and timer.
 */
export function attachLiveEvents(io: LiveServer, runtime: FlowRuntime, options: LiveEventsOptions = {}): { stop(): void } {
  const { engine, pool } = runtime;
  const limiter = new DebugLimiter(options.debug);

  // The last state of each broker, with its reason; seeded from the pool so brokers already
  // connected before this was attached (the stored flow at start) are known too.
  const brokerStates = new Map<string, BrokerStateEvent>();
  for (const { brokerId, stats } of pool.stats()) {
    if (!brokerStates.has(brokerId)) brokerStates.set(brokerId, { brokerId, state: stats.state, ...(stats.reason ? { reason: stats.reason } : {}) });
  }

  // Counters as last sent, to send only what changed.
  let sentCounters: Record<string, NodeCounters> = engine.counters();
  // Nodes whose status went out during the current tick; later ones wait for the tick.
  const statusSent = new Set<string>();
  const statusHeld = new Map<string, NodeStatus>();

  const snapshot = (): SnapshotEvent => {
    // Only brokers the running flow uses: one removed by a deploy is no longer of interest.
    const inUse = new Map<string, BrokerStateEvent>();
    for (const { brokerId, stats } of pool.stats()) {
      if (inUse.has(brokerId)) continue;
      inUse.set(brokerId, brokerStates.get(brokerId) ?? { brokerId, state: stats.state, ...(stats.reason ? { reason: stats.reason } : {}) });
    }
    return { rev: runtime.current().rev, statuses: engine.statuses(), counters: engine.counters(), brokers: [...inUse.values()] };
  };

  // Statuses are listened for only while an editor is connected: the engine then draws the
  // deferred ones (see status-batch.ts), which nobody would read otherwise.
  const onStatus = ({ nodeId, status }: { nodeId: string; status: NodeStatus }) => {
    if (statusSent.has(nodeId)) {
      statusHeld.set(nodeId, status);
      return;
    }
    statusSent.add(nodeId);
    io.emit('status', { nodeId, status });
  };
  let stopStatuses: (() => void) | undefined;
  let connected = 0;
  const onConnection = (socket: Socket<ClientToServerEvents, ServerToClientEvents>) => {
    connected++;
    stopStatuses ??= engine.events.on('status', onStatus);
    socket.emit('snapshot', snapshot());
    socket.on('disconnect', () => {
      connected--;
      if (connected > 0 || !stopStatuses) return;
      stopStatuses();
      stopStatuses = undefined;
      statusHeld.clear();
    });
  };
  io.on('connection', onConnection);

  // socket.io encodes a broadcast before it looks for receivers: with no editor open, per-message
  // events (errors, debug) are skipped here. An editor that connects gets the current statuses
  // and counters in its snapshot.
  const nobodyListens = () => io.engine.clientsCount === 0;

  const unsubscribe = [
    engine.events.on('node-error', (event) => {
      if (!nobodyListens()) io.emit('node-error', event);
    }),
    engine.events.on('deployed', (event) => {
      // Forget brokers the new flow no longer uses, so the map does not grow over deploys.
      const inUse = new Set(pool.stats().map((s) => s.brokerId));
      for (const id of brokerStates.keys()) if (!inUse.has(id)) brokerStates.delete(id);
      io.emit('deployed', event);
    }),
    engine.events.on('broker-state', (event) => {
      brokerStates.set(event.brokerId, event);
      io.emit('broker-state', event);
    }),
    engine.events.on('debug', (event) => {
      if (nobodyListens()) return;
      const decision = limiter.offer(event.nodeId, Date.now());
      if (!decision.send) return;
      io.emit('debug', {
        nodeId: event.nodeId,
        topic: event.topic,
        value: jsonSafe(event.value),
        time: event.time,
        ...(decision.dropped > 0 ? { dropped: decision.dropped } : {}),
      });
    }),
  ];

  const tick = () => {
    statusSent.clear();
    for (const [nodeId, status] of statusHeld) {
      statusSent.add(nodeId);
      io.emit('status', { nodeId, status });
    }
    statusHeld.clear();
    sendCounters();
  };

  const sendCounters = () => {
    // Nobody to tell: skip the copy; whoever connects gets the counters in the snapshot.
    if (nobodyListens()) return;
    const now = engine.counters();
    const changed: Record<string, NodeCounters> = {};
    let any = false;
    for (const [id, c] of Object.entries(now)) {
      const before = sentCounters[id];
      if (before && before.in === c.in && before.out === c.out && before.errors === c.errors && before.unavailable === c.unavailable) continue;
      changed[id] = c;
      any = true;
    }
    // Replaced rather than merged, so nodes removed by a deploy are forgotten.
    sentCounters = now;
    if (any) io.emit('counters', changed);
  };

  const flushDebug = () => {
    const time = Date.now();
    for (const { nodeId, dropped } of limiter.flush(time)) {
      io.emit('debug', { nodeId, topic: '', value: undefined, time, dropped });
    }
  };

  const countersTimer = setInterval(tick, options.countersIntervalMs ?? COUNTERS_INTERVAL_MS);
  const debugTimer = setInterval(flushDebug, options.debugFlushIntervalMs ?? DEBUG_FLUSH_INTERVAL_MS);
  // Live events are a view; they must never keep the process (or a test) alive.
  countersTimer.unref();
  debugTimer.unref();

  let stopped = false;
  return {
    stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(countersTimer);
      clearInterval(debugTimer);
      for (const off of unsubscribe) off();
      stopStatuses?.();
      io.off('connection', onConnection);
    },
  };
}
