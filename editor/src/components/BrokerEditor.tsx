import { useEffect, useMemo, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { brokerSchema, isPublicTestBroker, type BrokerEntryInput } from '../../../nodes/broker.ts';
import { idSchema } from '../../../nodes/common-fields.ts';
import { brokerForm } from '../lib/schema-form.ts';
import { fieldErrors, type FieldErrors } from '../lib/schema-form-issues.ts';
import { definitionOf, useEditor } from '../store/editor-store.ts';
import { addBroker } from './form/BrokerSelect.tsx';
import { BrokerStateBadge } from './form/BrokerStateBadge.tsx';
import { FieldShell, describedBy } from './form/FieldShell.tsx';
import { FormEnvContext } from './form/form-env.ts';
import { SchemaForm } from './form/SchemaForm.tsx';
import { SecretField } from './form/SecretField.tsx';
import './forms.css';

/** Ids of the nodes whose broker fields name `brokerId`. */
function useUsers(brokerId: string): string[] {
  return useEditor(
    useShallow((s) =>
      s.nodes.filter((n) => (definitionOf(n.data.type)?.brokerFields ?? []).some((f) => n.data.config[f] === brokerId)).map((n) => n.data.name || n.id),
    ),
  );
}

/**
 * The broker entries of the flow: their live connection state, and a form per entry with every
 * field of the broker schema (validated as typed), plus the write-only password.
 * `focus` opens one entry (a node's "New broker…" or "Edit broker"); its `seq` makes a repeat count.
 */
export function BrokerEditor({ focus }: { focus?: { id: string; seq: number } | undefined }) {
  const brokers = useEditor((s) => s.brokers);
  const [openId, setOpenId] = useState<string | undefined>(focus?.id ?? (brokers.length === 1 ? brokers[0]!.id : undefined));
  useEffect(() => {
    if (focus) setOpenId(focus.id);
  }, [focus]);

  return (
    <section className="sb-brokers" aria-label="Brokers">
      <p className="sb-intro">The MQTT brokers this flow talks to. Nodes pick one by its id; changes take effect on deploy.</p>
      {brokers.length === 0 && <p className="sb-empty">No broker yet. Add one to receive and publish messages.</p>}
      <ul className="sb-broker-list">
        {brokers.map((broker) => (
          <BrokerItem key={broker.id} broker={broker} open={openId === broker.id} onToggle={() => setOpenId(openId === broker.id ? undefined : broker.id)} onRenamed={setOpenId} />
        ))}
      </ul>
      <button type="button" className="sb-button" onClick={() => setOpenId(addBroker())}>
        + Add broker
      </button>
    </section>
  );
}

function BrokerItem({ broker, open, onToggle, onRenamed }: { broker: BrokerEntryInput; open: boolean; onToggle(): void; onRenamed(id: string): void }) {
  const users = useUsers(broker.id);
  const bodyId = `broker-${broker.id.replace(/[^A-Za-z0-9_-]/g, '-')}`;
  return (
    <li className={`sb-broker${open ? ' sb-open' : ''}`} data-broker={broker.id}>
      <button type="button" className="sb-broker-row" aria-expanded={open} aria-controls={bodyId} onClick={onToggle}>
        <span className="sb-broker-name">
          <strong>{broker.name || broker.id}</strong>
          {broker.name && <code>{broker.id}</code>}
        </span>
        <span className="sb-broker-url">{broker.url}</span>
        <span className="sb-broker-meta">
          <BrokerStateBadge brokerId={broker.id} withReason={false} />
          <span>· used by {users.length === 0 ? 'no node' : users.length === 1 ? '1 node' : `${users.length} nodes`}</span>
        </span>
      </button>
      {open && (
        <div id={bodyId} className="sb-broker-body">
          <BrokerForm broker={broker} users={users} onRenamed={onRenamed} />
        </div>
      )}
    </li>
  );
}

function BrokerForm({ broker, users, onRenamed }: { broker: BrokerEntryInput; users: string[]; onRenamed(id: string): void }) {
  const upsertBroker = useEditor((s) => s.upsertBroker);
  const removeBroker = useEditor((s) => s.removeBroker);
  const state = useEditor((s) => s.live.brokerStates[broker.id]);
  const serverProblems = useEditor(useShallow((s) => s.server.otherProblems.filter((p) => p.brokerId === broker.id).map((p) => p.message)));
  const duplicate = useEditor((s) => s.brokers.filter((b) => b.id === broker.id).length > 1);
  const [confirmRemove, setConfirmRemove] = useState(false);

  const errors = useMemo<FieldErrors>(() => {
    const parsed = brokerSchema.safeParse(broker);
    const out = parsed.success ? {} : fieldErrors(parsed.error.issues);
    if (duplicate) (out['id'] ??= []).push(`another broker also has the id "${broker.id}"`);
    return out;
  }, [broker, duplicate]);
  const fields = useMemo(() => brokerForm().filter((f) => f.key !== 'id'), []);
  const hasKey = typeof broker.tls?.key === 'string' && broker.tls.key !== '';

  return (
    <FormEnvContext.Provider value={{ root: broker as Record<string, unknown> }}>
      {state && state.state !== 'connected' && state.reason && <p className="sb-problem-line">The broker says: {state.reason}</p>}
      {isPublicTestBroker(broker.url) && <p className="sb-warning">This is a public test broker: anyone on the internet can read and write its topics. Fine for a demo, never for a home.</p>}
      {serverProblems.length > 0 && (
        <ul className="sb-problems">
          {serverProblems.map((m) => (
            <li key={m}>{m}</li>
          ))}
        </ul>
      )}
      <IdField broker={broker} errors={errors['id'] ?? []} onRenamed={onRenamed} />
      <SchemaForm
        fields={fields}
        value={broker as Record<string, unknown>}
        errors={errors}
        formId={`bk-${broker.id.replace(/[^A-Za-z0-9_-]/g, '-')}`}
        onChange={(next) => upsertBroker(next as BrokerEntryInput, broker.id)}
        after={{
          username: <SecretField brokerId={broker.id} kind="password" />,
          ...(hasKey ? { tls: <SecretField brokerId={broker.id} kind="passphrase" /> } : {}),
        }}
      />
      <div className="sb-remove">
        {confirmRemove ? (
          <div className="sb-confirm" role="alertdialog" aria-label="Remove this broker?">
            <p>
              {users.length > 0 ? `${users.join(', ')} ${users.length === 1 ? 'uses' : 'use'} this broker and will need another one.` : 'No node uses this broker.'} Remove it?
            </p>
            <button type="button" className="sb-button sb-danger" onClick={() => removeBroker(broker.id)}>
              Remove
            </button>
            <button type="button" className="sb-button" onClick={() => setConfirmRemove(false)}>
              Keep
            </button>
          </div>
        ) : (
          <button type="button" className="sb-button sb-danger-outline" onClick={() => setConfirmRemove(true)}>
            Remove broker
          </button>
        )}
      </div>
    </FormEnvContext.Provider>
  );
}

/** The id is committed on Enter or when leaving the field: nodes using the broker follow a rename. */
function IdField({ broker, errors, onRenamed }: { broker: BrokerEntryInput; errors: string[]; onRenamed(id: string): void }) {
  const [draft, setDraft] = useState(broker.id);
  const taken = useEditor(useShallow((s) => s.brokers.map((b) => b.id)));
  const hadSecret = useEditor((s) => s.server.credentials[broker.id]?.hasPassword ?? false);
  const [note, setNote] = useState<string | undefined>();
  useEffect(() => setDraft(broker.id), [broker.id]);

  const parsed = idSchema.safeParse(draft);
  const draftErrors = draft === broker.id ? errors : !parsed.success ? parsed.error.issues.map((i) => i.message) : taken.includes(draft) ? [`another broker already has the id "${draft}"`] : [];
  const commit = () => {
    if (draft === broker.id || draftErrors.length > 0) return;
    useEditor.getState().upsertBroker({ ...broker, id: draft }, broker.id);
    if (hadSecret) setNote(`The stored password belongs to the id "${broker.id}"; store it again for "${draft}".`);
    onRenamed(draft);
  };
  const id = `broker-id-${broker.id.replace(/[^A-Za-z0-9_-]/g, '-')}`;
  const help = 'Nodes name the broker by this id; renaming updates them. Letters, digits, _ . : -';
  return (
    <FieldShell id={id} path="id" label="Id" help={note ?? help} errors={draftErrors} required>
      <input
        id={id}
        className="sf-input sf-mono"
        type="text"
        value={draft}
        autoComplete="off"
        spellCheck={false}
        aria-invalid={draftErrors.length > 0 || undefined}
        aria-describedby={describedBy(id, draftErrors, help)}
        onChange={(e) => setDraft(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => {
          if (e.key === 'Enter') commit();
          if (e.key === 'Escape') setDraft(broker.id);
        }}
      />
    </FieldShell>
  );
}
