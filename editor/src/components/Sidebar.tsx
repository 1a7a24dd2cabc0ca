import { useCallback, useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useEditor } from '../store/editor-store.ts';
import { BrokerEditor } from './BrokerEditor.tsx';
import { ConfigPanel } from './ConfigPanel.tsx';
import { DebugPanel } from './DebugPanel.tsx';
import { useLiveValidation } from './form/use-live-validation.ts';
import { TopicList } from './TopicList.tsx';
import './forms.css';

const TABS = [
  { id: 'node', label: 'Node' },
  { id: 'brokers', label: 'Brokers' },
  { id: 'topics', label: 'Topics' },
  { id: 'debug', label: 'Debug' },
] as const;

type TabId = (typeof TABS)[number]['id'];

/**
 * The right-hand panel: the selected node's settings, the broker entries, the topics seen on
 * the brokers, and debug messages. On narrow screens it is a drawer (store.panelOpen).
 * It also keeps every node's config checked against its schema as the document changes.
 */
export function Sidebar() {
  useLiveValidation();
  const [tab, setTab] = useState<TabId>('node');
  const [brokerFocus, setBrokerFocus] = useState<{ id: string; seq: number } | undefined>();
  const selectedNodeId = useEditor((s) => s.selectedNodeId);
  const setPanelOpen = useEditor((s) => s.setPanelOpen);
  const problemCount = useEditor((s) => Object.keys(s.server.nodeProblems).length);
  const brokerCount = useEditor((s) => s.brokers.length);
  const tabRefs = useRef<Record<string, HTMLButtonElement | null>>({});

  // Selecting a node shows its settings.
  useEffect(() => {
    if (selectedNodeId) setTab('node');
  }, [selectedNodeId]);

  const openBroker = useCallback((id: string) => {
    setBrokerFocus((previous) => ({ id, seq: (previous?.seq ?? 0) + 1 }));
    setTab('brokers');
  }, []);

  const onTabKey = (event: KeyboardEvent) => {
    const index = TABS.findIndex((t) => t.id === tab);
    const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
    if (!step) return;
    event.preventDefault();
    const next = TABS[(index + step + TABS.length) % TABS.length]!.id;
    setTab(next);
    tabRefs.current[next]?.focus();
  };

  return (
    <aside className="sidebar sb" aria-label="Side panel" data-testid="sidebar">
      <div className="sb-tabs" role="tablist" aria-label="Side panel" onKeyDown={onTabKey}>
        {TABS.map((t) => (
          <button
            key={t.id}
            ref={(el) => {
              tabRefs.current[t.id] = el;
            }}
            type="button"
            role="tab"
            id={`sb-tab-${t.id}`}
            aria-selected={tab === t.id}
            aria-controls={`sb-panel-${t.id}`}
            tabIndex={tab === t.id ? 0 : -1}
            className={`sb-tab${tab === t.id ? ' sb-tab-active' : ''}`}
            onClick={() => setTab(t.id)}
          >
            {t.label}
            {t.id === 'node' && problemCount > 0 && (
              <span className="sb-badge sb-badge-danger" title={`${problemCount} ${problemCount === 1 ? 'node has' : 'nodes have'} problems`}>
                {problemCount}
              </span>
            )}
            {t.id === 'brokers' && brokerCount > 0 && <span className="sb-badge">{brokerCount}</span>}
          </button>
        ))}
        <button type="button" className="sb-close" aria-label="Close the side panel" title="Close" onClick={() => setPanelOpen(false)}>
          ✕
        </button>
      </div>
      <div className="sb-panel" role="tabpanel" id={`sb-panel-${tab}`} aria-labelledby={`sb-tab-${tab}`}>
        {tab === 'node' && <ConfigPanel openBroker={openBroker} />}
        {tab === 'brokers' && <BrokerEditor focus={brokerFocus} />}
        {tab === 'topics' && <TopicList />}
        {tab === 'debug' && <DebugPanel />}
      </div>
    </aside>
  );
}
