import { useReactFlow } from '@xyflow/react';
import { useEffect, useMemo, useState } from 'react';
import type { Problem } from '../../../nodes/errors.ts';
import { deployFlow, usePendingChanges } from '../lib/deploy.ts';
import { exportFlow } from '../lib/export.ts';
import { useEditor } from '../store/editor-store.ts';
import { DeployWarningsDialog } from './DeployWarningsDialog.tsx';

const mac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);
const MOD = mac ? '⌘' : 'Ctrl+';

const ICONS = {
  undo: 'M9 14 4 9l5-5M4 9h10.5a5.5 5.5 0 0 1 0 11H11',
  redo: 'm15 14 5-5-5-5M20 9H9.5a5.5 5.5 0 0 0 0 11H13',
  fit: 'M4 9V4h5M15 4h5v5M20 15v5h-5M9 20H4v-5',
  import: 'M12 3v12M7 10l5 5 5-5M5 21h14',
  export: 'M12 15V3M7 8l5-5 5 5M5 21h14',
  panel: 'M4 5h16v14H4zM14 5v14',
  logo: 'M5 6.5a2.5 2.5 0 1 0 0 .01M19 17.5a2.5 2.5 0 1 0 0 .01M7.5 6.5h3.5c4 0 2 11 6 11',
};

