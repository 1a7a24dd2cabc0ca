import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useEditor } from '../store/editor-store.ts';

/**
 * The flows of the document as tabs: click to show one, double-click (or the pencil) to rename,
 * × to remove (its nodes go with it, one undo step), + to add.
 */
export function Tabs() {
  const tabs = useEditor((s) => s.tabs);
  const activeTab = useEditor((s) => s.activeTab);
  const { setActiveTab, addTab, renameTab, removeTab } = useEditor.getState();
  const [editing, setEditing] = useState<string | undefined>();

  const countOn = (id: string) => useEditor.getState().nodes.filter((n) => (n.data.flow ?? tabs[0]?.id) === id).length;

  const remove = (id: string, label: string) => {
    const count = countOn(id);
    if (count > 0 && !window.confirm(`Remove "${label}" and its ${count} node${count === 1 ? '' : 's'}? (Ctrl+Z brings it back.)`)) return;
    removeTab(id);
  };

  return (
    <nav className="tabs" aria-label="Flows">
      <div className="tab-list" role="tablist">
        {tabs.map((tab) =>
          editing === tab.id ? (
            <TabNameInput
              key={tab.id}
              initial={tab.label}
              onDone={(label) => {
                if (label !== undefined && label.trim() && label.trim() !== tab.label) renameTab(tab.id, label.trim());
                setEditing(undefined);
              }}
            />
          ) : (
            <div
              key={tab.id}
              role="tab"
              tabIndex={0}
              aria-selected={tab.id === activeTab}
              className={`tab${tab.id === activeTab ? ' active' : ''}`}
              data-testid={`tab-${tab.id}`}
              onClick={() => setActiveTab(tab.id)}
              onDoubleClick={() => setEditing(tab.id)}
              onKeyDown={(e) => {
                if (e.key === 'Enter') setActiveTab(tab.id);
                if (e.key === 'F2') setEditing(tab.id);
              }}
              title="Double-click to rename"
            >
              <span className="tab-label">{tab.label}</span>
              {tab.id === activeTab && (
                <button type="button" className="tab-action" aria-label={`Rename ${tab.label}`} onClick={() => setEditing(tab.id)}>
                  ✎
                </button>
              )}
              {tabs.length > 1 && (
                <button
                  type="button"
                  className="tab-action"
                  aria-label={`Remove ${tab.label}`}
                  data-testid={`tab-remove-${tab.id}`}
                  onClick={(e) => {
                    e.stopPropagation();
                    remove(tab.id, tab.label);
                  }}
                >
                  ×
                </button>
              )}
            </div>
          ),
        )}
      </div>
      <button type="button" className="tab-add" onClick={() => addTab()} aria-label="Add a flow" title="Add a flow" data-testid="tab-add">
        +
      </button>
    </nav>
  );
}

/** The tab's name being edited: Enter or leaving the field keeps it, Escape cancels. */
function TabNameInput(props: { initial: string; onDone: (label: string | undefined) => void }) {
  const [value, setValue] = useState(props.initial);
  const input = useRef<HTMLInputElement>(null);
  const done = useRef(false);
  useEffect(() => input.current?.select(), []);
  const finish = (label: string | undefined) => {
    if (done.current) return;
    done.current = true;
    props.onDone(label);
  };
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Enter') finish(value);
    if (e.key === 'Escape') finish(undefined);
  };
  return (
    <input
      ref={input}
      className="tab tab-input"
      value={value}
      maxLength={60}
      aria-label="Flow name"
      data-testid="tab-rename-input"
      onChange={(e) => setValue(e.target.value)}
      onKeyDown={onKeyDown}
      onBlur={() => finish(value)}
    />
  );
}
