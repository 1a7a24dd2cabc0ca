import { useMemo } from 'react';
import type { Problem } from '../../../nodes/errors.ts';
import { fromDocument, toDocument, type EditorDocument } from '../store/document.ts';
import { useEditor, warningKey } from '../store/editor-store.ts';
import { pendingChanges, type PendingChanges } from '../store/pending-changes.ts';
import { api, ApiError } from './api.ts';

/** How long "Deployed" stays on the button. */
const DONE_MS = 2500;

export type DeployOutcome = 'deployed' | 'invalid' | 'confirm' | 'conflict' | 'failed' | 'busy';

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** One sentence for a list of problems: the first one, and how many more. */
export function problemSummary(problems: readonly Problem[]): string {
  const first = problems[0];
  if (!first) return 'the flow has problems';
  const more = problems.length > 1 ? ` (and ${plural(problems.length - 1, 'more problem')})` : '';
  return `${first.nodeId ? `${first.nodeId}: ` : ''}${first.message}${more}`;
}

/**
 * Deploy the canvas: validate first (errors are attached to their nodes and stop the deploy;
 * warnings not accepted yet stop it in the `confirming` state for the user to decide), then
 * PUT with the rev the edit was based on. Success moves the deployed baseline and keeps the
 * canvas and undo history; 400/422 attach problems to nodes; 409 opens the conflict dialog.
 *
 * `acceptWarnings`: the user pressed "Deploy anyway" on the warnings shown.
 * `baseRev`: overwrite someone else's deploy by basing this one on their rev.
 */
export async function deployFlow(options: { acceptWarnings?: boolean; baseRev?: string | null } = {}): Promise<DeployOutcome> {
  const store = useEditor.getState();
  if (store.server.deployState === 'deploying') return 'busy';
  if (options.acceptWarnings) store.acceptWarnings(store.server.warnings);
  const document = store.document();
  store.setServer({ deployState: 'deploying', deployMessage: 'Checking the flow…', conflict: undefined });

  try {
    const check = await api.validate(document);
    if (!check.ok || check.errors.length > 0) {
      useEditor.getState().setProblems(check.errors, check.warnings);
      useEditor.getState().setServer({ deployState: 'failed', deployMessage: problemSummary(check.errors), overwriteRev: undefined });
      return 'invalid';
    }
    const accepted = new Set(useEditor.getState().server.acceptedWarnings);
    useEditor.getState().setProblems([], check.warnings);
    // An overwrite waiting for "deploy anyway" must still be based on their rev.
    const overwriteRev = options.baseRev !== undefined ? options.baseRev : store.server.overwriteRev;
    if (check.warnings.some((w) => !accepted.has(warningKey(w)))) {
      useEditor.getState().setServer({ deployState: 'confirming', deployMessage: undefined, overwriteRev });
      return 'confirm';
    }

    useEditor.getState().setServer({ deployMessage: 'Deploying…', overwriteRev: undefined });
    const reply = await api.deploy(document, overwriteRev !== undefined ? overwriteRev : store.server.rev);
    const after = useEditor.getState();
    after.markDeployed(document, reply.rev);
    const started = reply.started.length;
    const stopped = reply.stopped.length;
    after.setServer({
      deployState: 'done',
      warnings: reply.warnings,
      deployMessage: started + stopped === 0 ? 'Deployed: nothing restarted' : `Deployed: ${plural(started, 'node')} started, ${stopped} stopped`,
    });
    setTimeout(() => {
      const { server, setServer } = useEditor.getState();
      if (server.deployState === 'done' && server.rev === reply.rev) setServer({ deployState: 'idle', deployMessage: undefined });
    }, DONE_MS);
    return 'deployed';
  } catch (error) {
    return failed(error);
  }
}

function failed(error: unknown): DeployOutcome {
  const { setServer, setProblems, server } = useEditor.getState();
  setServer({ overwriteRev: undefined });
  if (error instanceof ApiError && error.status === 409) {
    const details = error.details as { rev?: string | null } | undefined;
    setServer({ deployState: 'idle', deployMessage: undefined, conflict: { theirRev: details?.rev ?? null } });
    return 'conflict';
  }
  if (error instanceof ApiError && (error.status === 400 || error.status === 422)) {
    setProblems(error.problems, server.warnings);
    const summary = error.problems.length ? problemSummary(error.problems) : error.message;
    setServer({ deployState: 'failed', deployMessage: error.status === 422 ? `Not deployed, the old flow keeps running: ${summary}` : summary });
    return 'invalid';
  }
  setServer({ deployState: 'failed', deployMessage: `Deploy failed: ${error instanceof Error ? error.message : String(error)}` });
  return 'failed';
}

/** The user declined the warnings: back to editing, nothing deployed. */
export function cancelDeploy(): void {
  useEditor.getState().setServer({ deployState: 'idle', deployMessage: undefined, overwriteRev: undefined });
}

/**
 * After a 409: take the server's document (someone else's deploy) as the canvas and the new
 * baseline. One undo step, so the user's own version is still one Ctrl+Z away.
 */
export async function loadTheirs(): Promise<void> {
  const reply = await api.getFlows();
  const store = useEditor.getState();
  store.replaceDocument((reply.document ?? {}) as Partial<EditorDocument>);
  store.markDeployed(toDocument(fromDocument(reply.document as Partial<EditorDocument> | null)), reply.rev);
  store.setServer({ credentials: reply.credentials, deployState: 'idle', deployMessage: undefined });
}

/** After a 409: deploy ours on top of theirs. */
export function overwriteTheirs(): Promise<DeployOutcome> {
  const conflict = useEditor.getState().server.conflict;
  return deployFlow({ baseRev: conflict?.theirRev ?? '*' });
}

/** Whether the canvas differs from the deployed flow, and how many nodes would restart. */
export function usePendingChanges(): PendingChanges {
  const nodes = useEditor((s) => s.nodes);
  const edges = useEditor((s) => s.edges);
  const brokers = useEditor((s) => s.brokers);
  const tabs = useEditor((s) => s.tabs);
  const meta = useEditor((s) => s.meta);
  const deployedDocument = useEditor((s) => s.server.deployedDocument);
  const deployedNodes = useEditor((s) => s.server.deployedNodes);
  return useMemo(
    () => pendingChanges({ nodes, edges, brokers, tabs, meta }, { deployedDocument, deployedNodes }),
    [nodes, edges, brokers, tabs, meta, deployedDocument, deployedNodes],
  );
}
