import { definitionsByType } from '../../../nodes/registry.ts';
import { freshId } from './document.ts';
import type { EditorState } from './editor-state.ts';

type Edit = (change: (state: EditorState) => Partial<EditorState>, key?: string) => void;

/** Broker and tab edits, each one undo step (`edit` records it). */
export function documentActions(edit: Edit, get: () => EditorState) {
  return {
    upsertBroker(broker, previousId) {
      edit((s) => {
        const id = previousId ?? broker.id;
        const exists = s.brokers.some((b) => b.id === id);
        const brokers = exists ? s.brokers.map((b) => (b.id === id ? broker : b)) : [...s.brokers, broker];
        // A renamed broker keeps its nodes: their broker fields follow the new id.
        const nodes =
          previousId && previousId !== broker.id
            ? s.nodes.map((n) => {
                const fields = definitionsByType.get(n.data.type)?.brokerFields ?? [];
                if (!fields.some((f) => n.data.config[f] === previousId)) return n;
                const config = { ...n.data.config };
                for (const f of fields) if (config[f] === previousId) config[f] = broker.id;
                return { ...n, data: { ...n.data, config } };
              })
            : s.nodes;
        return { brokers, nodes };
      }, `broker:${previousId ?? broker.id}`);
    },

    removeBroker(id) {
      edit((s) => ({ brokers: s.brokers.filter((b) => b.id !== id) }));
    },

    addTab(label) {
      const id = freshId('flow', new Set(get().tabs.map((t) => t.id)));
      edit((s) => ({ tabs: [...s.tabs, { id, label: label ?? `Flow ${s.tabs.length + 1}` }], activeTab: id }));
      return id;
    },

    renameTab(id, label) {
      edit((s) => ({ tabs: s.tabs.map((t) => (t.id === id ? { ...t, label } : t)) }), `tab:${id}`);
    },

    removeTab(id) {
      const state = get();
      if (state.tabs.length <= 1) return;
      const tabs = state.tabs.filter((t) => t.id !== id);
      const gone = new Set(state.nodes.filter((n) => n.data.flow === id).map((n) => n.id));
      edit((s) => ({
        tabs,
        nodes: s.nodes.filter((n) => !gone.has(n.id)),
        edges: s.edges.filter((e) => !gone.has(e.source) && !gone.has(e.target)),
        activeTab: s.activeTab === id ? tabs[0]!.id : s.activeTab,
      }));
    }
  } satisfies Partial<EditorState>;
}
