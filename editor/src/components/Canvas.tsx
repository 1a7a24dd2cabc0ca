import {
  Controls,
  ReactFlow,
  SelectionMode,
  useReactFlow,
  type Connection,
  type Edge,
  type IsValidConnection,
  type NodeMouseHandler,
} from '@xyflow/react';
import { useCallback, useEffect, useMemo, useRef, useState, type DragEvent } from 'react';
import { defaultConfig, edgeId, portOf } from '../store/document.ts';
import { beginDrag, definitionOf, useEditor, type EditorEdge, type EditorNode } from '../store/editor-store.ts';
import { categoryLook } from '../lib/node-look.ts';
import { CanvasDots } from './CanvasDots.tsx';
import { CanvasMiniMap } from './CanvasMiniMap.tsx';
import { FlowNode } from './FlowNode.tsx';
import { CANVAS_FLOW_ID, COARSE_POINTER, ConnectionTargetMark } from './Port.tsx';
import { NEW_NODE_SIZE, NODE_DRAG_TYPE } from './Palette.tsx';
import { TOPIC_DRAG_TYPE, type DraggedTopic } from './TopicList.tsx';
import { useKnownGeometry } from './use-known-geometry.ts';

/** At module scope, so React Flow never sees a new map and remounts every node. */
const nodeTypes = { topicflow: FlowNode };

/** Tablets and phones: a finger drag on the empty canvas pans; with a mouse it draws a selection box. */
const coarsePointer = COARSE_POINTER;

// Props React Flow compares by identity (a new array or object on each render makes it update
// its store, and every node and edge re-run their selectors): made once, here.
const SNAP_GRID: [number, number] = [10, 10];
const PAN_ON_DRAG = coarsePointer ? true : [1, 2];
const MULTI_SELECTION_KEYS = ['Shift', 'Meta', 'Control'];
const DEFAULT_EDGE_OPTIONS = { interactionWidth: 16 };

/** Events that end a drag, whichever kind of pointer made it. */
const LET_GO_EVENTS = ['pointerup', 'pointercancel', 'mouseup', 'touchend', 'touchcancel'] as const;

const minimapColor = (node: EditorNode) => categoryLook(definitionOf(node.data.type)?.category).color;

/** Edges with a message passing right now (live.pulses) get the `pulse` class until it ends. */
function usePulsingEdges(edges: EditorEdge[]): EditorEdge[] {
  const pulses = useEditor((s) => s.live.pulses);
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const current = Date.now();
    setNow(current);
    const next = Math.min(...Object.values(pulses).filter((t) => t > current));
    if (!Number.isFinite(next)) return;
    const timer = setTimeout(() => setNow(Date.now()), next - current + 10);
    return () => clearTimeout(timer);
  }, [pulses]);
  // The same array while the set of glowing edges stays the same: a new one makes React Flow
  // re-adopt every edge.
  const glowing = useMemo(
    () =>
      Object.keys(pulses)
        .filter((id) => pulses[id]! > now)
        .sort()
        .join('\n'),
    [pulses, now],
  );
  return useMemo(() => {
    if (!glowing) return edges;
    const ids = new Set(glowing.split('\n'));
    return edges.map((e) => (ids.has(e.id) ? { ...e, className: 'pulse', animated: true } : e));
  }, [edges, glowing]);
}

/**
 * The React Flow surface of the active tab: nodes dropped from the palette, wires between
 * handles, moves (one undo step per drag), box and shift-click selection. Flow files dropped
 * on it go to the import dialog. Keyboard shortcuts live in use-shortcuts.ts.
 */
