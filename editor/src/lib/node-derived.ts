/**
 * Per-node facts derived from whole-document arrays (edges, warnings, brokers), computed once
 * per change of the array and shared by every canvas node: a node's store selector then costs
 * a map lookup, not a scan of every edge or warning (which, with a thousand nodes re-running
 * their selectors on every store update, was O(nodes × edges) each time).
 */
import type { BrokerEntryInput } from '../../../nodes/broker.ts';
import type { Problem } from '../../../nodes/errors.ts';
import { portOf } from '../store/document.ts';
import type { EditorEdge, EditorNode } from '../store/types.ts';

/** `compute` run once per distinct input (by identity): the last input and its result are kept. */
function lastOf<In extends object, Out>(compute: (input: In) => Out): (input: In) => Out {
  let lastIn: In | undefined;
  let lastOut: Out;
  return (input) => {
    if (input !== lastIn) {
      lastOut = compute(input);
      lastIn = input;
    }
    return lastOut;
  };
}

/** Per source node: one more than the highest output port a wire leaves from (0: none). */
export const wiredPortsByNode = lastOf((edges: readonly EditorEdge[]): ReadonlyMap<string, number> => {
  const out = new Map<string, number>();
  for (const e of edges) {
    const ports = portOf(e.sourceHandle) + 1;
    if (ports > (out.get(e.source) ?? 0)) out.set(e.source, ports);
  }
  return out;
});

/** The server's warnings, by the node they are about. */
export const warningsByNode = lastOf((warnings: readonly Problem[]): ReadonlyMap<string, readonly Problem[]> => {
  const out = new Map<string, Problem[]>();
  for (const w of warnings) {
    if (!w.nodeId) continue;
    const list = out.get(w.nodeId);
    if (list) list.push(w);
    else out.set(w.nodeId, [w]);
  }
  return out;
});

/** The ids of the document's brokers (the same Set until the broker list changes). */
export const brokerIdSet = lastOf((brokers: readonly BrokerEntryInput[]): ReadonlySet<string> => new Set(brokers.map((b) => b.id)));

/** Each node's display name (its name, else its id), by id: the same object until the node list changes. */
export const nodeNamesOf = lastOf((nodes: readonly EditorNode[]): Record<string, string> => Object.fromEntries(nodes.map((n) => [n.id, n.data.name || n.id])));

/** The ids of the debug nodes: the same array until the node list changes. */
export const debugNodeIdsOf = lastOf((nodes: readonly EditorNode[]): string[] => nodes.filter((n) => n.data.type === 'debug').map((n) => n.id));
