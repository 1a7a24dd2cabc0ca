/**
 * Carrying out an import on the store, as one undo step: "add" merges the file into the open
 * tab without touching anything there (see mergeDocument), "replace" swaps the whole flow.
 * Nodes without positions (or from several tabs, when added to one) are laid out first.
 */
import { fromDocument, type EditorDocument } from '../store/document.ts';
import { useEditor } from '../store/editor-store.ts';
import { mergeDocument, type IncomingDocument, type MergeResult } from './import.ts';
import { placeNodes } from './layout.ts';

export type ImportMode = 'add' | 'replace';

export interface ImportOutcome {
  mode: ImportMode;
  /** The ids the imported nodes have on the canvas. */
  nodeIds: string[];
  /** For "add": how the file was fitted in. */
  merge?: MergeResult;
  /** The tab the nodes were added to. */
  tabLabel: string;
  laidOut: boolean;
}

/** True when the file's nodes need a layout: some lack a position, or several tabs go onto one. */
export function needsLayout(doc: IncomingDocument, mode: ImportMode): boolean {
  if (doc.nodes.some((n) => !n.position)) return true;
  return mode === 'add' && (doc.flows?.length ?? 0) > 1;
}

/** What "add" would do with `doc` now (for the preview). */
export function previewMerge(doc: IncomingDocument): MergeResult {
  return mergeDocument(useEditor.getState().document(), doc);
}

/** Import `doc` into the editor (one undo step) and select the imported nodes. */
export function applyImport(doc: IncomingDocument, mode: ImportMode): ImportOutcome {
  const store = useEditor.getState();
  const laidOut = needsLayout(doc, mode);
  if (mode === 'replace') {
    const edges = doc.edges ?? [];
    const nodes = laidOut ? placeNodes(doc.nodes, edges, [], true) : doc.nodes;
    store.replaceDocument({ ...doc, nodes, edges, brokers: doc.brokers ?? [] } as Partial<EditorDocument>);
    const after = useEditor.getState();
    return { mode, nodeIds: nodes.map((n) => n.id), tabLabel: after.tabs[0]?.label ?? '', laidOut };
  }

  const merge = mergeDocument(store.document(), doc);
  const tab = store.activeTab;
  const onTab = store.nodes.filter((n) => (n.data.flow ?? tab) === tab).map((n) => n.position);
  const placed = placeNodes(merge.nodes, merge.edges, onTab, laidOut);
  const snapshot = fromDocument({ nodes: placed, edges: merge.edges });
  const nodes = snapshot.nodes.map((n) => ({ ...n, selected: true, data: { ...n.data, flow: tab } }));
  // The imported nodes become the selection: easy to move them all at once, or to delete them.
  const deselect = store.nodes.filter((n) => n.selected).map((n) => ({ type: 'select' as const, id: n.id, selected: false }));
  if (deselect.length > 0) store.onNodesChange(deselect);
  useEditor.getState().addElements({ nodes, edges: snapshot.edges, brokers: merge.brokers });
  return { mode, nodeIds: nodes.map((n) => n.id), merge, tabLabel: store.tabs.find((t) => t.id === tab)?.label ?? tab, laidOut };
}

/** The merged document and the ids it added, from a `POST /api/import` reply in merge/replace mode. */
export interface ServerMerge {
  document: IncomingDocument;
  addedNodes: string[];
}

/** Read the `merged` part of the server's import reply; throws when it is missing. */
export function readMergedReply(reply: unknown): ServerMerge {
  const merged = (reply as { merged?: { document?: IncomingDocument; plan?: { added?: { nodes?: string[] } } } } | undefined)?.merged;
  if (!merged?.document || !Array.isArray(merged.document.nodes)) throw new Error('the server sent back no merged flow');
  return { document: merged.document, addedNodes: merged.plan?.added?.nodes ?? [] };
}

/** Put the server's merged document on the canvas (one undo step), laying out the added nodes. */
export function applyServerMerge(merge: ServerMerge, mode: ImportMode): ImportOutcome {
  const store = useEditor.getState();
  const added = new Set(merge.addedNodes);
  const edges = merge.document.edges ?? [];
  const keep = merge.document.nodes.filter((n) => !added.has(n.id));
  const fresh = merge.document.nodes.filter((n) => added.has(n.id));
  const laidOut = fresh.some((n) => !n.position);
  const placed = laidOut ? placeNodes(fresh, edges, keep.flatMap((n) => (n.position ? [n.position] : [])), true) : fresh;
  store.replaceDocument({ ...merge.document, nodes: [...keep, ...placed], edges, brokers: merge.document.brokers ?? [] } as Partial<EditorDocument>);
  const after = useEditor.getState();
  return { mode, nodeIds: [...added], tabLabel: after.tabs.find((t) => t.id === after.activeTab)?.label ?? '', laidOut };
}
