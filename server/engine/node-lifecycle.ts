import type { NodeRuntime } from '../../nodes/define-node.ts';
import { ensureError, UserInputError } from '../../nodes/errors.ts';
import { waitAtMost } from '../wait-at-most.ts';
import { createNodeContext, type ContextHost } from './node-context.ts';
import { newRunningNode, type RunningNode } from './running-node.ts';

/** How long a node's close() may take before the engine stops waiting for it. */
export const CLOSE_TIMEOUT_MS = 2000;

/**
 * Create a node's instance. A failing create is the deploy's error, naming the node; whatever
 * it was lent before it failed (subscriptions, timers) is given back first.
 */
export function startNode(id: string, type: string, hash: string, runtime: NodeRuntime, config: unknown, host: ContextHost): RunningNode {
  const node = newRunningNode(id, type, hash);
  try {
    node.instance = runtime.create(config as never, createNodeContext(node, host));
  } catch (error) {
    node.closed = true;
    for (const undo of node.cleanup) undo();
    const cause = ensureError(error);
    throw new UserInputError(`node ${id} (${type}) failed to start: ${cause.message}`, [
      { code: 'node.start-failed', nodeId: id, message: cause.message },
    ]);
  }
  return node;
}

/** Close a node (waiting at most CLOSE_TIMEOUT_MS), then undo everything it was lent. */
export async function stopNode(node: RunningNode, host: ContextHost): Promise<void> {
  if (node.closed) return;
  node.closed = true;
  try {
    const closing = node.instance.close?.();
    if (closing) await waitAtMost(closing, CLOSE_TIMEOUT_MS);
  } catch (error) {
    host.reportError(node, error);
  } finally {
    for (const undo of node.cleanup) undo();
    node.cleanup.clear();
  }
}
