import type { ConnectionState, NodeStatus } from '../../nodes/define-node.ts';

import type { DeployedEvent, NodeCounters } from '../../nodes/protocol.ts';

export type { NodeCounters };

/** Everything the engine tells the outside world; the API and the CLI subscribe to these. */
export interface EngineEvents extends Record<string, unknown> {
  status: { nodeId: string; status: NodeStatus };
  'node-error': { nodeId: string; nodeType: string; message: string; topic?: string; time: number };
  debug: { nodeId: string; topic: string; value: unknown; time: number };
  'broker-state': { brokerId: string; state: ConnectionState; reason?: string };
  deployed: DeployedEvent;
  /** A deploy that did not happen: invalid document, failed start (rolled back) or stale rev. */
  'deploy-refused': { reason: 'invalid' | 'failed' | 'conflict'; message: string };
}
