import { Handle, useStore, useStoreApi, type Position, type ReactFlowState } from '@xyflow/react';
import { useEffect, type CSSProperties } from 'react';

/**
 * A card's input or output port. React Flow's `<Handle>` subscribes to its store, and every
 * subscription re-runs on every frame of a pan: with two per card, a thousand cards spent about
 * a millisecond a frame there. So a port is a real `<Handle>` only where a wire can start (the
 * card under the pointer, the selected card, and every card on a touch screen, which has no
 * hover), and elsewhere an element with the same classes and attributes. That is enough for a
 * wire to end on it: React Flow finds the port a wire is dropped on in the page, by those
 * attributes (XYHandle's isValidHandle), and its place from the node's measured handle bounds.
 * While a wire is drawn, {@link ConnectionTargetMark} gives a look-alike the classes a real
 * handle would get, so the port it will snap to is highlighted as before.
 */

/** React Flow's id of the canvas (`<ReactFlow id>`), part of each handle's `data-id`. */
export const CANVAS_FLOW_ID = 'tf-canvas';

/** Tablets and phones: no hover, so every card keeps real handles. */
export const COARSE_POINTER = typeof matchMedia === 'function' && matchMedia('(pointer: coarse)').matches;

export function Port(props: { nodeId: string; type: 'source' | 'target'; id: string; position: Position; live: boolean; className: string; style?: CSSProperties | undefined }) {
  const { nodeId, type, id, position, live, className, style } = props;
  if (live) return <Handle type={type} position={position} id={id} className={className} style={style} />;
  return (
    <div
      data-handleid={id}
      data-nodeid={nodeId}
      data-handlepos={position}
      data-id={`${CANVAS_FLOW_ID}-${nodeId}-${id}-${type}`}
      data-inert=""
      // The classes React Flow gives a connectable handle while no wire is drawn.
      className={`react-flow__handle react-flow__handle-${position} nodrag nopan ${className} ${type} connectable connectablestart connectableend connectionindicator`}
      style={style}
    />
  );
}

/** While a wire is drawn: the data-id of the port it will snap to (and whether it may), else ''. */
const connectionTarget = (s: ReactFlowState): string | undefined => {
  if (!s.connection.inProgress) return undefined;
  const to = s.connection.toHandle;
  return to ? `${CANVAS_FLOW_ID}-${to.nodeId}-${to.id}-${to.type}${s.connection.isValid ? ' valid' : ''}` : '';
};

/**
 * While a wire is drawn, what React Flow does for its own handles, done for the look-alikes
 * with one subscription for the whole canvas: the canvas gets `data-connecting` (styles.css then
 * lets the pointer through output look-alikes, as React Flow does for outputs, where a wire
 * cannot end), and the port the wire will snap to gets `connectingto` (and `valid`).
 */
export function ConnectionTargetMark() {
  const target = useStore(connectionTarget);
  const store = useStoreApi();
  const connecting = target !== undefined;
  useEffect(() => {
    const canvas = store.getState().domNode;
    if (!connecting || !canvas) return;
    canvas.setAttribute('data-connecting', '');
    return () => canvas.removeAttribute('data-connecting');
  }, [connecting, store]);
  useEffect(() => {
    if (!target) return;
    const [dataId, valid] = target.split(' ');
    const element = store.getState().domNode?.querySelector(`.react-flow__handle[data-inert][data-id="${CSS.escape(dataId!)}"]`);
    if (!element) return;
    element.classList.add('connectingto');
    if (valid) element.classList.add('valid');
    return () => element.classList.remove('connectingto', 'valid');
  }, [target, store]);
  return null;
}
