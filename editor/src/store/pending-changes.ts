import { stableJson } from '../../../nodes/stable-json.ts';
import { changedNodeCount, nodeToDocument, toDocument } from './document.ts';
import type { EditorNode, FlowNodeData, ServerState, Snapshot } from './types.ts';

export interface PendingChanges {
  /** Anything differs from the deployed document (a moved node or a renamed tab counts). */
  dirty: boolean;
  /** Nodes a deploy would start, stop or restart (type or config changed, added, removed). */
  changedNodes: number;
}

/** A node's part of the document text and its fingerprint, for the data and position it had. */
interface NodeText {
  id: string;
  position: EditorNode['position'];
  severalTabs: boolean;
  json: string;
  fingerprint: string;
}

/**
 * By the node's data object: nodes are replaced, never changed in place, and a node that was
 * only selected, measured or dragged keeps its data (and, unless dragged, its position), so its
 * text is not serialised again. With a thousand nodes this is what keeps the deploy button's
 * count cheap enough to recompute on every change of the canvas.
 */
const nodeTexts = new WeakMap<FlowNodeData, NodeText>();

function nodeText(node: EditorNode, severalTabs: boolean): NodeText {
  const cached = nodeTexts.get(node.data);
  if (cached && cached.id === node.id && cached.position === node.position && cached.severalTabs === severalTabs) return cached;
  const entry = nodeToDocument(node, severalTabs);
  let json: string;
  let fingerprint: string;
  if (typeof entry.type === 'string' && typeof entry.id === 'string') {
    // stableJson of the entry and of {type, config}, built around one serialisation of the
    // config (keys in sorted order: config, flow, id, name, position, type).
    const config = stableJson(entry.config) as string | undefined;
    const head = config === undefined ? '' : `"config":${config},`;
    const type = JSON.stringify(entry.type);
    json =
      `{${head}${entry.flow === undefined ? '' : `"flow":${JSON.stringify(entry.flow)},`}"id":${JSON.stringify(entry.id)},` +
      `${entry.name === undefined ? '' : `"name":${JSON.stringify(entry.name)},`}` +
      `"position":{"x":${JSON.stringify(entry.position!.x)},"y":${JSON.stringify(entry.position!.y)}},"type":${type}}`;
    fingerprint = `{${head}"type":${type}}`;
  } else {
    json = stableJson(entry);
    fingerprint = stableJson({ type: entry.type, config: entry.config });
  }
  // Type and config only, both in the data: still right when only the position changed.
  if (cached && cached.id === node.id) fingerprint = cached.fingerprint;
  const text: NodeText = { id: node.id, position: node.position, severalTabs, json, fingerprint };
  nodeTexts.set(node.data, text);
  return text;
}

/** `stableJson(toDocument(snapshot))`, with each node's part serialised once (see nodeTexts). */
export function documentJson(snapshot: Snapshot): string {
  const severalTabs = snapshot.tabs.length > 1;
  const head = toDocument({ ...snapshot, nodes: [] }) as unknown as Record<string, unknown>;
  const parts: string[] = [];
  for (const key of Object.keys(head).sort()) {
    if (key === 'nodes') {
      parts.push(`"nodes":[${snapshot.nodes.map((n) => nodeText(n, severalTabs).json).join(',')}]`);
      continue;
    }
    // As JSON.stringify does, keys whose value has no JSON form (undefined) are left out.
    const json = stableJson(head[key]) as string | undefined;
    if (json !== undefined) parts.push(`${JSON.stringify(key)}:${json}`);
  }
  return `{${parts.join(',')}}`;
}

/** `nodeFingerprints(toDocument(snapshot))`, from the same per-node cache. */
export function documentFingerprints(snapshot: Snapshot): Record<string, string> {
  const severalTabs = snapshot.tabs.length > 1;
  const out: Record<string, string> = {};
  for (const n of snapshot.nodes) out[n.id] = nodeText(n, severalTabs).fingerprint;
  return out;
}

/**
 * What a deploy would change, derived from the canvas and the deployed baseline each time it
 * is asked (never stored), so undoing back to the deployed state reads "no changes".
 */
export function pendingChanges(snapshot: Snapshot, server: Pick<ServerState, 'deployedDocument' | 'deployedNodes'>): PendingChanges {
  return {
    dirty: documentJson(snapshot) !== server.deployedDocument,
    changedNodes: changedNodeCount(documentFingerprints(snapshot), server.deployedNodes),
  };
}
