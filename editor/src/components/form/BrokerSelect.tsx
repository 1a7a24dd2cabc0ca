import { freshId } from '../../store/document.ts';
import { useEditor } from '../../store/editor-store.ts';
import type { TextField } from '../../lib/schema-form.ts';
import { useFormEnv } from './form-env.ts';
import type { ControlProps } from './inputs.tsx';
import { BrokerStateBadge } from './BrokerStateBadge.tsx';

const NEW_BROKER = '\u0000new';

/** The URL a new broker entry starts with: the embedded broker of a default install. */
export const NEW_BROKER_URL = 'mqtt://127.0.0.1:1883';

/** Add a broker entry with a fresh id and return the id. */
export function addBroker(): string {
  const store = useEditor.getState();
  const id = freshId('broker', new Set(store.brokers.map((b) => b.id)));
  store.upsertBroker({ id, url: NEW_BROKER_URL });
  return id;
}

/** A node's broker field: the document's broker entries, their state, and "New broker…". */
export function BrokerSelect(props: ControlProps<TextField>) {
  const { value, onChange } = props;
  const brokers = useEditor((s) => s.brokers);
  const env = useFormEnv();
  const current = typeof value === 'string' ? value : '';
  const known = brokers.some((b) => b.id === current);
  return (
    <div className="sf-broker">
      <select
        id={props.id}
        className="sf-input sf-select"
        value={current}
        aria-invalid={props.invalid || undefined}
        aria-describedby={props.describedBy}
        aria-required
        onChange={(e) => {
          if (e.target.value === NEW_BROKER) {
            const id = addBroker();
            onChange(id);
            env.openBroker?.(id);
          } else onChange(e.target.value);
        }}
      >
        {!current && <option value="">choose a broker…</option>}
        {current && !known && <option value={current}>{current} (not in this flow)</option>}
        {brokers.map((b) => (
          <option key={b.id} value={b.id}>
            {b.name ? `${b.name} (${b.id})` : b.id} — {b.url}
          </option>
        ))}
        <option value={NEW_BROKER}>New broker…</option>
      </select>
      {known && (
        <div className="sf-broker-line">
          <BrokerStateBadge brokerId={current} />
          {env.openBroker && (
            <button type="button" className="sf-link" onClick={() => env.openBroker?.(current)}>
              Edit broker
            </button>
          )}
        </div>
      )}
    </div>
  );
}
