import type { ConnectionState, NodeStatus } from '../../nodes/define-node.ts';

export interface NodeCounters {
  in: number;
  out: number;
  errors: number;
  unavailable: number;
}

/** Everything the engine tells the outside world; the API and the CLI subscribe to these. */
export interface EngineEvents extends Record<string, unknown> {
  status: { nodeId: string; status: NodeStatus };
  'node-error': { nodeId: string; nodeType: string; message: string; topic?: string; time: number };
  debug: { nodeId: string; topic: string; value: unknown; time: number };
  'broker-state': { brokerId: string; state: ConnectionState; reason?: string };
  deployed: { started: string[]; stopped: string[]; unchanged: number; durationMs: number };
}