function Icon({ d }: { d: string }) {
  return (
    <svg width="18" height="18" viewBox="0 0 24 24" aria-hidden="true">
      <path d={d} fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}

/**
 * The bar across the top: the app's name, undo/redo, fit view, import/export, the live
 * connection, and the Deploy button with the number of nodes a deploy would restart.
 */
export function Toolbar(props: { onImport: () => void }) {
  const flow = useReactFlow();
  const canUndo = useEditor((s) => s.history.past.length > 0);
  const canRedo = useEditor((s) => s.history.future.length > 0);
  const connected = useEditor((s) => s.live.connected);
  const panelOpen = useEditor((s) => s.panelOpen);
  const { undo, redo, setPanelOpen } = useEditor.getState();

  useEffect(() => {
    // The drawer is drawn by CSS on narrow screens (styles.css, html[data-panel]).
    document.documentElement.dataset['panel'] = panelOpen ? 'open' : 'closed';
  }, [panelOpen]);

  return (
    <header className="toolbar">
      <div className="brand">
        <span className="brand-mark">
          <Icon d={ICONS.logo} />
        </span>
        <span className="brand-name">topicflow</span>
      </div>
      <div className="toolbar-group">
        <button type="button" className="icon-button" onClick={undo} disabled={!canUndo} title={`Undo (${MOD}Z)`} aria-label="Undo" data-testid="undo-button">
          <Icon d={ICONS.undo} />
        </button>
        <button type="button" className="icon-button" onClick={redo} disabled={!canRedo} title={`Redo (${MOD}Shift+Z)`} aria-label="Redo" data-testid="redo-button">
          <Icon d={ICONS.redo} />
        </button>
        <button type="button" className="icon-button" onClick={() => void flow.fitView({ padding: 0.2, maxZoom: 1.2, duration: 200 })} title="Fit the flow in view" aria-label="Fit view" data-testid="fit-view-button">
          <Icon d={ICONS.fit} />
        </button>
      </div>
      <div className="toolbar-group">
        <button type="button" className="button ghost" onClick={props.onImport} data-testid="import-button" title="Import a flow file, pasted JSON or a Node-RED export">
          <Icon d={ICONS.import} />
          <span className="button-text">Import</span>
        </button>
        <button type="button" className="button ghost" onClick={() => exportFlow()} data-testid="export-button" title="Download this flow as a file (no passwords)">
          <Icon d={ICONS.export} />
          <span className="button-text">Export</span>
        </button>
      </div>
      <div className="toolbar-spacer" />
      <span className={`connection ${connected ? 'on' : 'off'}`} data-testid="connection" title={connected ? 'Live: statuses and debug messages arrive' : 'Not connected to the runtime: live status is paused'}>
        <span className="dot" />
        <span className="button-text">{connected ? 'Live' : 'Offline'}</span>
      </span>
      <DeployStatus />
      <DeployButton />
      <button type="button" className="icon-button panel-toggle" onClick={() => setPanelOpen(!panelOpen)} aria-label="Show or hide the side panel" aria-pressed={panelOpen} title="Side panel">
        <Icon d={ICONS.panel} />
      </button>
      <DeployWarningsDialog />
    </header>
  );
}

/** Leaving the page with undeployed edits asks first; the tab title marks them with a dot. */
function useUnsavedGuard(dirty: boolean): void {
  useEffect(() => {
    document.title = dirty ? '● topicflow' : 'topicflow';
    if (!dirty) return;
    const warn = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [dirty]);
}

function DeployButton() {
  const { dirty, changedNodes } = usePendingChanges();
  useUnsavedGuard(dirty);
  const state = useEditor((s) => s.server.deployState);
  const deploying = state === 'deploying';
  let label = 'Deploy';
  if (deploying) label = 'Deploying…';
  else if (state === 'done' && !dirty) label = 'Deployed';
  const title = deploying
    ? 'Deploying…'
    : !dirty
      ? 'Nothing to deploy: the canvas is what runs'
      : changedNodes === 0
        ? 'Only names, positions or tabs changed: nothing restarts'
        : `${changedNodes} node${changedNodes === 1 ? '' : 's'} will start, stop or restart; the others keep running`;
  return (
    <button
      type="button"
      className={`button deploy${dirty ? ' dirty' : ''}${state === 'done' && !dirty ? ' done' : ''}`}
      onClick={() => void deployFlow()}
      disabled={!dirty || deploying}
      aria-busy={deploying}
      title={title}
      data-testid="deploy-button"
      data-dirty={dirty}
      data-changes={changedNodes}
    >
      {deploying ? <span className="spinner" aria-hidden="true" /> : state === 'done' && !dirty ? <span aria-hidden="true">✓</span> : null}
      <span>{label}</span>
      {dirty && changedNodes > 0 && !deploying && (
        <span className="badge" data-testid="deploy-count">
          {changedNodes}
        </span>
      )}
    </button>
  );
}

/** The outcome of the last deploy; after a failure, a list of every problem (click one to show its node). */
function DeployStatus() {
  const state = useEditor((s) => s.server.deployState);
  const message = useEditor((s) => s.server.deployMessage);
  const nodeProblems = useEditor((s) => s.server.nodeProblems);
  const otherProblems = useEditor((s) => s.server.otherProblems);
  const [open, setOpen] = useState(false);
  const flow = useReactFlow();
  const problems = useMemo<Problem[]>(() => [...Object.values(nodeProblems).flat(), ...otherProblems], [nodeProblems, otherProblems]);

  useEffect(() => setOpen(false), [state]);
  useEffect(() => {
    if (!open) return;
    const close = (e: Event) => {
      if (e instanceof KeyboardEvent ? e.key === 'Escape' : !(e.target instanceof Element && e.target.closest('.deploy-status'))) setOpen(false);
    };
    window.addEventListener('keydown', close);
    window.addEventListener('pointerdown', close);
    return () => {
      window.removeEventListener('keydown', close);
      window.removeEventListener('pointerdown', close);
    };
  }, [open]);
  if (!message || state === 'idle' || state === 'confirming') return null;

  const showNode = (id: string) => {
    const store = useEditor.getState();
    const node = store.nodes.find((n) => n.id === id);
    if (!node) return;
    store.setActiveTab(node.data.flow ?? store.tabs[0]!.id);
    store.onNodesChange(useEditor.getState().nodes.map((n) => ({ type: 'select' as const, id: n.id, selected: n.id === id })));
    store.selectNode(id);
    store.setPanelOpen(true);
    requestAnimationFrame(() => void flow.fitView({ nodes: [{ id }], maxZoom: 1.2, duration: 250 }));
    setOpen(false);
  };

  return (
    <div className={`deploy-status ${state}`} data-testid="deploy-status">
      {state === 'failed' && problems.length > 0 ? (
        <button type="button" className="deploy-message link" onClick={() => setOpen(!open)} title={message} aria-expanded={open}>
          {message}
        </button>
      ) : (
        <span className="deploy-message" title={message} role={state === 'failed' ? 'alert' : 'status'}>
          {message}
        </span>
      )}
      {open && (
        <ul className="problem-popover" data-testid="deploy-problems">
          {problems.map((p, i) => (
            <li key={i}>
              {p.nodeId ? (
                <button type="button" className="link" onClick={() => showNode(p.nodeId!)}>
                  <code>{p.nodeId}</code>
                </button>
              ) : p.brokerId ? (
                <code>broker {p.brokerId}</code>
              ) : null}{' '}
              {p.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
