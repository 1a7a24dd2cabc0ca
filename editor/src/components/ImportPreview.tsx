import type { ReactNode } from 'react';
import type { BrokerEntryInput } from '../../../nodes/broker.ts';
import type { Problem } from '../../../nodes/errors.ts';
import type { ImportMode, ImportOutcome } from '../lib/import-apply.ts';
import type { ImportReport, IncomingDocument, MergeResult, ReportItem } from '../lib/import.ts';

/** A file read and understood, ready to be imported. */
export interface PreparedImport {
  /** Where it came from: a file name, "Pasted text", an example's name. */
  label: string;
  kind: 'topicflow' | 'node-red';
  document: IncomingDocument;
  /** The server's conversion report (Node-RED exports). */
  report?: ImportReport;
  /** The Node-RED export as read, sent again on confirm so the server stores its credentials. */
  source?: unknown;
  /** What the validator says about the file on its own: fixed in the editor before deploying. */
  problems: readonly Problem[];
}

const LIST_LIMIT = 12;

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** Up to LIST_LIMIT items, then "and N more". */
function Capped<T>({ items, render }: { items: readonly T[]; render: (item: T, index: number) => ReactNode }) {
  return (
    <ul>
      {items.slice(0, LIST_LIMIT).map((item, i) => (
        <li key={i}>{render(item, i)}</li>
      ))}
      {items.length > LIST_LIMIT && <li className="tf-muted">and {items.length - LIST_LIMIT} more</li>}
    </ul>
  );
}

function itemText(item: ReportItem): ReactNode {
  const who = item.name && item.id ? `${item.name} (${item.id})` : (item.name ?? item.id);
  return (
    <>
      {who && <strong>{who}</strong>}
      {item.type && <span className="tf-muted"> {item.type}</span>}
      {item.message && <>{who || item.type ? ': ' : ''}{item.message}</>}
    </>
  );
}

/** The server's Node-RED report: what converted as is, with differences, and not at all. */
export function ReportView({ report }: { report: ImportReport }) {
  const sections: [string, string, ReportItem[]][] = [
    ['Converted', 'ok', report.converted],
    ['Converted with differences', 'warn', report.differences],
    ['Not supported (left out)', 'bad', report.unsupported],
    ['Notes', 'note', report.notes],
  ];
  return (
    <div className="tf-import-report" data-testid="import-report">
      <h3>Node-RED conversion</h3>
      {sections.map(([title, tone, items]) =>
        items.length === 0 ? null : (
          <details key={title} className={`tf-report-${tone}`} open={tone !== 'ok' || items.length <= 6}>
            <summary>
              {title} ({items.length})
            </summary>
            <Capped items={items} render={itemText} />
          </details>
        ),
      )}
      {sections.every(([, , items]) => items.length === 0) && <p className="tf-muted">The server sent no details about the conversion.</p>}
    </div>
  );
}

function typeSummary(nodes: IncomingDocument['nodes']): string {
  const counts = new Map<string, number>();
  for (const n of nodes) counts.set(n.type, (counts.get(n.type) ?? 0) + 1);
  return [...counts].map(([type, n]) => `${n} ${type}`).join(', ');
}

