import { memo, useMemo, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { DEBUG_KEEP, isErrorEntry } from '../lib/live-batch.ts';
import { useEditor } from '../store/editor-store.ts';
import type { DebugEntry } from '../store/types.ts';
import './live.css';

/** At most this many entries are drawn; the store keeps more (DEBUG_KEEP). */
export const DEBUG_RENDER_LIMIT = 200;
/** `debugFilter` value meaning "whichever node is selected on the canvas". */
export const SELECTED_NODE_FILTER = '\u0000selected';

const number = new Intl.NumberFormat();

function clock(time: number): string {
  const d = new Date(time);
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

/** A one-line preview of a value, cut at `max` characters. */
export function previewValue(value: unknown, max = 80): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value) ?? String(value);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function ValueView({ value }: { value: unknown }) {
  if (typeof value === 'object' && value !== null) {
    const size = Array.isArray(value) ? `[${value.length}]` : `{${Object.keys(value).length}}`;
    return (
      <details className="tf-debug-object">
        <summary>
          <span className="tf-debug-size">{size}</span> {previewValue(value)}
        </summary>
        <pre>{JSON.stringify(value, null, 2)}</pre>
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
  // Names only change when a node is renamed, not when one is dragged: a shallow-equal record.
  const names = useEditor(useShallow((s) => Object.fromEntries(s.nodes.map((n) => [n.id, n.data.name || n.id]))));
  const debugNodes = useEditor(useShallow((s) => s.nodes.filter((n) => n.data.type === 'debug').map((n) => n.id)));
  const connected = useEditor((s) => s.live.connected);
  const [showAll, setShowAll] = useState(false);

  const nodeFilter = filter === SELECTED_NODE_FILTER ? (selectedNodeId ?? '') : filter;
  const shown = useMemo(() => (nodeFilter === undefined ? entries : entries.filter((e) => e.nodeId === nodeFilter)), [entries, nodeFilter]);
  const limit = showAll ? DEBUG_KEEP : DEBUG_RENDER_LIMIT;
  const visible = useMemo(() => shown.slice(-limit).reverse(), [shown, limit]);
  const options = useMemo(() => {
    const ids = new Set(debugNodes);
    for (const e of entries) ids.add(e.nodeId);
    return [...ids].sort((a, b) => (names[a] ?? a).localeCompare(names[b] ?? b));
  }, [debugNodes, entries, names]);
  const errors = useMemo(() => entries.reduce((n, e) => n + (isErrorEntry(e) ? 1 : 0), 0), [entries]);


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
        <p className="tf-debug-notice" data-testid="debug-dropped" title="The server sends at most 10 messages a second per debug node; this page keeps 50 per 0.1 s and the last 500">
          {number.format(dropped)} {dropped === 1 ? 'message' : 'messages'} dropped (rate limit, paused, too fast to show, or older than the last {DEBUG_KEEP})
        </p>
      )}
      <div className="tf-debug-count">
        {filter === SELECTED_NODE_FILTER && !selectedNodeId
          ? 'Select a node on the canvas to see its messages.'
          : `${number.format(shown.length)} ${shown.length === 1 ? 'message' : 'messages'}${errors > 0 ? ` · ${number.format(errors)} ${errors === 1 ? 'error' : 'errors'}` : ''}${shown.length > visible.length ? ` · newest ${visible.length} shown` : ''}`}
        {shown.length > DEBUG_RENDER_LIMIT && (
          <button type="button" className="link" onClick={() => setShowAll(!showAll)}>
            {showAll ? 'show fewer' : 'show all'}
          </button>
        )}
      </div>
      {visible.length === 0 && shown.length === 0 && entries.length === 0 ? (
        <p className="tf-debug-empty">Messages reaching a debug node, and node errors, appear here.</p>
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
