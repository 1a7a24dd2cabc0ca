import type { Edge, Node } from '@xyflow/react';
import type { BrokerEntryInput } from '../../../nodes/broker.ts';
import type { NodeStatus } from '../../../nodes/define-node.ts';
import type { Problem } from '../../../nodes/errors.ts';
import type { BrokerStateEvent, NodeCounters } from '../../../nodes/protocol.ts';

/** What a canvas node carries: plain JSON only (it is saved, copied and undone as is). */
export interface FlowNodeData extends Record<string, unknown> {
  /** The topicflow node type (`mqtt-in`, `threshold`…). */
  type: string;
  name?: string;
  config: Record<string, unknown>;
  /** The tab the node is drawn on. */
  flow?: string;
}

/** A canvas node; its React Flow type is always `topicflow` (one component draws every kind). */
export type EditorNode = Node<FlowNodeData, 'topicflow'>;
/** A canvas edge; `sourceHandle` is `out-<port>`, `targetHandle` is `in`. */
export type EditorEdge = Edge;

export interface FlowTab {
  id: string;
  label: string;
}

export interface DocumentMeta {
  name?: string;
  description?: string;
  devices?: string[];
}

/** Everything an undo step restores: the document as edited. */
export interface Snapshot {
  nodes: EditorNode[];
  edges: EditorEdge[];
  brokers: BrokerEntryInput[];
  tabs: FlowTab[];
  meta: DocumentMeta;
}

export interface DebugEntry {
  /** Increasing number, for React keys and "new since". */
  seq: number;
  nodeId: string;
  topic: string;
  value: unknown;
  time: number;
}

/** `confirming`: the validator found warnings the user has not accepted yet (see `warnings`). */
export type DeployState = 'idle' | 'deploying' | 'confirming' | 'done' | 'failed';

export interface LiveState {
  statuses: Record<string, NodeStatus>;
  counters: Record<string, NodeCounters>;
  brokerStates: Record<string, BrokerStateEvent>;
  /** Newest last, bounded. */
  debug: DebugEntry[];
  /** Debug messages the server or this page dropped (rate limits, pause, the bound). */
  debugDropped: number;
  debugPaused: boolean;
  /** Show only this node's messages. */
  debugFilter?: string;
  /** Time (ms) until which each edge pulses, by edge id. */
  pulses: Record<string, number>;
  connected: boolean;
}

export interface ServerState {
  rev: string | null;
  /** Stable JSON per node id of the last deployed document (type + config), for the change count. */
  deployedNodes: Record<string, string>;
  /** Stable JSON of the whole last deployed document (names, positions, brokers included). */
  deployedDocument: string;
  deployState: DeployState;
  deployMessage?: string;
  /** Problems the server or the validator attached to nodes, by node id. */
  nodeProblems: Record<string, Problem[]>;
  /** Problems not tied to one node (brokers, edges, the document). */
  otherProblems: Problem[];
  warnings: Problem[];
  /** Keys (see `warningKey`) of warnings the user chose to deploy with; not asked about again. */
  acceptedWarnings: string[];
  /** A 409: someone else deployed `theirRev`; the user chooses load theirs / overwrite. */
  conflict?: { theirRev: string | null };
  /** The user chose to overwrite this rev (after a 409); kept while they confirm warnings. */
  overwriteRev?: string | null;
  /** Which broker entries have a stored password. */
  credentials: Record<string, { hasPassword: boolean; hasPassphrase: boolean }>;
}