/** What "add" will do: additions, renamed ids, reused and renamed brokers. */
export function MergeView({ merge, doc, laidOut, current }: { merge: MergeResult; doc: IncomingDocument; laidOut: boolean; current: readonly BrokerEntryInput[] }) {
  const brokersAdded = merge.brokers;
  return (
    <div className="tf-import-merge" data-testid="merge-preview">
      <p>
        Adds <strong>{plural(merge.added.nodes, 'node')}</strong>
        {merge.added.nodes > 0 && <span className="tf-muted"> ({typeSummary(doc.nodes)})</span>}, {plural(merge.added.edges, 'wire')}
        {brokersAdded.length > 0 && <> and {plural(brokersAdded.length, 'broker')}</>}. Nothing already in the flow changes.
      </p>
      {merge.renamed.size > 0 && (
        <div data-testid="merge-renamed">
          <h4>{plural(merge.renamed.size, 'id is', 'ids are')} already taken and get a new one</h4>
          <Capped items={[...merge.renamed]} render={([from, to]) => <><code>{from}</code> → <code>{to}</code></>} />
        </div>
      )}
      {merge.reusedBrokers.length > 0 && (
        <div data-testid="merge-reused">
          <h4>Brokers you already have (same URL) are reused</h4>
          <Capped
            items={merge.reusedBrokers}
            render={(b) => (
              <>
                <code>{b.incomingId}</code> ({b.url}) → your broker <code>{b.existingId}</code>
              </>
            )}
          />
        </div>
      )}
      {brokersAdded.length > 0 && (
        <div>
          <h4>New brokers</h4>
          <Capped
            items={brokersAdded}
            render={(b) => {
              const from = [...merge.renamedBrokers].find(([, to]) => to === b.id)?.[0];
              return (
                <>
                  <code>{b.id}</code> {b.url}
                  {from && (
                    <span className="tf-muted">
                      {' '}
                      (the file calls it “{from}”, but your “{from}” is {current.find((c) => c.id === from)?.url ?? 'another broker'})
                    </span>
                  )}
                  <span className="tf-muted"> — set its password, if any, in the broker settings</span>
                </>
              );
            }}
          />
        </div>
      )}
      {merge.droppedEdges > 0 && <p className="tf-warn">{plural(merge.droppedEdges, 'wire')} to nodes not in the file are left out.</p>}
      {laidOut && <p className="tf-muted">The nodes are laid out automatically (left to right).</p>}
    </div>
  );
}

/** What the file itself says: name, description, the devices it expects. */
export function DocumentHeader({ prepared }: { prepared: PreparedImport }) {
  const doc = prepared.document;
  return (
    <div className="tf-import-doc">
      <div className="tf-import-source">
        <strong>{doc.name || prepared.label}</strong>
        <span className={`tf-badge ${prepared.kind}`}>{prepared.kind === 'node-red' ? 'Node-RED export, converted' : 'topicflow flow'}</span>
      </div>
      {doc.description && <p className="tf-import-description">{doc.description}</p>}
      {doc.devices && doc.devices.length > 0 && (
        <div>
          <h4>Devices it expects</h4>
          <Capped items={doc.devices} render={(d) => d} />
        </div>
      )}
    </div>
  );
}

export function ProblemsView({ problems }: { problems: readonly Problem[] }) {
  if (problems.length === 0) return null;
  return (
    <div className="tf-import-problems" data-testid="import-problems">
      <h4>{plural(problems.length, 'thing')} to fix before it can be deployed</h4>
      <Capped items={problems} render={(p) => (p.nodeId ? <><code>{p.nodeId}</code>: {p.message}</> : p.message)} />
    </div>
  );
}

/** After the import: what happened, in words. */
export function OutcomeView({ outcome, count }: { outcome: ImportOutcome; count: { nodes: number; edges: number } }) {
  const merge = outcome.merge;
  return (
    <div className="tf-import-done" role="status" data-testid="import-done">
      {outcome.mode === 'replace' ? (
        <p>
          ✓ The flow was replaced: {plural(count.nodes, 'node')}, {plural(count.edges, 'wire')}.
        </p>
      ) : (
        <p>
          ✓ Added {plural(merge?.added.nodes ?? 0, 'node')}, {plural(merge?.added.edges ?? 0, 'wire')}
          {merge && merge.added.brokers > 0 ? ` and ${plural(merge.added.brokers, 'broker')}` : ''} to “{outcome.tabLabel}”
          {merge && merge.renamed.size > 0 ? ` (${plural(merge.renamed.size, 'node')} renamed)` : ''}. They are selected on the canvas.
        </p>
      )}
      <p className="tf-muted">Nothing runs until you deploy. Ctrl+Z takes the import back.</p>
    </div>
  );
}

export function ModeChoice({ mode, onChange, existing }: { mode: ImportMode; onChange: (mode: ImportMode) => void; existing: number }) {
  return (
    <fieldset className="tf-import-mode">
      <legend>How to import</legend>
      <label>
        <input type="radio" name="import-mode" checked={mode === 'add'} onChange={() => onChange('add')} data-testid="mode-add" />
        <span>
          <strong>Add to this flow</strong> — your nodes stay as they are
        </span>
      </label>
      <label>
        <input type="radio" name="import-mode" checked={mode === 'replace'} onChange={() => onChange('replace')} data-testid="mode-replace" />
        <span>
          <strong>Replace the flow</strong> — {existing > 0 ? `your ${plural(existing, 'node')} are removed (Ctrl+Z brings them back)` : 'the flow is empty anyway'}
        </span>
      </label>
    </fieldset>
  );
}
