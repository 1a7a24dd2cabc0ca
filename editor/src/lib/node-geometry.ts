import { Position, type NodeHandle } from '@xyflow/react';
import type { NodeCounters } from '../../../nodes/protocol.ts';
import { measureHiddenCard } from './hidden-card.ts';

/**
 * A canvas node's size and handle places, known before it is drawn.
 *
 * Why: React Flow draws a node hidden until it has measured it (size and handles, through a
 * ResizeObserver), reports every size as a change (which the store applies: a new array of a
 * thousand nodes for React Flow to adopt again), and only then draws the wires. With a thousand
 * nodes that second pass was about a third of the load. Given a node's `measured` size and
 * `handles` (as for server-side rendering), React Flow draws nodes and wires in the first pass;
 * its observer still measures every node it mounts, and corrects (before the frame is painted)
 * any whose size or handles differ, reporting only those.
 *
 * A card's height depends only on which of its optional rows it shows (every line is one line of
 * fixed height); its handles sit on its left and right edges. Each of the few shapes is laid out
 * once in a hidden copy of a card and measured (as text-fit.ts reads its line widths); a card with
 * a problem or warning line (wrapping text) is left to React Flow to measure.
 */

/** Node types whose card has a "send a test value" row (FlowNode's SendTestValue). */
export const TESTABLE_TYPES: ReadonlySet<string> = new Set(['mqtt-in', 'inject']);

/** Whether a card shows its counters (in the live row): once anything went through the node. */
export const countersShown = (counters: NodeCounters | undefined): counters is NodeCounters =>
  !!counters && counters.in + counters.out + counters.errors > 0;

/** What decides the size of a card and where its handles are. */
export interface CardShape {
  /** An `in` handle on the left. */
  input: boolean;
  /** `out-<n>` handles on the right. */
  outputs: number;
  /** The config summary line under the name. */
  summary: boolean;
  /** The live row: status and/or counters. */
  live: boolean;
  /** The row with the test-value button. */
  test: boolean;
}

export interface CardGeometry {
  width: number;
  height: number;
  handles: NodeHandle[];
}

/** One laid-out card: its size (whole px, as React Flow reads it) and its handles' boxes at 50 %. */
interface Measured {
  width: number;
  height: number;
  /** Top border width and the height inside the borders (handles are placed in that box). */
  borderTop: number;
  innerHeight: number;
  target: { x: number; y: number; width: number; height: number };
  source: { x: number; y: number; width: number; height: number };
}

const measuredShapes = new Map<string, Measured | null>();

const rowsKey = (shape: CardShape): string => `${shape.summary ? 's' : ''}${shape.live ? 'l' : ''}${shape.test ? 't' : ''}`;

/** Lay out a hidden card with these rows, as FlowNode renders it, and measure it. */
function measureShape(shape: CardShape): Measured | null {
  const rows =
    '<div class="react-flow__handle react-flow__handle-left nodrag nopan port port-in target"></div>' +
    '<div class="flow-node-head"><span class="flow-node-icon"></span><div class="flow-node-titles">' +
    '<div class="flow-node-name">x</div>' +
    (shape.summary ? '<div class="flow-node-summary">x</div>' : '') +
    '</div></div>' +
    (shape.live ? '<div class="flow-node-live"><span class="flow-node-status"><span class="dot"></span><span class="status-text">x</span></span></div>' : '') +
    (shape.test ? '<div class="flow-node-test nodrag"><span class="tf-send nodrag nopan"><button type="button" class="tf-send-button">▶ Send</button></span></div>' : '') +
    '<div class="react-flow__handle react-flow__handle-right nodrag nopan port port-out source"></div>';
  const measured = measureHiddenCard(rows, (host): Measured => {
    const node = host.querySelector('.react-flow__node') as HTMLElement;
    const card = host.querySelector('.flow-node') as HTMLElement;
    const box = node.getBoundingClientRect();
    const handle = (selector: string) => {
      const element = host.querySelector(selector) as HTMLElement;
      const rect = element.getBoundingClientRect();
      return { x: rect.left - box.left, y: rect.top - box.top, width: element.offsetWidth, height: element.offsetHeight };
    };
    const style = getComputedStyle(card);
    const borderTop = Number.parseFloat(style.borderTopWidth) || 0;
    const borderBottom = Number.parseFloat(style.borderBottomWidth) || 0;
    return {
      width: node.offsetWidth,
      height: node.offsetHeight,
      borderTop,
      innerHeight: card.getBoundingClientRect().height - borderTop - borderBottom,
      target: handle('.port-in'),
      source: handle('.port-out'),
    };
  });
  // No stylesheet (yet): nothing sensible was laid out.
  return measured && measured.width > 20 && measured.height > 20 && measured.source.width > 0 ? measured : null;
}

/**
 * The size and handles FlowNode's card of `shape` will have on the canvas; undefined when it
 * cannot be known here (no DOM or stylesheet yet).
 */
export function cardGeometry(shape: CardShape): CardGeometry | undefined {
  const key = rowsKey(shape);
  let measured = measuredShapes.get(key);
  if (measured === undefined) {
    measured = measureShape(shape);
    // A failed measure is tried again next time: the stylesheet may not have been applied yet.
    if (measured) measuredShapes.set(key, measured);
  }
  if (!measured) return undefined;
  const handles: NodeHandle[] = [];
  if (shape.input) handles.push({ id: 'in', type: 'target', position: Position.Left, ...measured.target });
  for (let port = 0; port < shape.outputs; port++) {
    // FlowNode moves the handles of a card with several outputs from 50 % to (port + 1) / (outputs + 1).
    const shift = shape.outputs > 1 ? ((port + 1) / (shape.outputs + 1) - 0.5) * measured.innerHeight : 0;
    handles.push({ id: `out-${port}`, type: 'source', position: Position.Right, ...measured.source, y: measured.source.y + shift });
  }
  return { width: measured.width, height: measured.height, handles };
}
