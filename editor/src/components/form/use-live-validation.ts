import { useEffect } from 'react';
import type { Problem } from '../../../../nodes/errors.ts';
import { configProblems, mergeProblems } from '../../lib/schema-form-issues.ts';
import { definitionOf, useEditor, type EditorState } from '../../store/editor-store.ts';

/** Schema problems by config object: a config only changes by being replaced, so this is exact. */
const checked = new WeakMap<object, { brokers: string; problems: Problem[] }>();

function problemsOf(state: EditorState): Record<string, Problem[]> {
  const brokerIds = new Set(state.brokers.map((b) => b.id));
  const brokerKey = [...brokerIds].join('\u0000');
  const next: Record<string, Problem[]> = {};
  state.nodes.forEach((node, index) => {
    const def = definitionOf(node.data.type);
    let local: Problem[] = [];
    if (def) {
      const cached = checked.get(node.data.config);
      if (cached && cached.brokers === brokerKey) local = cached.problems;
      else {
        local = configProblems(def, node.id, index, node.data.config, brokerIds);
        checked.set(node.data.config, { brokers: brokerKey, problems: local });
      }
    }
    const merged = mergeProblems(state.server.nodeProblems[node.id], local);
    if (merged.length > 0) next[node.id] = merged;
  });
  return next;
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
      if (state.nodes !== previous.nodes || state.brokers !== previous.brokers) update(state);
    });
  }, []);
}
