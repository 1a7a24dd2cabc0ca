import { applyEdgeChanges, applyNodeChanges } from '@xyflow/react';
import { create } from 'zustand';
import type { Problem } from '../../../nodes/errors.ts';
import { definitionsByType } from '../../../nodes/registry.ts';
import { stableJson } from '../../../nodes/stable-json.ts';
import { DEFAULT_TAB, defaultConfig, edgeId, freshId, fromDocument, nodeFingerprints, portOf, toDocument, type EditorDocument } from './document.ts';
import { record, redo, undo, type History } from './history.ts';
import { documentActions } from './document-actions.ts';
import { documentFingerprints, documentJson } from './pending-changes.ts';
import { emptyLive, emptyServer, restore, snapshotOf, type EditorState } from './editor-state.ts';
import type { EditorEdge, EditorNode, FlowTab, Snapshot } from './types.ts';

export type { EditorState };

/** A stable key of a warning, to recognise one the user already accepted. */
export function warningKey(w: Problem): string {
  return `${w.code}|${w.nodeId ?? ''}|${w.brokerId ?? ''}|${w.message}`;
}

export const useEditor = create<EditorState>()((set, get) => {
  /** Apply an edit as one undo step; `key` merges consecutive edits of one field. */
  const edit = (change: (state: EditorState) => Partial<EditorState>, key?: string) =>
    set((state) => ({ ...change(state), history: record(state.history, snapshotOf(state), key) }));

  return {
    nodes: [],
    edges: [],
    brokers: [],
    tabs: [DEFAULT_TAB],
    meta: {},
    activeTab: DEFAULT_TAB.id,
    history: { past: [], future: [] },
    server: emptyServer(),
    live: emptyLive(),

    loadFromServer(doc, rev, credentials) {
      const snapshot = fromDocument(doc as Partial<EditorDocument> | null);
      set((state) => ({
        ...snapshot,
        activeTab: snapshot.tabs[0]!.id,
        history: { past: [], future: [] },
        selectedNodeId: undefined,
        server: {
          ...state.server,
          rev,
          // What the deploy button compares the canvas with (pending-changes.ts caches each node's text).
          deployedNodes: documentFingerprints(snapshot),
          deployedDocument: documentJson(snapshot),
          nodeProblems: {},
          otherProblems: [],
          conflict: undefined,
          ...(credentials ? { credentials } : {}),
        },
      }));
    },

    replaceDocument(doc) {
      const snapshot = fromDocument(doc);
      edit(() => ({ ...snapshot, activeTab: snapshot.tabs[0]!.id, selectedNodeId: undefined }));
    },

    document: () => toDocument(snapshotOf(get())),

    markDeployed(document, rev) {
      set((state) => ({
        server: {
          ...state.server,
          rev,
          deployedNodes: nodeFingerprints(document),
          deployedDocument: stableJson(document),
          nodeProblems: {},
          otherProblems: [],
          conflict: undefined,
        },
      }));
    },

    onNodesChange(changes) {
      // Moves while dragging, selection and measuring are not edits; a drop or a removal is.
      const isEdit = changes.some((c) => c.type === 'remove' || c.type === 'add' || (c.type === 'position' && c.dragging === false));
      const removed = new Set(changes.flatMap((c) => (c.type === 'remove' ? [c.id] : [])));
      const apply = (state: EditorState) => ({
        nodes: applyNodeChanges(changes, state.nodes),
        ...(removed.size ? { edges: state.edges.filter((e) => !removed.has(e.source) && !removed.has(e.target)) } : {}),
        ...(state.selectedNodeId && removed.has(state.selectedNodeId) ? { selectedNodeId: undefined } : {}),
      });
      if (!isEdit) {
        set((state) => apply(state));
        return;
      }
      // A drag already moved the nodes; the undo step must restore where they were before it.
      // A drag that ended without moving anything leaves a stale start behind; edits made since
      // then (a new history) must not be folded into this step.
      const before = dragStart && dragStart.history === get().history ? dragStart.snapshot : snapshotOf(get());
      dragStart = undefined;
      set((state) => ({ ...apply(state), history: record(state.history, before) }));
    },

    onEdgesChange(changes) {
      const isEdit = changes.some((c) => c.type === 'remove' || c.type === 'add');
      if (isEdit) edit((state) => ({ edges: applyEdgeChanges(changes, state.edges) }));
      else set((state) => ({ edges: applyEdgeChanges(changes, state.edges) }));
    },

    connect(connection) {
      const { source, target } = connection;
      if (!source || !target || source === target) return;
      const targetNode = get().nodes.find((n) => n.id === target);
      if (!targetNode || (definitionsByType.get(targetNode.data.type)?.inputs ?? 0) === 0) return;
      const port = portOf(connection.sourceHandle);
      const id = edgeId(source, port, target);
      if (get().edges.some((e) => e.id === id)) return;
      edit((state) => ({ edges: [...state.edges, { id, source, target, sourceHandle: `out-${port}`, targetHandle: 'in' }] }));
    },

    addNode(type, position, config) {
      const state = get();
      const id = freshId(type, new Set(state.nodes.map((n) => n.id)));
      const node: EditorNode = {
        id,
        type: 'topicflow',
        position,
        data: { type, config: config ?? defaultConfig(type, state.brokers), flow: state.activeTab },
      };
      edit((s) => ({ nodes: [...s.nodes.map((n) => (n.selected ? { ...n, selected: false } : n)), { ...node, selected: true }], selectedNodeId: id }));
      return id;
    },

    updateNode(id, patch) {
      const field = patch.config ? 'config' : 'name';
      edit(
        (state) => ({
          nodes: state.nodes.map((n) =>
            n.id === id
              ? {
                  ...n,
                  data: {
                    ...n.data,
                    ...(patch.config ? { config: patch.config } : {}),
                    ...(patch.name !== undefined ? { name: patch.name || undefined } : {}),
                  },
                }
              : n,
          ),
        }),
        `node:${id}:${field}`,
      );
    },

    deleteSelection() {
      const state = get();
      const nodes = new Set(state.nodes.filter((n) => n.selected).map((n) => n.id));
      const edges = new Set(state.edges.filter((e) => e.selected).map((e) => e.id));
      if (nodes.size === 0 && edges.size === 0) return;
      edit((s) => ({
        nodes: s.nodes.filter((n) => !nodes.has(n.id)),
        edges: s.edges.filter((e) => !edges.has(e.id) && !nodes.has(e.source) && !nodes.has(e.target)),
        ...(s.selectedNodeId && nodes.has(s.selectedNodeId) ? { selectedNodeId: undefined } : {}),
      }));
    },

    copySelection() {
      const state = get();
      const nodes = state.nodes.filter((n) => n.selected);
      const ids = new Set(nodes.map((n) => n.id));
      const edges = state.edges.filter((e) => ids.has(e.source) && ids.has(e.target));
      set({ clipboard: { nodes: structuredClone(nodes), edges: structuredClone(edges) } });
    },

    paste(offset = { x: 40, y: 40 }) {
      const clip = get().clipboard;
      if (!clip || clip.nodes.length === 0) return;
      const taken = new Set(get().nodes.map((n) => n.id));
      const rename = new Map<string, string>();
      const nodes = clip.nodes.map((n) => {
        const id = freshId(n.id, taken);
        taken.add(id);
        rename.set(n.id, id);
        return { ...structuredClone(n), id, selected: true, position: { x: n.position.x + offset.x, y: n.position.y + offset.y }, data: { ...structuredClone(n.data), flow: get().activeTab } };
      });
      const edges = clip.edges.map((e) => {
        const source = rename.get(e.source)!;
        const target = rename.get(e.target)!;
        const port = portOf(e.sourceHandle);
        return { ...e, id: edgeId(source, port, target), source, target, selected: false };
      });
      edit((s) => ({ nodes: [...s.nodes.map((n) => ({ ...n, selected: false })), ...nodes], edges: [...s.edges, ...edges] }));
      // Pasting again places the next copy further along.
      set({ clipboard: { nodes: clip.nodes.map((n) => ({ ...n, position: { x: n.position.x + offset.x, y: n.position.y + offset.y } })), edges: clip.edges } });
    },

    addElements({ nodes, edges, brokers = [] }) {
      edit((s) => ({ nodes: [...s.nodes, ...nodes], edges: [...s.edges, ...edges], brokers: [...s.brokers, ...brokers] }));
    },

    setNodePositions(positions) {
      edit((s) => ({ nodes: s.nodes.map((n) => (positions[n.id] ? { ...n, position: positions[n.id]! } : n)) }));
    },

    selectNode(id) {
      set({ selectedNodeId: id });
    },

    selectAll() {
      set((s) => ({
        nodes: s.nodes.map((n) => {
          const onTab = (n.data.flow ?? s.tabs[0]!.id) === s.activeTab;
          return !!n.selected === onTab ? n : { ...n, selected: onTab };
        }),
      }));
    },

    undo() {
      const result = undo(get().history, snapshotOf(get()));
      if (result) set((state) => restore(state, result.snapshot, result.history));
    },

    redo() {
      const result = redo(get().history, snapshotOf(get()));
      if (result) set((state) => restore(state, result.snapshot, result.history));
    },

    ...documentActions(edit, get),

    setActiveTab(id) {
      set((s) => ({
        activeTab: id,
        selectedNodeId: undefined,
        nodes: s.nodes.some((n) => n.selected) ? s.nodes.map((n) => (n.selected ? { ...n, selected: false } : n)) : s.nodes,
        edges: s.edges.some((e) => e.selected) ? s.edges.map((e) => (e.selected ? { ...e, selected: false } : e)) : s.edges,
      }));
    },

    setMeta(meta) {
      edit(() => ({ meta }), 'meta');
    },

    setServer(patch) {
      set((state) => ({ server: { ...state.server, ...patch } }));
    },

    setProblems(problems, warnings = []) {
      const nodeProblems: Record<string, Problem[]> = {};
      const otherProblems: Problem[] = [];
      for (const p of problems) {
        if (p.nodeId) (nodeProblems[p.nodeId] ??= []).push(p);
        else otherProblems.push(p);
      }
      set((state) => ({ server: { ...state.server, nodeProblems, otherProblems, warnings: [...warnings] } }));
    },

    setLive(patch) {
      set((state) => ({ live: { ...state.live, ...(typeof patch === 'function' ? patch(state.live) : patch) } }));
    },

    acceptWarnings(warnings) {
      set((state) => ({
        server: { ...state.server, acceptedWarnings: [...new Set([...state.server.acceptedWarnings, ...warnings.map(warningKey)])] },
      }));
    },

    panelOpen: false,
    setPanelOpen(open) {
      set({ panelOpen: open });
    },
  };
});

/** Where a drag began, so that the whole drag is one undo step back to it. */
let dragStart: { snapshot: Snapshot; history: History } | undefined;

/** Call when a node drag starts (React Flow's onNodeDragStart). */
export function beginDrag(): void {
  const state = useEditor.getState();
  dragStart = { snapshot: snapshotOf(state), history: state.history };
}

/** The node's type definition, for forms and handles. */
export function definitionOf(type: string) {
  return definitionsByType.get(type);
}

export type { EditorNode, EditorEdge, FlowTab };
