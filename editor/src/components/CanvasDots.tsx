import { useStore, type ReactFlowState } from '@xyflow/react';
import { createPortal } from 'react-dom';

/**
 * The canvas's dot grid, drawn in flow coordinates inside the viewport (behind the wires and
 * nodes) rather than as React Flow's `<Background>`, which sits under the viewport and moves its
 * pattern on every frame of a pan: with it, each frame repainted and rasterised the whole canvas.
 * Here the dots move with the flow, so a pan that moves the flow as one layer (see styles.css,
 * `.canvas[data-moving]`) repaints nothing; the dense backdrop also keeps that layer one piece.
 *
 * Same dots as `<Background variant="dots" gap={GAP} size={SIZE}>`: React Flow draws each dot of
 * radius size·zoom/2 at screen offset (x mod gap·zoom) − gap·zoom/2 + radius, i.e. in flow
 * coordinates at k·gap − gap/2 + size/2 with radius size/2, which is what this pattern draws.
 */
const GAP = 20;
const SIZE = 1.4;
const COLOR = '#c5ccd6';
/** How far the grid reaches around the origin, in flow pixels (at the minimum zoom 0.2, ±40,000 screen pixels). */
const REACH = 200_000;

const patternIdOf = (s: ReactFlowState) => `tf-dots-${s.rfId}`;

/**
 * The viewport's portal element, as React Flow's `<ViewportPortal>` finds it, but looked up once
 * per canvas: its selector searches the DOM on every store update, every frame of a pan included.
 */
const portals = new WeakMap<HTMLDivElement, Element>();
function portalOf(s: ReactFlowState): Element | undefined {
  if (!s.domNode) return undefined;
  let portal = portals.get(s.domNode);
  if (!portal) {
    portal = s.domNode.querySelector('.react-flow__viewport-portal') ?? undefined;
    if (portal) portals.set(s.domNode, portal);
  }
  return portal;
}

export function CanvasDots() {
  const patternId = useStore(patternIdOf);
  const portal = useStore(portalOf);
  if (!portal) return null;
  return createPortal(
    <svg className="tf-canvas-dots" style={{ left: -REACH, top: -REACH }} width={2 * REACH} height={2 * REACH} aria-hidden="true">
      <pattern id={patternId} x={REACH - GAP / 2} y={REACH - GAP / 2} width={GAP} height={GAP} patternUnits="userSpaceOnUse">
        <circle cx={SIZE / 2} cy={SIZE / 2} r={SIZE / 2} fill={COLOR} />
      </pattern>
      <rect width="100%" height="100%" fill={`url(#${patternId})`} />
    </svg>,
    portal,
  );
}
