import type { RequestHandler } from 'express';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { FlowRuntime } from '../app/flow-runtime.ts';
import type { NodeCounters } from '../engine/events.ts';

/** Every outcome a deploy can have, as the `result` label of `topicflow_deploys_total`. */
export const DEPLOY_RESULTS = ['ok', 'invalid', 'failed', 'conflict'] as const;

/** Deploys mostly take milliseconds; a new broker connection can take seconds. */
const DEPLOY_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

const NODE_COUNTERS: { name: string; help: string; field: keyof NodeCounters }[] = [
  { name: 'topicflow_node_messages_in_total', help: 'Messages a node received (since it last started)', field: 'in' },
  { name: 'topicflow_node_messages_out_total', help: 'Messages a node sent (since it last started)', field: 'out' },
  { name: 'topicflow_node_errors_total', help: 'Errors a node reported (since it last started)', field: 'errors' },
  { name: 'topicflow_node_unavailable_total', help: 'Unavailable values a node dropped (since it last started)', field: 'unavailable' },
];

/**
 * `GET /metrics` in the Prometheus text format: per-node message, error and unavailable
 * counters (labels `node`, `type`), deploys by result and their duration, the state and
 * send queue of each broker connection, and the process metrics prom-client collects.
 *
 * Each call makes its own registry, never prom-client's global one: several servers in one
 * process (tests) would otherwise share and clash. Node and broker figures are read from
 * the runtime at scrape time, so they are never stale and cost nothing between scrapes; a
 * node that restarts (changed config) starts its counters from zero, which Prometheus reads
 * as a counter reset. Deploy counts are kept from the engine's events from this call on.
 */
export function metricsHandler(runtime: FlowRuntime): RequestHandler {
  const registry = new Registry();
  const { engine, pool } = runtime;

  for (const { name, help, field } of NODE_COUNTERS) {
    new Counter({
      name,
      help,
      labelNames: ['node', 'type'] as const,
      registers: [registry],
      collect() {
        // Rebuilt on each scrape, so nodes removed by a deploy disappear from the output.
        this.reset();
        const types = engine.nodeTypes();
        for (const [node, counters] of Object.entries(engine.counters())) {
          this.inc({ node, type: types[node] ?? 'unknown' }, counters[field]);
        }
      },
    });
  }

  const deploys = new Counter({
    name: 'topicflow_deploys_total',
    help: 'Deploys by result: ok, invalid (refused by validation), failed (rolled back), conflict (stale rev)',
    labelNames: ['result'] as const,
    registers: [registry],
  });
  // Every result shows from the first scrape, so rate() and alerts see a 0 rather than nothing.
  for (const result of DEPLOY_RESULTS) deploys.inc({ result }, 0);
  const duration = new Histogram({
    name: 'topicflow_deploy_duration_seconds',
    help: 'Time the engine took to apply a successful deploy',
    buckets: DEPLOY_BUCKETS,
    registers: [registry],
  });
  engine.events.on('deployed', (event) => {
    deploys.inc({ result: 'ok' });
    duration.observe(event.durationMs / 1000);
  });
  engine.events.on('deploy-refused', (event) => deploys.inc({ result: event.reason }));

  new Gauge({
    name: 'topicflow_broker_connected',
    help: 'Whether every connection to the broker entry is connected (1) or not (0)',
    labelNames: ['broker'] as const,
    registers: [registry],
    collect() {
      this.reset();
      // A broker entry can have several connections (one per shared-subscription group).
      const connected = new Map<string, boolean>();
      for (const { brokerId, stats } of pool.stats()) {
        connected.set(brokerId, (connected.get(brokerId) ?? true) && stats.state === 'connected');
      }
      for (const [broker, up] of connected) this.set({ broker }, up ? 1 : 0);
    },
  });
  new Gauge({
    name: 'topicflow_broker_queued_messages',
    help: 'Messages waiting to be published to the broker while it is unreachable',
    labelNames: ['broker'] as const,
    registers: [registry],
    collect() {
      this.reset();
      const queued = new Map<string, number>();
      for (const { brokerId, stats } of pool.stats()) queued.set(brokerId, (queued.get(brokerId) ?? 0) + stats.queued);
      for (const [broker, n] of queued) this.set({ broker }, n);
    },
  });

  collectDefaultMetrics({ register: registry });

  return async (_req, res) => {
    const text = await registry.metrics();
    res.setHeader('Content-Type', registry.contentType);
    res.setHeader('Cache-Control', 'no-store');
    res.end(text);
  };
}
