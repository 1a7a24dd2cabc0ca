import { Panel, useStore, useStoreApi, type InternalNode, type ReactFlowState } from '@xyflow/react';
// React Flow's own minimap machinery (pan and zoom by dragging and scrolling on the minimap).
import { XYMinimap, type XYMinimapInstance } from '@xyflow/system';
import { useEffect, useLayoutEffect, useRef } from 'react';
import type { EditorNode } from '../store/editor-store.ts';

/**
 * React Flow's `<MiniMap>` as the canvas uses it (same panel, classes, look and pan/zoom), with
 * the nodes and the mask painted on a 2D canvas instead of SVG. With a thousand nodes the stock
 * minimap cost about half of each frame of a pan: a thousand store subscriptions re-run on every
 * frame, a thousand rects to repaint whenever its view moved, and changing SVG geometry (view
 * box, mask path), which makes the browser re-layer the whole page, every node of the canvas
 * included, instead of repainting the minimap alone. Here one subscription follows the view and
 * the canvas is redrawn in one go when the nodes or the view change; the svg on top only takes
 * the pointer (React Flow's XYMinimap: drag to pan, scroll to zoom) and carries the label.
 */

interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** React Flow's default margin around the minimap's content, in minimap pixels. */
const OFFSET_SCALE = 5;

const sameRect = (a: Rect, b: Rect) => a.x === b.x && a.y === b.y && a.width === b.width && a.height === b.height;

/** As React Flow: a node's size is its measured one, else the one it was given, else 0. */
function sizeOf(node: InternalNode): { width: number; height: number } {
  const user = node.internals.userNode;
  return {
    width: node.measured?.width ?? user.width ?? user.initialWidth ?? 0,
    height: node.measured?.height ?? user.height ?? user.initialHeight ?? 0,
  };
}

/** Bounds of the visible nodes, recomputed only when the node list changes (not on every pan frame). */
let boundsOf: { nodes: unknown; bounds: Rect | undefined } = { nodes: undefined, bounds: undefined };
function nodesBounds(s: ReactFlowState): Rect | undefined {
  if (boundsOf.nodes !== s.nodes) {
    let x1 = Infinity;
    let y1 = Infinity;
    let x2 = -Infinity;
    let y2 = -Infinity;
    for (const node of s.nodeLookup.values()) {
      if (node.hidden) continue;
      const { x, y } = node.internals.positionAbsolute;
      const { width, height } = sizeOf(node);
      x1 = Math.min(x1, x);
      y1 = Math.min(y1, y);
      x2 = Math.max(x2, x + width);
      y2 = Math.max(y2, y + height);
    }
    boundsOf = { nodes: s.nodes, bounds: x1 === Infinity ? undefined : { x: x1, y: y1, width: x2 - x1, height: y2 - y1 } };
  }
  return boundsOf.bounds;
}

interface View {
  viewBB: Rect;
  boundingRect: Rect;
  nodes: unknown;
  rfId: string;
  panZoom: ReactFlowState['panZoom'];
  translateExtent: ReactFlowState['translateExtent'];
  flowWidth: number;
  flowHeight: number;
  label: string | undefined;
}

function selectView(s: ReactFlowState): View {
  const [tx, ty, zoom] = s.transform;
  const viewBB = { x: -tx / zoom, y: -ty / zoom, width: s.width / zoom, height: s.height / zoom };
  const nodes = nodesBounds(s);
  const boundingRect = nodes
    ? {
        x: Math.min(nodes.x, viewBB.x),
        y: Math.min(nodes.y, viewBB.y),
        width: Math.max(nodes.x + nodes.width, viewBB.x + viewBB.width) - Math.min(nodes.x, viewBB.x),
        height: Math.max(nodes.y + nodes.height, viewBB.y + viewBB.height) - Math.min(nodes.y, viewBB.y),
      }
    : viewBB;
  return {
    viewBB,
    boundingRect,
    nodes: s.nodes,
    rfId: s.rfId,
    panZoom: s.panZoom,
    translateExtent: s.translateExtent,
    flowWidth: s.width,
    flowHeight: s.height,
    label: s.ariaLabelConfig['minimap.ariaLabel'],
  };
}

