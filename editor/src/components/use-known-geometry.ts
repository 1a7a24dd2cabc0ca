import { useReactFlow } from '@xyflow/react';
import { useMemo, useRef } from 'react';
import { brokerIdSet, warningsByNode, wiredPortsByNode } from '../lib/node-derived.ts';
import { cardGeometry, countersShown, TESTABLE_TYPES, type CardShape } from '../lib/node-geometry.ts';
import { configSummary } from '../lib/node-look.ts';
import { configProblemsCached } from '../lib/schema-form-issues.ts';
import { definitionOf, useEditor, type EditorEdge, type EditorNode } from '../store/editor-store.ts';
import type { EditorState } from '../store/editor-state.ts';

/**
 * The shape of the card FlowNode will draw for `node` now, or undefined when its size cannot be
 * known before it is drawn: an unknown type, or a problem or warning line (wrapping text).
 */
function shapeOf(node: EditorNode, state: EditorState): CardShape | undefined {
  const { id, data } = node;
  const def = definitionOf(data.type);
  if (!def || state.server.nodeProblems[id]?.length || warningsByNode(state.server.warnings).has(id)) return undefined;
  // The same (cached) check FlowNode makes: a placeholder has problems of its own.
  if (configProblemsCached(def, id, undefined, data.config, brokerIdSet(state.brokers)).length > 0) return undefined;
  return {
    input: def.inputs > 0,
    outputs: Math.max(def.outputs, wiredPortsByNode(state.edges).get(id) ?? 0),
    summary: configSummary(data.type, data.config) !== '',
    live: !!state.live.statuses[id] || countersShown(state.live.counters[id]),
    test: TESTABLE_TYPES.has(data.type),
  };
}

/**
 * `nodes` as React Flow is to get them: a node it has not measured yet comes with the size and
 * handles its card will have (node-geometry.ts), so it is drawn with its wires at once instead
 * of hidden until measured. React Flow still measures every node it mounts and corrects a wrong
 * guess (reported as a dimensions change, which the store keeps as `measured`, as before).
 *
 * React Flow keeps what it knows of a node while it gets the same object again, so the object
 * made for a store node is reused while React Flow holds it. A store node React Flow has already
 * drawn under another object (selected, edited, put back by undo) gets React Flow's size and no
 * handles, so React Flow keeps the handles it measured: the guess is only for nodes it does not
 * know (a load, a tab shown again, new nodes), never over what it measured.
 */
export function useKnownGeometry(nodes: EditorNode[]): EditorNode[] {
  const flow = useReactFlow<EditorNode, EditorEdge>();
  const given = useRef(new WeakMap<EditorNode, EditorNode>());
  return useMemo(() => {
    const state = useEditor.getState();
    return nodes.map((node) => {
      const known = flow.getInternalNode(node.id);
      const last = given.current.get(node);
      if (last && known?.internals.userNode === last) return last;
      let out = node;
      if (node.measured?.width === undefined || node.measured.height === undefined) {
        const measured = known?.measured;
        if (known?.internals.handleBounds && measured?.width !== undefined && measured.height !== undefined) {
          out = { ...node, measured: { width: measured.width, height: measured.height } };
        } else {
          const shape = shapeOf(node, state);
          const geometry = shape && cardGeometry(shape);
          if (geometry) out = { ...node, measured: { width: geometry.width, height: geometry.height }, handles: geometry.handles };
        }
      }
      given.current.set(node, out);
      return out;
    });
  }, [nodes, flow]);
}
