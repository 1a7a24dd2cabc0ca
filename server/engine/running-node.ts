import type { NodeInstance, NodeStatus } from '../../nodes/define-node.ts';
import type { NodeCounters } from './events.ts';

/** A node as the engine runs it: its instance, its outgoing routes, counters and status. */
export interface RunningNode {
  readonly id: string;
  readonly type: string;
  /** Hash of what makes the node behave as it does; a deploy restarts it only when this changes. */
  readonly hash: string;
  instance: NodeInstance;
  /** Targets per output port, resolved to running nodes; replaced as a whole at each deploy. */
  routes: RunningNode[][];
  readonly counters: NodeCounters;
  status: NodeStatus | undefined;
  closed: boolean;
  /** Undo steps for what the node was lent: timers, subscriptions, broker connections. */
  readonly cleanup: Set<() => void>;
}