const sameView = (a: View, b: View) =>
  sameRect(a.viewBB, b.viewBB) &&
  sameRect(a.boundingRect, b.boundingRect) &&
  a.nodes === b.nodes &&
  a.rfId === b.rfId &&
  a.panZoom === b.panZoom &&
  a.translateExtent === b.translateExtent &&
  a.flowWidth === b.flowWidth &&
  a.flowHeight === b.flowHeight &&
  a.label === b.label;

/**
 * The nodes as React Flow's minimap draws them (crisp rects, no stroke): flow point (x, y) is
 * canvas pixel (left + x·pixels, top + y·pixels).
 */
function paintNodes(
  context: CanvasRenderingContext2D,
  nodes: Iterable<InternalNode<EditorNode>>,
  at: { pixels: number; left: number; top: number; radius: number; nodeColor: (node: EditorNode) => string },
): void {
  const { pixels, left: originX, top: originY, radius } = at;
  for (const node of nodes) {
    const user = node.internals.userNode;
    if (node.hidden || user.hidden) continue;
    if ((node.measured?.width ?? user.width ?? user.initialWidth) === undefined || (node.measured?.height ?? user.height ?? user.initialHeight) === undefined) continue;
    const { width: w, height: h } = sizeOf(node);
    const { x, y } = node.internals.positionAbsolute;
    const left = Math.round(originX + x * pixels);
    const top = Math.round(originY + y * pixels);
    const right = Math.round(originX + (x + w) * pixels);
    const bottom = Math.round(originY + (y + h) * pixels);
    if (right <= left || bottom <= top) continue;
    context.fillStyle = at.nodeColor(user);
    if (radius < 1) {
      context.fillRect(left, top, right - left, bottom - top);
    } else {
      context.beginPath();
      context.roundRect(left, top, right - left, bottom - top, radius);
      context.fill();
    }
  }
}

