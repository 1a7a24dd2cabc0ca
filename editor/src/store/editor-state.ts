import type { Connection, EdgeChange, NodeChange, XYPosition } from '@xyflow/react';
import type { BrokerEntryInput } from '../../../nodes/broker.ts';
import type { Problem } from '../../../nodes/errors.ts';
import type { EditorDocument } from './document.ts';
import type { History } from './history.ts';
import type { DocumentMeta, EditorEdge, EditorNode, LiveState, ServerState, Snapshot } from './types.ts';

/** The editor's one store: the document being edited, its history, and server and live state. */
export interface EditorState extends Snapshot {
  activeTab: string;
  history: History;
  server: ServerState;
  live: LiveState;
  /** Nodes and edges copied with Ctrl+C, pasted with new ids. */
  clipboard?: { nodes: EditorNode[]; edges: EditorEdge[] };
  /** The node whose config panel is open. */
  selectedNodeId?: string;

  // Loading and saving
  /** Replace everything with a document from the server (it becomes the deployed baseline). */
  loadFromServer(doc: unknown, rev: string | null, credentials?: ServerState['credentials']): void;
  /** Replace the canvas with a document (an import with "replace"), as one undo step. */
  replaceDocument(doc: Partial<EditorDocument>): void;
  document(): EditorDocument;
  /**
   * A deploy of `document` succeeded as `rev`: it becomes the baseline for the change count
   * and the dirty flag, problems are cleared; the canvas and the undo history stay.
   */
  markDeployed(document: EditorDocument, rev: string | null): void;

  // Canvas edits (each one undo step)
  onNodesChange(changes: NodeChange<EditorNode>[]): void;
  onEdgesChange(changes: EdgeChange<EditorEdge>[]): void;
  connect(connection: Connection): void;
  addNode(type: string, position: XYPosition, config?: Record<string, unknown>): string;
  updateNode(id: string, patch: { name?: string; config?: Record<string, unknown> }): void;
  deleteSelection(): void;
  copySelection(): void;
  paste(offset?: XYPosition): void;
  /** Add nodes/edges/brokers (an import merge), as one undo step; ids must already be unique. */
  addElements(elements: { nodes: EditorNode[]; edges: EditorEdge[]; brokers?: BrokerEntryInput[] }): void;
  setNodePositions(positions: Record<string, XYPosition>): void;
  selectNode(id: string | undefined): void;
  /** Select every node of the active tab (Ctrl+A); not an edit. */
  selectAll(): void;
  undo(): void;
  redo(): void;

  // Brokers, tabs, document details (each one undo step)
  upsertBroker(broker: BrokerEntryInput, previousId?: string): void;
  removeBroker(id: string): void;
  addTab(label?: string): string;
  renameTab(id: string, label: string): void;
  removeTab(id: string): void;
  /** Show another tab; the selection is cleared so no hidden node gets deleted or copied. */
  setActiveTab(id: string): void;
  setMeta(meta: DocumentMeta): void;

  // Server and live state (not undoable)
  setServer(patch: Partial<ServerState>): void;
  setProblems(problems: readonly Problem[], warnings?: readonly Problem[]): void;
  setLive(patch: Partial<LiveState> | ((live: LiveState) => Partial<LiveState>)): void;
  /** Remember that the user chose to deploy despite these warnings, so they are not asked again. */
  acceptWarnings(warnings: readonly Problem[]): void;

  /** On narrow screens the sidebar is a drawer: open or closed (ignored on wide screens). */
  panelOpen: boolean;
  setPanelOpen(open: boolean): void;
}

/** Server state before the first reply. */
export const emptyServer = (): ServerState => ({
  rev: null,
  deployedNodes: {},
  deployedDocument: '',
  deployState: 'idle',
  nodeProblems: {},
  otherProblems: [],
  warnings: [],
  acceptedWarnings: [],
  credentials: {},
});

/** Live state before the socket connects. */
export const emptyLive = (): LiveState => ({
  statuses: {},
  counters: {},
  brokerStates: {},
  debug: [],
  debugDropped: 0,
  debugPaused: false,
  pulses: {},
  connected: false,
});

/** The part of the state that undo and redo bring back. */
export function snapshotOf(state: Snapshot): Snapshot {
  return { nodes: state.nodes, edges: state.edges, brokers: state.brokers, tabs: state.tabs, meta: state.meta };
}

/** State after an undo or redo put `snapshot` back: the view must point at things that exist. */
export function restore(state: EditorState, snapshot: Snapshot, history: History): Partial<EditorState> {
  const activeTab = snapshot.tabs.some((t) => t.id === state.activeTab) ? state.activeTab : snapshot.tabs[0]!.id;
  const selectedNodeId = state.selectedNodeId && snapshot.nodes.some((n) => n.id === state.selectedNodeId) ? state.selectedNodeId : undefined;
  return { ...snapshot, history, activeTab, selectedNodeId };
}
