import { useEffect, useMemo, useState, type DragEvent } from 'react';
import type { SeenTopic } from '../../../nodes/protocol.ts';
import { defaultConfig } from '../store/document.ts';
import { useEditor } from '../store/editor-store.ts';
import { ago, payloadPreview, refreshSeenTopics, useSeenTopics } from './form/use-seen-topics.ts';
import './forms.css';

/**
 * The drag-and-drop contract with the canvas: a seen topic dragged from this list carries
 * `{ broker, topic }` as JSON under this type; dropping it on the canvas adds an mqtt-in
 * subscribed to that topic on that broker.
 */
export const TOPIC_DRAG_TYPE = 'application/topicflow-topic';

export interface DraggedTopic {
  broker: string;
  topic: string;
}

const REFRESH_MS = 5000;
const MAX_ROWS = 500;

/** Add an mqtt-in for a seen topic below the nodes of the current tab (for touch screens, where dragging is not possible). */
export function addTopicNode({ broker, topic }: DraggedTopic): string {
  const store = useEditor.getState();
  const onTab = store.nodes.filter((n) => (n.data.flow ?? store.tabs[0]?.id) === store.activeTab);
  const x = onTab.length ? Math.min(...onTab.map((n) => n.position.x)) : 0;
  const y = onTab.length ? Math.max(...onTab.map((n) => n.position.y)) + 100 : 0;
  return store.addNode('mqtt-in', { x, y }, { ...defaultConfig('mqtt-in', store.brokers), broker, topic });
}

function onDragStart(event: DragEvent, seen: SeenTopic): void {
  const payload: DraggedTopic = { broker: seen.broker, topic: seen.topic };
  event.dataTransfer.setData(TOPIC_DRAG_TYPE, JSON.stringify(payload));
  event.dataTransfer.setData('text/plain', seen.topic);
  event.dataTransfer.effectAllowed = 'copy';
}

/**
 * Topics seen on the deployed brokers with their last payload, refreshed while shown. Drag a
 * row onto the canvas (or press its +) to get an mqtt-in node for that topic.
 */
export function TopicList() {
  const seen = useSeenTopics();
  const brokers = useEditor((s) => s.brokers);
  const [search, setSearch] = useState('');
  const [broker, setBroker] = useState('');

  useEffect(() => {
    void refreshSeenTopics();
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') void refreshSeenTopics();
    }, REFRESH_MS);
    return () => clearInterval(timer);
  }, []);

  const brokerIds = useMemo(() => [...new Set([...brokers.map((b) => b.id), ...seen.topics.map((t) => t.broker)])], [brokers, seen.topics]);
  const rows = useMemo(() => {
    const needle = search.trim().toLowerCase();
    return seen.topics.filter((t) => (!broker || t.broker === broker) && (!needle || t.topic.toLowerCase().includes(needle) || t.payload.toLowerCase().includes(needle)));
  }, [seen.topics, search, broker]);

  return (
    <section className="sb-topics" aria-label="Topics seen">
      <p className="sb-intro">Topics seen on the deployed brokers, with their last payload. Drag one onto the canvas to subscribe to it.</p>
      <div className="sb-topics-bar">
        <input className="sf-input" type="search" placeholder="Search topics and payloads" aria-label="Search topics" value={search} onChange={(e) => setSearch(e.target.value)} />
        {brokerIds.length > 1 && (
          <select className="sf-input sf-select" aria-label="Broker" value={broker} onChange={(e) => setBroker(e.target.value)}>
            <option value="">All brokers</option>
            {brokerIds.map((id) => (
              <option key={id} value={id}>
                {id}
              </option>
            ))}
          </select>
        )}
        <button type="button" className="sb-button" onClick={() => void refreshSeenTopics()} disabled={seen.loading} title="Fetch the topics again">
          ↻
        </button>
      </div>
      {seen.error && <p className="sb-problem-line">Topics could not be loaded: {seen.error}</p>}
      {seen.fetchedAt !== undefined && rows.length === 0 && (
        <p className="sb-empty">{seen.topics.length === 0 ? 'No messages seen yet. Topics appear here once a deployed broker delivers messages.' : 'No topic matches the search.'}</p>
      )}
      <ul className="sb-topic-list">
        {rows.slice(0, MAX_ROWS).map((t) => (
          <li key={`${t.broker}\u0000${t.topic}`} className="sb-topic" draggable onDragStart={(e) => onDragStart(e, t)} title={`Drag onto the canvas to subscribe to ${t.topic}`} data-topic={t.topic}>
            <div className="sb-topic-main">
              <code className="sb-topic-name">{t.topic}</code>
              <span className="sb-topic-payload">{payloadPreview(t, 80)}</span>
              <span className="sb-topic-meta">
                {brokerIds.length > 1 && <span>{t.broker} · </span>}
                {t.count}× · {ago(t.lastSeen)}
                {t.retained && ' · retained'}
              </span>
            </div>
            <button type="button" className="sf-icon-button" aria-label={`Add an MQTT in node for ${t.topic}`} title="Add an MQTT in node for this topic" onClick={() => addTopicNode({ broker: t.broker, topic: t.topic })}>
              +
            </button>
          </li>
        ))}
      </ul>
      {rows.length > MAX_ROWS && <p className="sb-empty">{rows.length - MAX_ROWS} more: search to narrow the list.</p>}
    </section>
  );
}
