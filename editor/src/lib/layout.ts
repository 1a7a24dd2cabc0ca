/**
 * Automatic placement of nodes that came without positions (a Node-RED import, a hand-written
 * file): a left-to-right layered layout by dagre, the way data flows on the canvas. Pure.
 */
import dagre from '@dagrejs/dagre';

export interface LayoutNode {
  id: string;
  width?: number;
  height?: number;
}

export interface LayoutEdge {
  source: string;
  target: string;
}

export interface XY {
  x: number;
  y: number;
}

/** The size a node is assumed to have when it has not been drawn yet. */
export const DEFAULT_NODE_SIZE = { width: 190, height: 80 };

/**
 * Top-left positions for every node, sources on the left, each wire pointing right; nodes
 * with no wires stack in the first column. Edges to unknown nodes are ignored. The result
 * starts at `origin` (default 0,0) and is snapped to a 10 px grid.
 */
export function layoutGraph(nodes: readonly LayoutNode[], edges: readonly LayoutEdge[], origin: XY = { x: 0, y: 0 }): Record<string, XY> {
  if (nodes.length === 0) return {};
  const graph = new dagre.graphlib.Graph({ multigraph: false });
  graph.setGraph({ rankdir: 'LR', nodesep: 30, ranksep: 70, marginx: 0, marginy: 0 });
  graph.setDefaultEdgeLabel(() => ({}));
  const ids = new Set<string>();
  for (const n of nodes) {
    ids.add(n.id);
    graph.setNode(n.id, { width: n.width ?? DEFAULT_NODE_SIZE.width, height: n.height ?? DEFAULT_NODE_SIZE.height });
  }
  for (const e of edges) if (ids.has(e.source) && ids.has(e.target) && e.source !== e.target) graph.setEdge(e.source, e.target);
  dagre.layout(graph);

  // dagre gives centres; React Flow places nodes by their top-left corner.
  const raw: Record<string, XY> = {};
  let minX = Infinity;
  let minY = Infinity;
  for (const n of nodes) {
    const placed = graph.node(n.id);
    const x = placed.x - placed.width / 2;
    const y = placed.y - placed.height / 2;
    raw[n.id] = { x, y };
    minX = Math.min(minX, x);
    minY = Math.min(minY, y);
  }
  const out: Record<string, XY> = {};
  for (const [id, p] of Object.entries(raw)) out[id] = { x: snap(p.x - minX + origin.x), y: snap(p.y - minY + origin.y) };
  return out;
}

/**
 * Where to put a group of nodes so it does not cover `existing` ones: below them, left-aligned
 * with them, with a gap. Returns the offset to add to every position of the group.
 */
export function offsetBelow(existing: readonly XY[], group: readonly XY[], gap = 100): XY {
  if (existing.length === 0 || group.length === 0) return { x: 0, y: 0 };
  const left = Math.min(...existing.map((p) => p.x));
  const bottom = Math.max(...existing.map((p) => p.y)) + DEFAULT_NODE_SIZE.height;
  const groupLeft = Math.min(...group.map((p) => p.x));
  const groupTop = Math.min(...group.map((p) => p.y));
  return { x: snap(left - groupLeft), y: snap(bottom + gap - groupTop) };
}

/**
 * Positions for nodes joining a canvas: their own positions when all have one (and `relayout`
 * is false), else a fresh layout of the whole group; then the group moved below `existing`.
 */
export function placeNodes<N extends { id: string; position?: XY }>(
  nodes: readonly N[],
  edges: readonly LayoutEdge[],
  existing: readonly XY[],
  relayout = false,
): (N & { position: XY })[] {
  const keep = !relayout && nodes.every((n) => n.position && Number.isFinite(n.position.x) && Number.isFinite(n.position.y));
  const laid = keep ? undefined : layoutGraph(nodes, edges);
  const at = (n: N): XY => (laid ? laid[n.id]! : n.position!);
  const offset = offsetBelow(existing, nodes.map(at));
  return nodes.map((n) => {
    const p = at(n);
    return { ...n, position: { x: p.x + offset.x, y: p.y + offset.y } };
  });
}

function snap(value: number): number {
  return Math.round(value / 10) * 10;
}
