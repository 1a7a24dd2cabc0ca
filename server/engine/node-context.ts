import type { BrokerEntry } from '../../nodes/broker.ts';
import type { BrokerHandle, ConnectionState, IncomingPublish, NodeContext, NodeStatus, NodeTimers, PublishOptions } from '../../nodes/define-node.ts';
import { ensureError } from '../../nodes/errors.ts';
import type { Message, Qos } from '../../nodes/message.ts';
import type { BrokerConnection } from '../mqtt/connection.ts';
import type { BrokerPool } from '../mqtt/pool.ts';
import type { RunningNode } from './running-node.ts';

/** What a node context needs from the engine that builds it. */
export interface ContextHost {
  readonly pool: BrokerPool;
  readonly brokers: ReadonlyMap<string, BrokerEntry>;
  readonly timers: NodeTimers;
  send(from: RunningNode, msg: Message, port: number): void;
  reportError(node: RunningNode, error: unknown, msg?: Message): void;
  reportStatus(node: RunningNode): void;
  reportDebug(node: RunningNode, msg: Message, value: unknown): void;
}

/**
 * The context lent to one running node. Everything it hands out (timers, broker handles,
 * subscriptions) is recorded in `node.cleanup`, so stopping the node undoes all of it even
 * when the node's own close() forgets something or throws.
 */
export function createNodeContext(node: RunningNode, host: ContextHost): NodeContext {
  return new RunningNodeContext(node, host);
}

// Contexts and handles are classes, not object literals of closures: send, status and publish
// run for every message, and with 1,000 rules each call would otherwise first load a closure
// and its scope that are cold in the cache. A method lives on the shared prototype.
class RunningNodeContext implements NodeContext {
  private lazyTimers: NodeTimers | undefined;
  private handles: Map<string, BrokerHandle> | undefined;

  constructor(
    private readonly node: RunningNode,
    private readonly host: ContextHost,
  ) {}

  get id(): string {
    return this.node.id;
  }

  send(msg: Message, port = 0): void {
    this.host.send(this.node, msg, port);
  }

  status(status: NodeStatus): void {
    this.node.status = status;
    this.host.reportStatus(this.node);
  }

  error(error: unknown, msg?: Message): void {
    this.host.reportError(this.node, ensureError(error), msg);
  }

  unavailable(): void {
    this.node.unavailable++;
  }

  debug(msg: Message, value: unknown): void {
    this.host.reportDebug(this.node, msg, value);
  }

  // Made on first use: most nodes never set a timer.
  get timers(): NodeTimers {
    return (this.lazyTimers ??= nodeTimers(this.node, this.host));
  }

  broker(brokerId: string, shareGroup?: string): BrokerHandle {
    const key = `${brokerId}\u0000${shareGroup ?? ''}`;
    this.handles ??= new Map();
    const known = this.handles.get(key);
    if (known) return known;
    const entry = this.host.brokers.get(brokerId);
    if (!entry) throw new Error(`there is no broker "${brokerId}"`);
    const { connection, release } = this.host.pool.acquire(entry, shareGroup);
    this.node.cleanup.add(release);
    const handle = new NodeBrokerHandle(connection, this.node, this.host);
    this.handles.set(key, handle);
    return handle;
  }
}

class NodeBrokerHandle implements BrokerHandle {
  constructor(
    private readonly connection: BrokerConnection,
    private readonly node: RunningNode,
    private readonly host: ContextHost,
  ) {}

  get state(): ConnectionState {
    return this.connection.state;
  }

  subscribe(filter: string, qos: Qos, onMessage: (publish: IncomingPublish) => void): () => void {
    const { node, host } = this;
    const unsubscribe = this.connection.subscribe(filter, qos, (publish) => {
      if (node.closed) return;
      node.in++;
      try {
        onMessage(publish);
      } catch (error) {
        host.reportError(node, error);
      }
    });
    node.cleanup.add(unsubscribe);
    return () => {
      if (node.cleanup.delete(unsubscribe)) unsubscribe();
    };
  }

  publish(topic: string, payload: string | Uint8Array, options: PublishOptions): void {
    this.connection.publish(topic, payload, options);
    this.node.out++;
  }

  onState(listener: (state: ConnectionState, reason?: string) => void): () => void {
    const node = this.node;
    const stop = this.connection.onState(guard(node, this.host, listener));
    node.cleanup.add(stop);
    return () => {
      if (node.cleanup.delete(stop)) stop();
    };
  }
}

/** `fn` as the node's own work: nothing once the node is closed, and a throw is the node's error. */
function guard<A extends unknown[]>(node: RunningNode, host: ContextHost, fn: (...args: A) => void): (...args: A) => void {
  return (...args: A): void => {
    if (node.closed) return;
    try {
      fn(...args);
    } catch (error) {
      host.reportError(node, error);
    }
  };
}

function nodeTimers(node: RunningNode, host: ContextHost): NodeTimers {
  return {
    now: () => host.timers.now(),
    setTimeout(fn, ms) {
      let handle: unknown;
      const undo = () => host.timers.clearTimeout(handle);
      handle = host.timers.setTimeout(() => {
        node.cleanup.delete(undo);
        guard(node, host, fn)();
      }, ms);
      node.cleanup.add(undo);
      return undo;
    },
    clearTimeout(handle) {
      if (typeof handle === 'function' && node.cleanup.delete(handle as () => void)) (handle as () => void)();
    },
    setInterval(fn, ms) {
      const handle = host.timers.setInterval(guard(node, host, fn), ms);
      const undo = () => host.timers.clearInterval(handle);
      node.cleanup.add(undo);
      return undo;
    },
    clearInterval(handle) {
      if (typeof handle === 'function' && node.cleanup.delete(handle as () => void)) (handle as () => void)();
    },
  };
}
