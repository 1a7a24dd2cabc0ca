import type { EditorDocument } from '../../editor/src/store/document.ts';
import { useEditor } from '../../editor/src/store/editor-store.ts';

/** A small deployed flow: sensor → threshold → fan, plus a debug node, on one broker. */
export function sampleDocument(): EditorDocument {
  return {
    format: 'topicflow/1',
    name: 'Fans',
    brokers: [{ id: 'home', url: 'mqtt://127.0.0.1:1883' }],
    nodes: [
      { id: 'in1', type: 'mqtt-in', position: { x: 0, y: 0 }, config: { broker: 'home', topic: 'home/+room/temperature', qos: 1 } },
      { id: 'th1', type: 'threshold', name: 'Too warm', position: { x: 250, y: 0 }, config: { above: 25, hysteresis: 0.5 } },
      { id: 'out1', type: 'mqtt-out', position: { x: 500, y: 0 }, config: { broker: 'home', topic: 'fan/{room}', qos: 1, retain: true } },
      { id: 'dbg', type: 'debug', position: { x: 500, y: 120 }, config: { show: 'payload', active: true } },
    ],
    edges: [
      { source: 'in1', target: 'th1' },
      { source: 'th1', target: 'out1' },
      { source: 'th1', target: 'dbg' },
    ],
  };
}

/** The store as right after the page loaded `doc` from the server at `rev`. */
export function loadSample(doc: EditorDocument = sampleDocument(), rev = 'r1') {
  const store = useEditor.getState();
  store.loadFromServer(structuredClone(doc), rev, {});
  useEditor.setState({ clipboard: undefined, panelOpen: false });
  useEditor.getState().setServer({ deployState: 'idle', deployMessage: undefined, warnings: [], acceptedWarnings: [], conflict: undefined });
  return useEditor.getState();
}

/** Select exactly these nodes (as React Flow's select changes would). */
export function select(...ids: string[]) {
  const { nodes, onNodesChange } = useEditor.getState();
  onNodesChange(nodes.map((n) => ({ type: 'select' as const, id: n.id, selected: ids.includes(n.id) })));
}

export const state = () => useEditor.getState();
export const node = (id: string) => useEditor.getState().nodes.find((n) => n.id === id);
export const undoSteps = () => useEditor.getState().history.past.length;
