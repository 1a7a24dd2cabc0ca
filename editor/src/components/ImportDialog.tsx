import { useReactFlow } from '@xyflow/react';
import { useEffect, useMemo, useRef, useState, type DragEvent } from 'react';
import { DOCUMENT_LIMITS } from '../../../nodes/document/schema.ts';
import { validateDocument } from '../../../nodes/document/validate.ts';
import { ApiError, api, type ExampleInfo } from '../lib/api.ts';
import { applyImport, applyServerMerge, needsLayout, previewMerge, readMergedReply, type ImportMode, type ImportOutcome } from '../lib/import-apply.ts';
import { classifyImport, readImportReply, unusableReason } from '../lib/import.ts';
import { useEditor } from '../store/editor-store.ts';
import { DocumentHeader, MergeView, ModeChoice, OutcomeView, ProblemsView, ReportView, type PreparedImport } from './ImportPreview.tsx';
import './live.css';

type Source = 'file' | 'paste' | 'examples';
type Step =
  | { step: 'choose' }
  | { step: 'reading'; label: string }
  | { step: 'failed'; message: string }
  | { step: 'preview'; prepared: PreparedImport }
  | { step: 'done'; prepared: PreparedImport; outcome: ImportOutcome; count: { nodes: number; edges: number } };

export const NODE_RED_UNAVAILABLE = 'Node-RED import is not available yet: this server cannot convert Node-RED exports. Import a topicflow file instead.';