export function Canvas(props: { onFilesDropped: (files: File[]) => void }) {
  const flow = useReactFlow<EditorNode, EditorEdge>();
  const allNodes = useEditor((s) => s.nodes);
  const allEdges = useEditor((s) => s.edges);
  const activeTab = useEditor((s) => s.activeTab);
  const firstTab = useEditor((s) => s.tabs[0]?.id);
  const onNodesChange = useEditor((s) => s.onNodesChange);
  const onEdgesChange = useEditor((s) => s.onEdgesChange);
  const connect = useEditor((s) => s.connect);
  const addNode = useEditor((s) => s.addNode);
  const selectNode = useEditor((s) => s.selectNode);
  const setPanelOpen = useEditor((s) => s.setPanelOpen);
  const [fileOver, setFileOver] = useState(false);
  const canvasRef = useRef<HTMLDivElement>(null);

  // While the user pans or zooms, styles.css moves the flow as one composited layer
  // (`.canvas[data-moving]`); at rest it is drawn as usual. Not for moves made by the editor
  // (fit view, no input event): those are short, and making the layer for them costs more than
  // it saves (it paints the whole flow, not just what is in view). An attribute, not React
  // state: a re-render of the canvas per move would cost more than the move.
  // A drag (not a wheel: its next events must still reach the canvas) also raises the pan
  // shield: the browser hit-tests every mouse move, and through a thousand nodes that cost more
  // than the rest of the frame; on the shield it stops at the first element.
  // Lowered when the button or finger is let go (the pointerup: d3-zoom stops the mouseup from
  // reaching anyone else), not at the move's end: React Flow reports no end for a press that did
  // not move the flow, and reports ends 150 ms late, the end of the load's fit view (no event)
  // possibly in the middle of the user's first drag.
  const onMoveStart = useCallback((event: MouseEvent | TouchEvent | null) => {
    const canvas = canvasRef.current;
    if (!event || !canvas) return;
    canvas.setAttribute('data-moving', '');
    if (event.type === 'wheel') return;
    canvas.setAttribute('data-dragging', '');
    const lower = () => {
      canvas.removeAttribute('data-dragging');
      for (const type of LET_GO_EVENTS) window.removeEventListener(type, lower, true);
    };
    for (const type of LET_GO_EVENTS) window.addEventListener(type, lower, true);
  }, []);
  const onMoveEnd = useCallback((event: MouseEvent | TouchEvent | null) => {
    if (event) canvasRef.current?.removeAttribute('data-moving');
  }, []);

  const tabNodes = useMemo(() => allNodes.filter((n) => (n.data.flow ?? firstTab) === activeTab), [allNodes, activeTab, firstTab]);
  const nodes = useKnownGeometry(tabNodes);
  const visibleEdges = useMemo(() => {
    const ids = new Set(nodes.map((n) => n.id));
    return allEdges.filter((e) => ids.has(e.source) && ids.has(e.target));
  }, [allEdges, nodes]);
  const edges = usePulsingEdges(visibleEdges);

  // Fit the view when a tab is shown, and when an empty tab gets its first nodes (a load).
  const hadNodes = useRef(false);
  useEffect(() => {
    hadNodes.current = false;
  }, [activeTab]);
  useEffect(() => {
    if (nodes.length === 0 || hadNodes.current) return;
    hadNodes.current = true;
    // No animation: there is no earlier view to move from, and animating a big flow repaints
    // every node a dozen times while it is still loading.
    const frame = requestAnimationFrame(() => void flow.fitView({ padding: 0.2, maxZoom: 1.2 }));
    return () => cancelAnimationFrame(frame);
  }, [nodes.length, activeTab, flow]);

  const isValidConnection: IsValidConnection<EditorEdge> = useCallback((c: Connection | Edge) => {
    if (!c.source || !c.target || c.source === c.target) return false;
    const { nodes: list, edges: existing } = useEditor.getState();
    const target = list.find((n) => n.id === c.target);
    if (!target || (definitionOf(target.data.type)?.inputs ?? 0) === 0) return false;
    const id = edgeId(c.source, portOf(c.sourceHandle), c.target);
    return !existing.some((e) => e.id === id);
  }, []);

  const onNodeClick: NodeMouseHandler<EditorNode> = useCallback(
    (_event, node) => {
      selectNode(node.id);
      setPanelOpen(true);
    },
    [selectNode, setPanelOpen],
  );

  const onPaneClick = useCallback(() => {
    selectNode(undefined);
    setPanelOpen(false);
  }, [selectNode, setPanelOpen]);

  const onDragOver = (event: DragEvent) => {
    const types = event.dataTransfer.types;
    if (!types.includes(NODE_DRAG_TYPE) && !types.includes(TOPIC_DRAG_TYPE) && !types.includes('Files')) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'copy';
    if (types.includes('Files')) setFileOver(true);
  };

  const onDrop = (event: DragEvent) => {
    setFileOver(false);
    const type = event.dataTransfer.getData(NODE_DRAG_TYPE);
    if (type) {
      event.preventDefault();
      const at = flow.screenToFlowPosition({ x: event.clientX, y: event.clientY });
      addNode(type, { x: Math.round(at.x - NEW_NODE_SIZE.width / 2), y: Math.round(at.y - NEW_NODE_SIZE.height / 2) });
      return;
    }
    const seen = event.dataTransfer.getData(TOPIC_DRAG_TYPE);
    if (seen) {
      // A topic dragged from the Topics list becomes an mqtt-in listening to it.
      event.preventDefault();
      const { broker, topic } = JSON.parse(seen) as DraggedTopic;
      const at = flow.screenToFlowPosition({ x: event.clientX, y: event.clientY });
      const position = { x: Math.round(at.x - NEW_NODE_SIZE.width / 2), y: Math.round(at.y - NEW_NODE_SIZE.height / 2) };
      addNode('mqtt-in', position, { ...defaultConfig('mqtt-in', useEditor.getState().brokers), broker, topic });
      return;
    }
    const files = Array.from(event.dataTransfer.files);
    if (files.length > 0) {
      event.preventDefault();
      props.onFilesDropped(files);
    }
  };

  return (
    <div
      ref={canvasRef}
      className={`canvas${fileOver ? ' file-over' : ''}`}
      onDragOver={onDragOver}
      onDragLeave={(e) => {
        if (e.currentTarget === e.target) setFileOver(false);
      }}
      onDrop={onDrop}
      data-testid="canvas"
    >
      <ReactFlow<EditorNode, EditorEdge>
        // Fixed: the cards' look-alike handles carry it in their data-id (Port.tsx).
        id={CANVAS_FLOW_ID}
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onConnect={connect}
        isValidConnection={isValidConnection}
        onNodeDragStart={beginDrag}
        onSelectionDragStart={beginDrag}
        onNodeClick={onNodeClick}
        onPaneClick={onPaneClick}
        onMoveStart={onMoveStart}
        onMoveEnd={onMoveEnd}
        // Deletion goes through store.deleteSelection (use-shortcuts.ts): nodes and their wires in one undo step.
        deleteKeyCode={null}
        selectionKeyCode="Shift"
        multiSelectionKeyCode={MULTI_SELECTION_KEYS}
        selectionOnDrag={!coarsePointer}
        panOnDrag={PAN_ON_DRAG}
        panOnScroll={!coarsePointer}
        selectionMode={SelectionMode.Partial}
        snapToGrid
        snapGrid={SNAP_GRID}
        minZoom={0.2}
        maxZoom={2.5}
        // Every node stays mounted, even off screen: rendering only the visible ones made each frame
        // of a pan mount and measure the nodes coming into view (100+ ms frames at 1,000 nodes),
        // while the browser skips painting off-screen nodes anyway.
        onlyRenderVisibleElements={false}
        defaultEdgeOptions={DEFAULT_EDGE_OPTIONS}
        connectionRadius={coarsePointer ? 40 : 24}
        attributionPosition="top-right"
      >
        <CanvasDots />
        <ConnectionTargetMark />
        <Controls showInteractive={false} position="bottom-left" />
        {nodes.length > 0 && <CanvasMiniMap width={168} height={112} nodeColor={minimapColor} nodeBorderRadius={6} maskColor="rgba(240, 243, 247, 0.7)" />}
      </ReactFlow>
      {nodes.length === 0 && (
        <div className="canvas-empty">
          <strong>This flow is empty</strong>
          <span>Drag a node from the palette, or click one to add it here.</span>
          <span className="hint">{coarsePointer ? 'Drag to pan, pinch to zoom.' : 'Drag on the canvas to select · scroll or right-drag to pan · Ctrl+scroll to zoom'}</span>
        </div>
      )}
      {fileOver && <div className="canvas-drop">Drop a flow file to import it</div>}
      {/* Right-drag pans: no context menu when the button is let go over the shield. */}
      <div className="canvas-pan-shield" aria-hidden="true" onContextMenu={(e) => e.preventDefault()} />
    </div>
  );
}
