import { memo, useMemo, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { previewValue, sizeLabel } from '../lib/debug-format.ts';
import { DEBUG_KEEP, DEBUG_PER_FLUSH, FLUSH_MS, isErrorEntry } from '../lib/live-batch.ts';
import { debugNodeIdsOf, nodeNamesOf } from '../lib/node-derived.ts';
import { useEditor } from '../store/editor-store.ts';
import type { DebugEntry } from '../store/types.ts';
import './live.css';

/** `debugFilter` value meaning "whichever node is selected on the canvas". */
export const SELECTED_NODE_FILTER = '\u0000selected';

const number = new Intl.NumberFormat();
/** Text longer than this is shown folded, like an object. */
const LONG_TEXT = 300;

function clock(time: number): string {
  const d = new Date(time);
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

function ValueView({ value }: { value: unknown }) {
  // The pretty JSON is made only when opened: most objects in a busy list are never looked at.
  const [open, setOpen] = useState(false);
  if (typeof value === 'object' && value !== null) {
    return (
      <details className="tf-debug-object" onToggle={(e) => setOpen(e.currentTarget.open)}>
        <summary>
          <span className="tf-debug-size">{sizeLabel(value)}</span> {previewValue(value)}
        </summary>
        {open && <pre>{JSON.stringify(value, null, 2)}</pre>}
      </details>
    );
  }
  if (typeof value === 'string' && value.length > LONG_TEXT) {
    return (
      <details className="tf-debug-object" onToggle={(e) => setOpen(e.currentTarget.open)}>
        <summary>
          <span className="tf-debug-size">{number.format(value.length)} characters</span> {previewValue(value)}
        </summary>
        {open && <pre>{value}</pre>}
      </details>
    );
  }
  if (typeof value === 'string') return <span className="tf-debug-value string">{value === '' ? '(empty text)' : value}</span>;
  return <span className={`tf-debug-value ${typeof value}`}>{String(value)}</span>;
}

const Entry = memo(function Entry({ entry, name, onPick }: { entry: DebugEntry; name: string; onPick: (id: string) => void }) {
  const error = isErrorEntry(entry);
  return (
    <li className={error ? 'tf-debug-entry error' : 'tf-debug-entry'} data-testid="debug-entry">
      <div className="tf-debug-meta">
        <time dateTime={new Date(entry.time).toISOString()}>{clock(entry.time)}</time>
        <button type="button" className="tf-debug-node" onClick={() => onPick(entry.nodeId)} title={`Select ${entry.nodeId} on the canvas`}>
          {name}
        </button>
        {error && <span className="tf-debug-badge">error</span>}
        {entry.topic && <span className="tf-debug-topic" title={entry.topic}>{entry.topic}</span>}
      </div>
      <ValueView value={entry.value} />
    </li>
  );
});

/** Show a node: its tab, selected on the canvas, its config panel open. */
function selectOnCanvas(id: string): void {
  const store = useEditor.getState();
  const node = store.nodes.find((n) => n.id === id);
  if (!node) return;
  if (node.data.flow && node.data.flow !== store.activeTab) store.setActiveTab(node.data.flow);
  const nodes = useEditor.getState().nodes;
  useEditor.getState().onNodesChange(nodes.filter((n) => !!n.selected !== (n.id === id)).map((n) => ({ type: 'select', id: n.id, selected: n.id === id })));
  useEditor.getState().selectNode(id);
}

/**
 * The debug sidebar: messages of debug nodes and every node error (in red), newest first,
 * filtered by node or by the selected node; pause, clear, and how many were dropped (by the
 * server's rate limit, while paused, or because they came too fast to show).
 */
export function DebugPanel() {
  const entries = useEditor((s) => s.live.debug);
  const dropped = useEditor((s) => s.live.debugDropped);
  const paused = useEditor((s) => s.live.debugPaused);
  const filter = useEditor((s) => s.live.debugFilter);
  const selectedNodeId = useEditor((s) => s.selectedNodeId);
  const setLive = useEditor((s) => s.setLive);
  // Names only change when a node is renamed, not when one is dragged: a shallow-equal record,
  // derived once per node list (not on every live update: with a thousand nodes that adds up).
  const names = useEditor(useShallow((s) => nodeNamesOf(s.nodes)));
  const debugNodes = useEditor(useShallow((s) => debugNodeIdsOf(s.nodes)));
  const connected = useEditor((s) => s.live.connected);

  const nodeFilter = filter === SELECTED_NODE_FILTER ? (selectedNodeId ?? '') : filter;
  const shown = useMemo(() => (nodeFilter === undefined ? entries : entries.filter((e) => e.nodeId === nodeFilter)), [entries, nodeFilter]);
  // Newest first. The store keeps at most DEBUG_KEEP, so the list stays small enough to draw whole.
  const visible = useMemo(() => shown.slice().reverse(), [shown]);
  const options = useMemo(() => {
    const ids = new Set(debugNodes);
    for (const e of entries) ids.add(e.nodeId);
    return [...ids].sort((a, b) => (names[a] ?? a).localeCompare(names[b] ?? b));
  }, [debugNodes, entries, names]);
  const errors = useMemo(() => shown.reduce((n, e) => n + (isErrorEntry(e) ? 1 : 0), 0), [shown]);

  return (
    <section className="tf-debug" aria-label="Debug messages" data-testid="debug-panel">
      <div className="tf-debug-bar">
        <select
          value={filter ?? ''}
          onChange={(e) => setLive({ debugFilter: e.target.value || undefined })}
          aria-label="Show messages of"
          data-testid="debug-filter"
        >
          <option value="">All nodes</option>
          <option value={SELECTED_NODE_FILTER}>Selected node only</option>
          {options.map((id) => (
            <option key={id} value={id}>
              {names[id] && names[id] !== id ? `${names[id]} (${id})` : id}
            </option>
          ))}
        </select>
        <button type="button" className="button ghost" onClick={() => setLive({ debugPaused: !paused })} aria-pressed={paused} data-testid="debug-pause">
          {paused ? '▶ Resume' : '❚❚ Pause'}
        </button>
        <button type="button" className="button ghost" onClick={() => setLive({ debug: [], debugDropped: 0 })} data-testid="debug-clear">
          Clear
        </button>
      </div>
      {!connected && <p className="tf-debug-notice warn">Not connected to the runtime: no live messages until it is back.</p>}
      {paused && <p className="tf-debug-notice">Paused: new messages are not kept (counted as dropped).</p>}
      {dropped > 0 && (
        <p className="tf-debug-notice" data-testid="debug-dropped" title={`The server sends at most 10 messages a second per debug node; this page takes at most ${DEBUG_PER_FLUSH} every ${FLUSH_MS} ms and keeps the last ${DEBUG_KEEP}`}>
          {number.format(dropped)} {dropped === 1 ? 'message' : 'messages'} dropped (rate limit, paused, too fast to show, or older than the last {DEBUG_KEEP})
        </p>
      )}
      <div className="tf-debug-count">
        {filter === SELECTED_NODE_FILTER && !selectedNodeId
          ? 'Select a node on the canvas to see its messages.'
          : `${number.format(shown.length)} ${shown.length === 1 ? 'message' : 'messages'}${errors > 0 ? ` · ${number.format(errors)} ${errors === 1 ? 'error' : 'errors'}` : ''}`}
      </div>
      {entries.length === 0 ? (
        <p className="tf-debug-empty">Messages reaching a debug node, and node errors, appear here.</p>
      ) : shown.length === 0 ? (
        nodeFilter ? <p className="tf-debug-empty">No messages from {names[nodeFilter] ?? nodeFilter} yet.</p> : null
      ) : (
        <ol className="tf-debug-list">
          {visible.map((entry) => (
            <Entry key={entry.seq} entry={entry} name={names[entry.nodeId] ?? entry.nodeId} onPick={selectOnCanvas} />
          ))}
        </ol>
      )}
    </section>
  );
}
