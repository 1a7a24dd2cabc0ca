import type { BrokerEntry } from '../../nodes/broker.ts';
import type { NodeRuntime, NodeStatus, NodeTimers } from '../../nodes/define-node.ts';
import type { FlowDocument } from '../../nodes/document/schema.ts';
import { ensureError, UserInputError } from '../../nodes/errors.ts';
import { newMessage, type Message } from '../../nodes/message.ts';
import { nodeRuntimes } from '../../nodes/runtimes.ts';
import type { BrokerPool } from '../mqtt/pool.ts';
import { DeliveryQueue } from './delivery-queue.ts';
import type { EngineEvents, NodeCounters } from './events.ts';
import type { ContextHost } from './node-context.ts';
import { startNode, stopNode } from './node-lifecycle.ts';
import { LastDeploy } from './last-deploy.ts';
import { realTimers } from './real-timers.ts';
import { BrokerJson, nodeHash } from './node-hash.ts';
import { countersOf, setRoutes, type RunningNode } from './running-node.ts';
import { stableJson } from '../../nodes/stable-json.ts';
import { TypedEmitter } from './typed-emitter.ts';
import { flushStatuses, watchStatuses } from '../../nodes/status-batch.ts';

/** A message that has passed this many nodes is caught in a loop and is stopped. */
export const MAX_HOPS = 1000;
const QUEUE_FULL = 'too many messages waiting in the flow; this one was dropped';

export interface EngineOptions {
  readonly pool: BrokerPool;
  readonly runtimes?: ReadonlyMap<string, NodeRuntime>;
  readonly timers?: NodeTimers;
}

export interface DeployOptions {
  /** Saved state for a node about to start, if its hash matches what was saved. */
  readonly restore?: (nodeId: string, hash: string) => unknown;
}

/** What a node saved, with the hash of the config it ran with. */
export interface SavedNodeState {
  readonly hash: string;
  readonly state: unknown;
}

export interface DeployResult {
  readonly started: string[];
  readonly stopped: string[];
  readonly unchanged: number;
  readonly durationMs: number;
}

/**
 * Runs a validated flow document: starts its nodes, moves messages along its edges, counts
 * and reports. A node's failure is that node's error, never the process's. Deploys are
 * diffs: nodes whose type, config and broker settings are unchanged keep running.
 */
export class Engine {
  /** Deferred statuses (see status-batch.ts) are drawn while anyone listens for them. */
  readonly events = new TypedEmitter<EngineEvents>((event, listening) => {
    if (event !== 'status') return;
    this.unwatchStatuses?.();
    this.unwatchStatuses = listening ? watchStatuses() : undefined;
  });
  private unwatchStatuses: (() => void) | undefined;
  private nodes = new Map<string, RunningNode>();
  private brokers = new Map<string, BrokerEntry>();
  private readonly runtimes: ReadonlyMap<string, NodeRuntime>;
  private readonly queue: DeliveryQueue<RunningNode>;
  private readonly host: ContextHost;
  private readonly last = new LastDeploy();

  constructor(private readonly options: EngineOptions) {
    this.runtimes = options.runtimes ?? nodeRuntimes;
    this.queue = new DeliveryQueue((node, msg) => this.deliver(node, msg));
    const engine = this;
    this.host = {
      pool: options.pool,
      get brokers() {
        return engine.brokers;
      },
      timers: options.timers ?? realTimers,
      send: (from, msg, port) => this.send(from, msg, port),
      reportError: (node, error, msg) => this.reportError(node, error, msg),
      reportStatus: (node) => {
        if (this.events.has('status')) this.events.emit('status', { nodeId: node.id, status: node.status! });
      },
      reportDebug: (node, msg, value) =>
        this.events.emit('debug', { nodeId: node.id, topic: msg.topic, value, time: Date.now() }),
    };
  }

