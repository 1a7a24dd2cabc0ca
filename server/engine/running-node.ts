import type { NodeInstance, NodeStatus } from '../../nodes/define-node.ts';
import type { NodeCounters } from './events.ts';

/**
 * A node as the engine runs it: its instance, its outgoing routes, counters and status.
 * Counters and the usual single route are fields of this object rather than objects of their
 * own: a message passing through touches one object per node, which with 1,000 rules is
 * seldom still in the CPU's cache.
 */
export interface RunningNode {
  readonly id: string;
  readonly type: string;
  /** Hash of what makes the node behave as it does; a deploy restarts it only when this changes. */
  readonly hash: string;
  instance: NodeInstance;
  /** Targets per output port, resolved to running nodes; replaced as a whole at each deploy. */
  routes: RunningNode[][];
  /** The target when the node has exactly one, on port 0 (the usual wire); undefined otherwise. */
  soleTarget: RunningNode | undefined;
  in: number;
  out: number;
  errors: number;
  unavailable: number;
  status: NodeStatus | undefined;
  closed: boolean;
  /** Undo steps for what the node was lent: timers, subscriptions, broker connections. */
  readonly cleanup: Set<() => void>;
}

export function newRunningNode(id: string, type: string, hash: string): RunningNode {
  return {
    id,
    type,
    hash,
    instance: {},
    routes: [],
    soleTarget: undefined,
    in: 0,
    out: 0,
    errors: 0,
    unavailable: 0,
    status: undefined,
    closed: false,
    cleanup: new Set(),
  };
}

export function countersOf(node: RunningNode): NodeCounters {
  return { in: node.in, out: node.out, errors: node.errors, unavailable: node.unavailable };
}

/** Set `routes` (and `soleTarget` from it): the node's targets per port after a deploy. */
export function setRoutes(node: RunningNode, routes: RunningNode[][]): void {
  node.routes = routes;
  const first = routes[0];
  node.soleTarget = routes.length === 1 && first?.length === 1 ? first[0] : undefined;
}
