import assert from 'node:assert/strict';
import type { FlowDocument } from '../../nodes/document/schema.ts';
import { validateDocument } from '../../nodes/document/validate.ts';
import { Engine } from '../../server/engine/engine.ts';
import type { EngineEvents } from '../../server/engine/events.ts';
import type { BrokerSecrets } from '../../server/mqtt/client-options.ts';
import { BrokerPool } from '../../server/mqtt/pool.ts';

/** Validate a document in a test; fails the test with every problem when it is invalid. */
export function validDocument(input: unknown): FlowDocument {
  const result = validateDocument(input);
  assert.ok(result.ok, `document invalid: ${JSON.stringify(result.errors, null, 2)}`);
  return result.document!;
}

export interface RunningFlow {
  readonly engine: Engine;
  readonly pool: BrokerPool;
  readonly debug: EngineEvents['debug'][];
  readonly errors: EngineEvents['node-error'][];
  readonly brokerStates: EngineEvents['broker-state'][];
  stop(): Promise<void>;
}

/** Run a document in this process against real brokers, recording what the engine reports. */
let runs = 0;

export function runFlow(input: unknown, options: { secrets?: Record<string, BrokerSecrets> } = {}): RunningFlow {
  const brokerStates: EngineEvents['broker-state'][] = [];
  const pool = new BrokerPool({
    // Each run is its own install: runtimes sharing a client id would kick each other off.
    installId: `test${process.pid}x${++runs}`,
    secrets: (id) => options.secrets?.[id],
    onState: (brokerId, state, reason) => brokerStates.push({ brokerId, state, ...(reason ? { reason } : {}) }),
  });
  const engine = new Engine({ pool });
  const debug: EngineEvents['debug'][] = [];
  const errors: EngineEvents['node-error'][] = [];
  engine.events.on('debug', (e) => debug.push(e));
  engine.events.on('node-error', (e) => errors.push(e));
  engine.deploy(validDocument(input));
  return { engine, pool, debug, errors, brokerStates, stop: () => engine.stop() };
}

/** Wait until `check` is true, polling every 10 ms; fails with `what` after `timeoutMs`. */
export async function waitFor(check: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Let the broker deliver anything still in flight (for asserting that nothing more arrives). */
export function settle(ms = 300): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Wait until every broker connection of the flow is connected and every subscription acknowledged. */
export async function waitSubscribed(flow: { pool: BrokerPool; brokerStates?: unknown[] }): Promise<void> {
  await waitFor(
    () => {
      const all = flow.pool.stats();
      return all.length > 0 && all.every((c) => c.stats.state === 'connected' && c.stats.awaitingSubscriptions === 0 && c.stats.subscriptions.length > 0);
    },
    `broker subscriptions (states: ${JSON.stringify(flow.brokerStates?.slice(-3) ?? flow.pool.stats())})`,
  );
}