export function CanvasMiniMap(props: {
  width: number;
  height: number;
  nodeColor: (node: EditorNode) => string;
  nodeBorderRadius: number;
  maskColor: string;
}) {
  const { width: elementWidth, height: elementHeight, nodeColor, nodeBorderRadius, maskColor } = props;
  const store = useStoreApi<EditorNode>();
  const view = useStore(selectView, sameView);
  const svg = useRef<SVGSVGElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const minimap = useRef<XYMinimapInstance | undefined>(undefined);
  const viewScaleRef = useRef(0);
  const nodesLayer = useRef<{ key: unknown[]; canvas: HTMLCanvasElement } | undefined>(undefined);

  // The view box, exactly as React Flow's minimap computes it, and how its svg fits that box in
  // the minimap (preserveAspectRatio "xMidYMid meet"): `scale` minimap pixels per flow pixel,
  // centred.
  const { boundingRect, viewBB } = view;
  const viewScale = Math.max(boundingRect.width / elementWidth, boundingRect.height / elementHeight);
  const viewWidth = viewScale * elementWidth;
  const viewHeight = viewScale * elementHeight;
  const offset = OFFSET_SCALE * viewScale;
  const x = boundingRect.x - (viewWidth - boundingRect.width) / 2 - offset;
  const y = boundingRect.y - (viewHeight - boundingRect.height) / 2 - offset;
  const width = viewWidth + offset * 2;
  const height = viewHeight + offset * 2;
  const scale = Math.min(elementWidth / width, elementHeight / height);
  const left0 = (elementWidth - width * scale) / 2;
  const top0 = (elementHeight - height * scale) / 2;
  viewScaleRef.current = viewScale;

  useEffect(() => {
    const panZoom = store.getState().panZoom;
    if (!svg.current || !panZoom) return;
    minimap.current = XYMinimap({
      domNode: svg.current,
      panZoom,
      getTransform: () => store.getState().transform,
      getViewScale: () => viewScaleRef.current,
    });
    return () => {
      minimap.current?.destroy();
      minimap.current = undefined;
    };
  }, [view.panZoom, store]);

  useEffect(() => {
    minimap.current?.update({ translateExtent: view.translateExtent, width: view.flowWidth, height: view.flowHeight, pannable: true, zoomable: true });
  }, [view.panZoom, view.translateExtent, view.flowWidth, view.flowHeight]);

  // The nodes, painted like React Flow's rects (crisp edges, no stroke), then the mask over all
  // but the view, as React Flow draws them in the same view box.
  useLayoutEffect(() => {
    const element = canvas.current;
    const context = element?.getContext('2d');
    if (!element || !context) return;
    const ratio = window.devicePixelRatio || 1;
    const pixelWidth = Math.round(elementWidth * ratio);
    const pixelHeight = Math.round(elementHeight * ratio);
    if (element.width !== pixelWidth || element.height !== pixelHeight) {
      element.width = pixelWidth;
      element.height = pixelHeight;
    } else {
      context.clearRect(0, 0, pixelWidth, pixelHeight);
    }
    const pixels = scale * ratio;
    const dx = left0 * ratio;
    const dy = top0 * ratio;
    // The nodes are painted once into a layer of their own, kept while they and the minimap's
    // scale stay the same (all through a pan inside the flow): a frame then only copies it.
    const key = [view.nodes, pixels, dx - x * pixels, dy - y * pixels, pixelWidth, pixelHeight, nodeColor, nodeBorderRadius];
    let layer = nodesLayer.current;
    if (!layer || layer.key.some((k, i) => k !== key[i])) {
      layer = { key, canvas: layer?.canvas ?? document.createElement('canvas') };
      nodesLayer.current = layer;
      layer.canvas.width = pixelWidth;
      layer.canvas.height = pixelHeight;
      const nodesContext = layer.canvas.getContext('2d');
      if (nodesContext) paintNodes(nodesContext, store.getState().nodeLookup.values(), { pixels, left: dx - x * pixels, top: dy - y * pixels, radius: nodeBorderRadius * pixels, nodeColor });
    }
    context.drawImage(layer.canvas, 0, 0);
    context.beginPath();
    context.rect(-offset * pixels + dx, -offset * pixels + dy, (width + offset * 2) * pixels, (height + offset * 2) * pixels);
    context.rect((viewBB.x - x) * pixels + dx, (viewBB.y - y) * pixels + dy, viewBB.width * pixels, viewBB.height * pixels);
    context.fillStyle = maskColor;
    context.fill('evenodd');
  }, [view.nodes, x, y, scale, left0, top0, offset, width, height, viewBB.x, viewBB.y, viewBB.width, viewBB.height, elementWidth, elementHeight, nodeColor, nodeBorderRadius, maskColor, store]);

  const labelledBy = `react-flow__minimap-desc-${view.rfId}`;
  return (
    <Panel
      position="bottom-right"
      className="react-flow__minimap"
      data-testid="rf__minimap"
      style={{ width: elementWidth, height: elementHeight }}
    >
      <canvas ref={canvas} className="tf-minimap-nodes" style={{ width: elementWidth, height: elementHeight }} aria-hidden="true" />
      <svg
        ref={svg}
        width={elementWidth}
        height={elementHeight}
        viewBox={`0 0 ${elementWidth} ${elementHeight}`}
        className="react-flow__minimap-svg tf-minimap-view"
        role="img"
        aria-labelledby={labelledBy}
      >
        {view.label && <title id={labelledBy}>{view.label}</title>}
      </svg>
    </Panel>
  );
}
