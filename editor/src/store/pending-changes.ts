import { stableJson } from '../../../nodes/stable-json.ts';
import { changedNodeCount, nodeFingerprints, toDocument } from './document.ts';
import type { ServerState, Snapshot } from './types.ts';

export interface PendingChanges {
  /** Anything differs from the deployed document (a moved node or a renamed tab counts). */
  dirty: boolean;
  /** Nodes a deploy would start, stop or restart (type or config changed, added, removed). */
  changedNodes: number;
}

/**
 * What a deploy would change, derived from the canvas and the deployed baseline each time it
 * is asked (never stored), so undoing back to the deployed state reads "no changes".
 */
export function pendingChanges(snapshot: Snapshot, server: Pick<ServerState, 'deployedDocument' | 'deployedNodes'>): PendingChanges {
  const document = toDocument(snapshot);
  return {
    dirty: stableJson(document) !== server.deployedDocument,
    changedNodes: changedNodeCount(nodeFingerprints(document), server.deployedNodes),
  };
}