/** Read, classify and (for Node-RED) convert a file's JSON; throws an Error with a sentence to show. */
async function prepare(json: unknown, label: string): Promise<PreparedImport> {
  const kind = classifyImport(json);
  if (kind.kind === 'unknown') throw new Error(`${label}: ${kind.reason}.`);
  let prepared: PreparedImport;
  if (kind.kind === 'topicflow') {
    prepared = { label, kind: 'topicflow', document: kind.document, problems: [] };
  } else {
    let reply: unknown;
    try {
      reply = await api.importFlow(kind.body);
    } catch (error) {
      if (error instanceof ApiError && (error.status === 404 || error.status === 405 || error.status === 501)) throw new Error(NODE_RED_UNAVAILABLE);
      const detail = error instanceof ApiError && error.problems.length > 0 ? `: ${error.problems.map((p) => p.message).join('; ')}` : '';
      throw new Error(`The server could not convert this Node-RED export: ${error instanceof Error ? error.message : String(error)}${detail}`);
    }
    const { document, report } = readImportReply(reply);
    if (!document) throw new Error('The server converted the Node-RED export but sent back no flow.');
    prepared = { label, kind: 'node-red', document, report, problems: [], source: kind.body };
  }
  const unusable = unusableReason(prepared.document);
  if (unusable) throw new Error(`${label} cannot be imported: ${unusable}.`);
  const check = validateDocument({ ...prepared.document, format: 'topicflow/1' });
  // Two checks can find the same field wrong; one line per field is enough to act on.
  const seen = new Set<string>();
  const problems = check.errors.filter((p) => {
    const key = `${p.nodeId ?? p.brokerId ?? ''}\0${p.path ?? p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return { ...prepared, problems };
}

function parseJson(text: string, label: string): unknown {
  if (text.length > DOCUMENT_LIMITS.maxBytes) throw new Error(`${label} is larger than ${DOCUMENT_LIMITS.maxBytes / 1024 / 1024} MB, the most a flow may be.`);
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new Error(`${label} is not JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/**
 * Import a flow from a file (picked or dropped), pasted text, or a shipped example. Shows what
 * the import will do before it does it — nodes added, ids renamed, brokers reused, Node-RED
 * conversion report — and keeps that report on screen after importing, until closed.
 */
export function ImportDialog({ onClose, files }: { onClose: () => void; files?: File[] }) {
  const [source, setSource] = useState<Source>('file');
  const [state, setState] = useState<Step>({ step: 'choose' });
  const [mode, setMode] = useState<ImportMode>('add');
  const [pasted, setPasted] = useState('');
  const [examples, setExamples] = useState<ExampleInfo[] | string | undefined>();
  const [note, setNote] = useState<string | undefined>();
  const attempt = useRef(0);
  const flow = useReactFlow();
  const existing = useEditor((s) => s.nodes.length);
  const brokers = useEditor((s) => s.brokers);

  const run = (label: string, work: () => Promise<PreparedImport>) => {
    const mine = ++attempt.current;
    setState({ step: 'reading', label });
    work().then(
      (prepared) => {
        if (attempt.current !== mine) return;
        setMode('add');
        setState({ step: 'preview', prepared });
      },
      (error: unknown) => {
        if (attempt.current === mine) setState({ step: 'failed', message: error instanceof Error ? error.message : String(error) });
      },
    );
  };

  const readFiles = (list: readonly File[]) => {
    const json = list.find((f) => /\.json$/i.test(f.name) || f.type.includes('json')) ?? list[0];
    if (!json) return;
    setNote(list.length > 1 ? `${list.length} files were dropped; only ${json.name} was read.` : undefined);
    run(json.name, async () => prepare(parseJson(await json.text(), json.name), json.name));
  };

  // Files dropped on the canvas arrive with the dialog; later drops land on the dialog itself.
  const opening = useRef(files);
  useEffect(() => {
    if (opening.current && opening.current.length > 0) readFiles(opening.current);
    opening.current = undefined;
  }, []);

  useEffect(() => {
    if (source !== 'examples' || examples !== undefined) return;
    api.examples().then(setExamples, (error: Error) => setExamples(`The examples could not be listed: ${error.message}`));
  }, [source, examples]);

  const busy = state.step === 'reading';
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape' && !busy) onClose();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [busy, onClose]);

  const prepared = state.step === 'preview' || state.step === 'done' ? state.prepared : undefined;
  const merge = useMemo(() => (state.step === 'preview' ? previewMerge(state.prepared.document) : undefined), [state]);

  const doImport = async () => {
    if (state.step !== 'preview') return;
    const prepared = state.prepared;
    let outcome: ImportOutcome;
    if (prepared.kind === 'node-red' && prepared.source !== undefined) {
      // The server merges Node-RED imports itself, so the passwords in the export are stored
      // under the very broker ids the canvas ends up with.
      setState({ step: 'reading', label: prepared.label });
      try {
        const reply = await api.importFlow({ source: prepared.source, mode: mode === 'add' ? 'merge' : 'replace', base: useEditor.getState().document() });
        outcome = applyServerMerge(readMergedReply(reply), mode);
      } catch (error) {
        setState({ step: 'failed', message: `The import could not be completed: ${error instanceof Error ? error.message : String(error)}` });
        return;
      }
    } else {
      outcome = applyImport(prepared.document, mode);
    }
    const { nodes, edges } = useEditor.getState();
    setState({ step: 'done', prepared, outcome, count: { nodes: nodes.length, edges: edges.length } });
    // Once React Flow has measured the new nodes, bring them into view.
    setTimeout(() => {
      void flow.fitView({ nodes: outcome.nodeIds.map((id) => ({ id })), duration: 300, padding: 0.2, maxZoom: 1.2 });
    }, 60);
  };

  const onDrop = (event: DragEvent) => {
    if (event.dataTransfer.files.length === 0) return;
    event.preventDefault();
    readFiles([...event.dataTransfer.files]);
  };

  return (
    <div className="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && !busy && onClose()}>
      <div
        className="modal tf-import"
        role="dialog"
        aria-modal="true"
        aria-labelledby="tf-import-title"
        data-testid="import-dialog"
        onDragOver={(e) => e.preventDefault()}
        onDrop={onDrop}
      >
        <header className="tf-import-head">
          <h2 id="tf-import-title">Import a flow</h2>
          <button type="button" className="icon-button tf-close" onClick={onClose} aria-label="Close" disabled={busy}>
            ×
          </button>
        </header>

        {(state.step === 'choose' || state.step === 'failed' || state.step === 'reading') && (
          <div className="modal-body tf-import-body">
            <div className="tf-tabs" role="tablist">
              {(['file', 'paste', 'examples'] as const).map((s) => (
                <button key={s} type="button" role="tab" aria-selected={source === s} className={source === s ? 'active' : ''} onClick={() => setSource(s)} data-testid={`import-tab-${s}`}>
                  {s === 'file' ? 'File' : s === 'paste' ? 'Paste' : 'Examples'}
                </button>
              ))}
            </div>
            {source === 'file' && (
              <label className="tf-dropzone">
                <span>Choose a <code>.json</code> file — a topicflow flow or a Node-RED export — or drop it here.</span>
                <input type="file" accept=".json,application/json" onChange={(e) => e.target.files && readFiles([...e.target.files])} data-testid="import-file" />
              </label>
            )}
            {source === 'paste' && (
              <div className="tf-paste">
                <textarea
                  value={pasted}
                  onChange={(e) => setPasted(e.target.value)}
                  rows={10}
                  spellCheck={false}
                  placeholder='Paste a topicflow flow ({"format": "topicflow/1", …}) or a Node-RED export ([{"id": …, "type": "mqtt in", "wires": …}])'
                  data-testid="import-paste"
                />
                <button type="button" className="button primary" disabled={!pasted.trim() || busy} onClick={() => run('The pasted text', async () => prepare(parseJson(pasted, 'The pasted text'), 'Pasted text'))}>
                  Read it
                </button>
              </div>
            )}
            {source === 'examples' && <ExampleList examples={examples} disabled={busy} onPick={(ex) => run(ex.name, async () => prepare(await api.example(ex.file), ex.name))} />}
            {state.step === 'reading' && <p className="tf-muted" role="status">Reading {state.label}…</p>}
            {state.step === 'failed' && (
              <p className="tf-error" role="alert" data-testid="import-error">
                {state.message}
              </p>
            )}
            {note && <p className="tf-muted">{note}</p>}
          </div>
        )}

        {prepared && (
          <div className="modal-body tf-import-body">
            <DocumentHeader prepared={prepared} />
            {prepared.report && <ReportView report={prepared.report} />}
            {state.step === 'preview' && merge && (
              <>
                <ModeChoice mode={mode} onChange={setMode} existing={existing} />
                {mode === 'add' ? (
                  <MergeView merge={merge} doc={prepared.document} laidOut={needsLayout(prepared.document, 'add')} current={brokers} />
                ) : (
                  <p data-testid="replace-preview">
                    The flow becomes the file's {prepared.document.nodes.length} nodes and {(prepared.document.edges ?? []).length} wires
                    {(prepared.document.brokers ?? []).length > 0 ? `, with its ${(prepared.document.brokers ?? []).length} broker(s)` : ''}.
                  </p>
                )}
              </>
            )}
            <ProblemsView problems={prepared.problems} />
            {state.step === 'done' && <OutcomeView outcome={state.outcome} count={state.count} />}
          </div>
        )}

        <footer className="modal-actions tf-import-foot">
          {state.step === 'preview' && (
            <>
              <button type="button" className="button ghost" onClick={() => setState({ step: 'choose' })}>
                ← Another file
              </button>
              <span className="tf-grow" />
              <button type="button" className="button" onClick={onClose}>
                Cancel
              </button>
              <button type="button" className={mode === 'replace' ? 'button danger' : 'button primary'} onClick={() => void doImport()} data-testid="import-confirm">
                {mode === 'add' ? 'Add to this flow' : 'Replace the flow'}
              </button>
            </>
          )}
          {state.step === 'done' && (
            <>
              <span className="tf-grow" />
              <button type="button" className="button primary" onClick={onClose} autoFocus data-testid="import-close">
                Close
              </button>
            </>
          )}
          {state.step !== 'preview' && state.step !== 'done' && (
            <>
              <span className="tf-grow" />
              <button type="button" className="button" onClick={onClose} disabled={busy}>
                Cancel
              </button>
            </>
          )}
        </footer>
      </div>
    </div>
  );
}

function ExampleList({ examples, disabled, onPick }: { examples: ExampleInfo[] | string | undefined; disabled: boolean; onPick: (example: ExampleInfo) => void }) {
  if (examples === undefined) return <p className="tf-muted">Loading the examples…</p>;
  if (typeof examples === 'string') return <p className="tf-error">{examples}</p>;
  if (examples.length === 0) return <p className="tf-muted">This server ships no examples.</p>;
  return (
    <ul className="tf-examples" data-testid="import-examples">
      {examples.map((ex) => (
        <li key={ex.file}>
          <button type="button" disabled={disabled} onClick={() => onPick(ex)} data-testid={`example-${ex.file}`}>
            <span className="tf-example-name">{ex.name}</span>
            <span className="tf-muted"> · {ex.nodeCount} nodes</span>
            {ex.description && <span className="tf-example-description">{ex.description}</span>}
            {ex.devices.length > 0 && <span className="tf-example-devices">Needs: {ex.devices.join(' · ')}</span>}
          </button>
        </li>
      ))}
    </ul>
  );
}
