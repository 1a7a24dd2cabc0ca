/**
 * What the server and the editor say to each other: HTTP reply shapes and the socket.io
 * event maps. Types only, so the editor imports it with `import type` at no cost.
 */
import type { ConnectionState, NodeStatus } from './define-node.ts';
import type { Problem } from './errors.ts';

export interface NodeCounters {
  in: number;
  out: number;
  errors: number;
  unavailable: number;
}

/** Every error reply of the API. */
export interface ApiErrorBody {
  error: { code: string; message: string; details?: unknown };
}

export interface FlowsReply {
  rev: string | null;
  document: unknown;
  /** Which broker entries have a password or key passphrase stored; the secrets themselves never leave. */
  credentials: Record<string, { hasPassword: boolean; hasPassphrase: boolean }>;
}

export interface DeployReply {
  rev: string;
  started: string[];
  stopped: string[];
  unchanged: number;
  durationMs: number;
  warnings: Problem[];
}

export interface ValidateReply {
  ok: boolean;
  errors: Problem[];
  warnings: Problem[];
}

export interface RevisionInfo {
  rev: string;
  savedAt: string;
  note?: string;
  nodeCount: number;
}

export interface SeenTopic {
  broker: string;
  topic: string;
  /** The last payload as text (cut at 1 KB), or base64 for binary data. */
  payload: string;
  binary: boolean;
  retained: boolean;
  count: number;
  lastSeen: string;
}

export interface BrokerStateEvent {
  brokerId: string;
  state: ConnectionState;
  reason?: string;
}

/**
 * A debug node's output. An event with no `value` key only reports `dropped` messages of a
 * node that went quiet after being rate-limited; every real message has a `value`.
 */
export interface DebugEvent {
  nodeId: string;
  topic: string;
  /** The value made JSON-safe: unavailable as the string "unavailable", bytes as base64. */
  value?: unknown;
  time: number;
  /** Messages of this node dropped by the rate limit since the last one sent. */
  dropped?: number;
}

export interface NodeErrorEvent {
  nodeId: string;
  nodeType: string;
  message: string;
  topic?: string;
  time: number;
}

export interface DeployedEvent {
  rev: string;
  started: string[];
  stopped: string[];
  unchanged: number;
  durationMs: number;
}

/** Sent to each editor when it connects: the last status of every node and broker. */
export interface SnapshotEvent {
  rev: string | null;
  statuses: Record<string, NodeStatus>;
  counters: Record<string, NodeCounters>;
  brokers: BrokerStateEvent[];
}

export interface ServerToClientEvents {
  snapshot: (event: SnapshotEvent) => void;
  status: (event: { nodeId: string; status: NodeStatus }) => void;
  debug: (event: DebugEvent) => void;
  'node-error': (event: NodeErrorEvent) => void;
  /** Counters of the nodes that changed since the last batch. */
  counters: (event: Record<string, NodeCounters>) => void;
  deployed: (event: DeployedEvent) => void;
  'broker-state': (event: BrokerStateEvent) => void;
}

export type ClientToServerEvents = Record<string, never>;

/** An example flow shipped in flows/, as `GET /api/examples` lists it. */
export interface ExampleInfo {
  file: string;
  name: string;
  description: string;
  devices: string[];
  nodeCount: number;
}
