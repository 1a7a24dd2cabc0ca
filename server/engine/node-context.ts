import type { BrokerEntry } from '../../nodes/broker.ts';
import type { BrokerHandle, NodeContext, NodeTimers } from '../../nodes/define-node.ts';
import { ensureError } from '../../nodes/errors.ts';
import type { Message } from '../../nodes/message.ts';
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
  const guard = <A extends unknown[]>(fn: (...args: A) => void) =>
    (...args: A): void => {
      if (node.closed) return;
      try {
        fn(...args);
      } catch (error) {
        host.reportError(node, error);
      }
    };

  const timers: NodeTimers = {
    now: () => host.timers.now(),
    setTimeout(fn, ms) {
      let handle: unknown;
      const undo = () => host.timers.clearTimeout(handle);
      handle = host.timers.setTimeout(() => {
        node.cleanup.delete(undo);
        guard(fn)();
      }, ms);
      node.cleanup.add(undo);
      return undo;
    },
    clearTimeout(handle) {
      if (typeof handle === 'function' && node.cleanup.delete(handle as () => void)) (handle as () => void)();
    },
    setInterval(fn, ms) {
      const handle = host.timers.setInterval(guard(fn), ms);
      const undo = () => host.timers.clearInterval(handle);
      node.cleanup.add(undo);
      return undo;
    },
    clearInterval(handle) {
      if (typeof handle === 'function' && node.cleanup.delete(handle as () => void)) (handle as () => void)();
    },
  };

  const handles = new Map<string, BrokerHandle>();
  const broker = (brokerId: string, shareGroup?: string): BrokerHandle => {
    const key = `${brokerId}\u0000${shareGroup ?? ''}`;
    const known = handles.get(key);
    if (known) return known;
    const entry = host.brokers.get(brokerId);
    if (!entry) throw new Error(`there is no broker "${brokerId}"`);
    const { connection, release } = host.pool.acquire(entry, shareGroup);
    node.cleanup.add(release);
    const handle: BrokerHandle = {
      get state() {
        return connection.state;
      },
      subscribe(filter, qos, onMessage) {
        const unsubscribe = connection.subscribe(filter, qos, (publish) => {
          if (node.closed) return;
          node.counters.in++;
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
      },
      publish(topic, payload, options) {
        connection.publish(topic, payload, options);
        node.counters.out++;
      },
      onState(listener) {
        const stop = connection.onState(guard(listener));
        node.cleanup.add(stop);
        return () => {
          if (node.cleanup.delete(stop)) stop();
        };
      },
    };
    handles.set(key, handle);
    return handle;
  };

  return {
    id: node.id,
    send: (msg, port = 0) => host.send(node, msg, port),
    status(status) {
      node.status = status;
      host.reportStatus(node);
    },
    error: (error, msg) => host.reportError(node, ensureError(error), msg),
    unavailable: () => void node.counters.unavailable++,
    debug: (msg, value) => host.reportDebug(node, msg, value),
    timers,
    broker,
  };
}
