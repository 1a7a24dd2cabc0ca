import { useMemo, type CSSProperties } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { PLACEHOLDER_TYPE } from '../../../nodes/placeholder/definition.ts';
import { nodeForm } from '../lib/schema-form.ts';
import { fieldErrors, LOCAL_PROBLEM_CODES } from '../lib/schema-form-issues.ts';
import { categoryLook } from '../lib/node-look.ts';
import { definitionOf, useEditor } from '../store/editor-store.ts';
import { NodeIcon } from './FlowNode.tsx';
import { FormEnvContext, type FormEnv } from './form/form-env.ts';
import { SchemaForm } from './form/SchemaForm.tsx';
import './forms.css';

/**
 * The selected node's settings: its name, then a form generated from its type's schema with
 * help, defaults as placeholders and the schema's messages under each field as the user types.
 * Every edit is a store.updateNode (undoable; consecutive typing merges into one step).
 */
export function ConfigPanel({ openBroker }: { openBroker: (id: string) => void }) {
  const selectedId = useEditor((s) => s.selectedNodeId);
  const node = useEditor((s) => (s.selectedNodeId ? s.nodes.find((n) => n.id === s.selectedNodeId) : undefined));
  if (!selectedId || !node) return <NothingSelected />;
  return <NodeSettings key={node.id} nodeId={node.id} openBroker={openBroker} />;
}

function NodeSettings({ nodeId, openBroker }: { nodeId: string; openBroker: (id: string) => void }) {
  const data = useEditor((s) => s.nodes.find((n) => n.id === nodeId)?.data);
  const problems = useEditor((s) => s.server.nodeProblems[nodeId]);
  const status = useEditor((s) => s.live.statuses[nodeId]);
  const updateNode = useEditor((s) => s.updateNode);
  const def = data ? definitionOf(data.type) : undefined;
  const form = data ? nodeForm(data.type) : undefined;
  const config = data?.config;

  const errors = useMemo(() => {
    if (!def || !config) return {};
    const parsed = def.config.safeParse(config);
    const out = parsed.success ? {} : fieldErrors(parsed.error.issues, form);
    for (const p of problems ?? []) {
      // The schema cannot know the document's brokers; the broker check says it under the field.
      const field = p.code === 'config.unknown-broker' ? /\.config\.(.+)$/.exec(p.path ?? '')?.[1] : undefined;
      if (field) (out[field] ??= []).push(p.message.replace(/^[^:]+: /, ''));
    }
    return out;
  }, [def, config, form, problems]);
  const env = useMemo<FormEnv>(() => ({ nodeId, root: config ?? {}, openBroker }), [nodeId, config, openBroker]);
  // Problems the form cannot place under a field: wiring, ids, and the server's word on a deploy.
  const otherProblems = (problems ?? []).filter((p) => !LOCAL_PROBLEM_CODES.has(p.code));

  if (!data) return null;
  const look = categoryLook(def?.category);
  return (
    <section className="sb-config" aria-label={`Settings of ${data.name || nodeId}`} style={{ '--accent': look.color, '--tint': look.tint } as CSSProperties}>
      <header className="sb-config-head">
        <span className="sb-config-icon">
          <NodeIcon type={data.type} size={20} />
        </span>
        <div className="sb-config-title">
          <h2>{def?.label ?? data.type}</h2>
          <code className="sb-node-id" title="Node id (used in messages and the flow file)">
            {nodeId}
          </code>
        </div>
        {status && (
          <span className={`sb-status sb-status-${status.fill}`} title={`Live status: ${status.text}`}>
            {status.text}
          </span>
        )}
      </header>
      {def && <p className="sb-config-help">{def.help}</p>}
      {otherProblems.length > 0 && (
        <ul className="sb-problems" aria-label="Problems">
          {otherProblems.map((p, i) => (
            <li key={i}>{p.message}</li>
          ))}
        </ul>
      )}
      <div className="sf-field" data-field="(name)">
        <label className="sf-label" htmlFor={`name-${nodeId}`}>
          Name
        </label>
        <input
          id={`name-${nodeId}`}
          className="sf-input"
          type="text"
          value={data.name ?? ''}
          placeholder={def?.label ?? data.type}
          maxLength={200}
          autoComplete="off"
          onChange={(e) => updateNode(nodeId, { name: e.target.value })}
        />
        <p className="sf-help">Shown on the canvas and in the debug sidebar.</p>
      </div>
      {data.type === PLACEHOLDER_TYPE ? (
        <PlaceholderInfo config={data.config} />
      ) : form && config ? (
        <FormEnvContext.Provider value={env}>
          <SchemaForm fields={form} value={config} errors={errors} onChange={(next) => updateNode(nodeId, { config: next })} formId={`cfg-${nodeId.replace(/[^A-Za-z0-9_-]/g, '-')}`} />
        </FormEnvContext.Provider>
      ) : (
        <p className="sb-empty">topicflow has no node type "{data.type}"; remove this node or import it again.</p>
      )}
    </section>
  );
}

/** An imported Node-RED node topicflow cannot run: what it was and what may replace it. */
function PlaceholderInfo({ config }: { config: Record<string, unknown> }) {
  const text = (key: string) => (typeof config[key] === 'string' ? (config[key] as string) : undefined);
  return (
    <div className="sb-placeholder">
      <p>
        Imported from Node-RED <code>{text('nodeRedType') ?? '?'}</code>: {text('reason') ?? 'it could not be converted'}. Replace it with topicflow nodes, or remove it, before
        deploying.
      </p>
      {text('suggestion') && (
        <>
          <p className="sf-label">A JSONata expression that may do the same (for a transform "expr" step):</p>
          <pre className="sb-code">{text('suggestion')}</pre>
        </>
      )}
      <details>
        <summary>The original node</summary>
        <pre className="sb-code">{JSON.stringify(config['original'], null, 2)}</pre>
      </details>
    </div>
  );
}

/** With no node selected: how to get started, and the nodes that need attention. */
function NothingSelected() {
  const broken = useEditor(useShallow((s) => Object.keys(s.server.nodeProblems)));
  const names = useEditor(useShallow((s) => Object.fromEntries(s.nodes.filter((n) => s.server.nodeProblems[n.id]).map((n) => [n.id, n.data.name || n.id]))));
  const problems = useEditor((s) => s.server.nodeProblems);
  const select = (id: string) => {
    const store = useEditor.getState();
    const node = store.nodes.find((n) => n.id === id);
    if (!node) return;
    if (node.data.flow && node.data.flow !== store.activeTab) store.setActiveTab(node.data.flow);
    store.onNodesChange(useEditor.getState().nodes.filter((n) => !!n.selected !== (n.id === id)).map((n) => ({ type: 'select', id: n.id, selected: n.id === id })));
    useEditor.getState().selectNode(id);
  };
  return (
    <section className="sb-config sb-nothing">
      <p className="sb-empty">Select a node on the canvas to edit its settings.</p>
      {broken.length > 0 && (
        <>
          <h3 className="sb-subhead">
            {broken.length} {broken.length === 1 ? 'node needs' : 'nodes need'} attention
          </h3>
          <ul className="sb-attention">
            {broken.map((id) => (
              <li key={id}>
                <button type="button" className="sf-link" onClick={() => select(id)}>
                  {names[id] ?? id}
                </button>
                <span className="sb-attention-message">{problems[id]?.[0]?.message}</span>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
