import { useEffect } from 'react';
import type { Problem } from '../../../../nodes/errors.ts';
import { brokerIdSet } from '../../lib/node-derived.ts';
import { configProblemsCached, mergeProblems } from '../../lib/schema-form-issues.ts';
import { definitionOf, useEditor, type EditorState } from '../../store/editor-store.ts';

function problemsOf(state: EditorState): Record<string, Problem[]> {
  const brokerIds = brokerIdSet(state.brokers);
  const next: Record<string, Problem[]> = {};
  state.nodes.forEach((node, index) => {
    const def = definitionOf(node.data.type);
    const local = def ? configProblemsCached(def, node.id, index, node.data.config, brokerIds) : [];
    const merged = mergeProblems(state.server.nodeProblems[node.id], local);
    if (merged.length > 0) next[node.id] = merged;
  });
  return next;
}

/**
 * Whether two node lists hold the same configs at the same places: a node that was only moved,
 * selected or measured keeps its data object, and then nothing needs checking again (with a
 * thousand nodes, a drag or a measure would otherwise re-check them all on every frame).
 */
function sameConfigs(a: EditorState['nodes'], b: EditorState['nodes']): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i]!.id !== b[i]!.id || a[i]!.data !== b[i]!.data) return false;
  return true;
}

function sameProblems(a: Record<string, Problem[]>, b: Record<string, Problem[]>): boolean {
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((k) => {
    const x = a[k]!;
    const y = b[k];
    return !!y && x.length === y.length && x.every((p, i) => p.code === y[i]!.code && p.message === y[i]!.message && p.path === y[i]!.path);
  });
}

function update(state: EditorState): void {
  const next = problemsOf(state);
  if (!sameProblems(next, state.server.nodeProblems)) state.setServer({ nodeProblems: next });
}

/**
 * Check every node's config with its schema as the document changes (typing, undo, paste,
 * import) and put the problems into `server.nodeProblems`, where the canvas outlines nodes
 * and the config panel shows them. The server's own problems (edges, ids) are kept; its
 * config problems are replaced by these, which come from the same schemas.
 */
export function useLiveValidation(): void {
  useEffect(() => {
    update(useEditor.getState());
    return useEditor.subscribe((state, previous) => {
      if (state.brokers !== previous.brokers || (state.nodes !== previous.nodes && !sameConfigs(state.nodes, previous.nodes))) update(state);
    });
  }, []);
}