  /**
   * Make `doc` (already validated) the running flow. Only nodes that are new or changed
   * start and only removed or changed ones stop; the routing switches in one step. If a
   * node fails to start, the new nodes are stopped again and the running flow is untouched.
   */
  deploy(doc: FlowDocument, options: DeployOptions = {}): DeployResult {
    const begin = performance.now();
    this.queue.flush();
    const brokers = new Map(doc.brokers.map((b) => [b.id, b]));
    const brokerJson = new BrokerJson(brokers);
    const brokersText = stableJson(doc.brokers);
    const previousBrokers = this.brokers;
    const next = new Map<string, RunningNode>();
    const placed: RunningNode[] = new Array<RunningNode>(doc.nodes.length);
    const started: RunningNode[] = [];
    // Nodes start against the new broker entries; restore the old ones if a start fails.
    this.brokers = brokers;
    try {
      for (let i = 0; i < doc.nodes.length; i++) {
        const spec = doc.nodes[i]!;
        const same = this.last.unchanged(i, spec, brokersText);
        if (same) {
          next.set(spec.id, same);
          placed[i] = same;
          continue;
        }
        const runtime = this.runtimes.get(spec.type);
        if (!runtime) throw new UserInputError(`node ${spec.id}: unknown node type "${spec.type}"`);
        const hash = nodeHash(spec.type, spec.config, runtime.definition.brokerFields ?? [], brokerJson);
        const running = this.nodes.get(spec.id);
        if (running && running.hash === hash) {
          next.set(spec.id, running);
          placed[i] = running;
          continue;
        }
        const node = startNode(spec.id, spec.type, hash, runtime, spec.config, this.host);
        started.push(node);
        const saved = options.restore?.(spec.id, hash);
        if (saved !== undefined && node.instance.restoreState) {
          try {
            node.instance.restoreState(saved);
          } catch (error) {
            this.reportError(node, new Error(`saved state not restored: ${ensureError(error).message}`));
          }
        }
        next.set(spec.id, node);
        placed[i] = node;
      }
    } catch (error) {
      for (const node of started) stopNode(node, this.host);
      this.brokers = previousBrokers;
      throw error;
    }

    const routes = new Map<RunningNode, RunningNode[][]>();
    for (const edge of doc.edges) {
      const source = next.get(edge.source);
      const target = next.get(edge.target);
      if (!source || !target) continue;
      let ports = routes.get(source);
      if (!ports) routes.set(source, (ports = []));
      (ports[edge.sourcePort] ??= []).push(target);
    }
    for (const node of next.values()) setRoutes(node, routes.get(node) ?? []);
    const stopped: string[] = [];
    for (const [id, node] of this.nodes) {
      if (next.get(id) !== node) {
        stopNode(node, this.host);
        stopped.push(id);
      }
    }
    this.nodes = next;
    this.last.remember(doc.nodes, placed, brokersText);
    const result: DeployResult = {
      started: started.map((n) => n.id),
      stopped,
      unchanged: next.size - started.length,
      durationMs: performance.now() - begin,
    };
    return result;
  }

  /** Send a test message into a node: an inject fires, any other node gets `payload` as input. */
  inject(nodeId: string, payload?: unknown, topic = ''): boolean {
    const node = this.nodes.get(nodeId);
    if (!node) return false;
    if (node.instance.trigger) {
      try {
        node.instance.trigger(payload === undefined ? undefined : { payload, topic });
      } catch (error) {
        this.reportError(node, error);
      }
      return true;
    }
    if (!node.instance.input) return false;
    this.queue.push(node, newMessage({ payload, topic }));
    return true;
  }

  counters(): Record<string, NodeCounters> {
    const out: Record<string, NodeCounters> = {};
    for (const [id, node] of this.nodes) out[id] = countersOf(node);
    return out;
  }

  /** Every node's current status (deferred ones drawn first). */
  statuses(): Record<string, NodeStatus> {
    flushStatuses();
    const out: Record<string, NodeStatus> = {};
    for (const [id, node] of this.nodes) if (node.status) out[id] = node.status;
    return out;
  }

  /** The state of every node that keeps some (threshold per-topic states and timers). */
  saveStates(): Record<string, SavedNodeState> {
    const out: Record<string, SavedNodeState> = {};
    for (const [id, node] of this.nodes) {
      if (!node.instance.saveState) continue;
      try {
        out[id] = { hash: node.hash, state: node.instance.saveState() };
      } catch (error) {
        this.reportError(node, error);
      }
    }
    return out;
  }

  /** Ids and types of the running nodes. */
  nodeTypes(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [id, node] of this.nodes) out[id] = node.type;
    return out;
  }

  /** Stop every node and close every broker connection. */
  async stop(): Promise<void> {
    const closing = [...this.nodes.values()].map((n) => stopNode(n, this.host));
    this.nodes = new Map();
    this.last.forget();
    this.unwatchStatuses?.();
    this.unwatchStatuses = undefined;
    await Promise.all(closing);
    await this.options.pool.closeAll();
  }

  private send(from: RunningNode, msg: Message, port: number): void {
    if (from.closed) return;
    from.out++;
    const sole = port === 0 ? from.soleTarget : undefined;
    const targets = sole ? undefined : from.routes[port];
    if (!sole && !targets?.length) return;
    if (msg.hops >= MAX_HOPS) {
      this.reportError(from, new Error(`a message passed ${MAX_HOPS} nodes and was stopped: the flow has a loop`), msg);
      return;
    }
    const next: Message = { ...msg, hops: msg.hops + 1 };
    if (sole) {
      if (!this.queue.push(sole, next)) this.reportError(from, new Error(QUEUE_FULL), msg);
      return;
    }
    for (const target of targets!) {
      if (!this.queue.push(target, next)) {
        this.reportError(from, new Error(QUEUE_FULL), msg);
        return;
      }
    }
  }

  private deliver(node: RunningNode, msg: Message): void {
    if (node.closed || !node.instance.input) return;
    node.in++;
    try {
      const result: unknown = node.instance.input(msg);
      if (result instanceof Promise) result.catch((error: unknown) => this.reportError(node, error, msg));
    } catch (error) {
      this.reportError(node, error, msg);
    }
  }

  private reportError(node: RunningNode, error: unknown, msg?: Message): void {
    node.errors++;
    const message = ensureError(error).message;
    node.status = { fill: 'red', text: message.length > 80 ? `${message.slice(0, 79)}…` : message };
    this.events.emit('status', { nodeId: node.id, status: node.status });
    this.events.emit('node-error', {
      nodeId: node.id,
      nodeType: node.type,
      message,
      ...(msg ? { topic: msg.topic } : {}),
      time: Date.now(),
    });
  }
}
