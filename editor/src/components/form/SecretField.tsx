import { useState } from 'react';
import { idSchema } from '../../../../nodes/common-fields.ts';
import type { ApiErrorBody } from '../../../../nodes/protocol.ts';
import { api } from '../../lib/api.ts';
import { useEditor } from '../../store/editor-store.ts';
import { FieldShell } from './FieldShell.tsx';

const TEXT = {
  password: { label: 'Password', stored: 'Password stored', none: 'No password stored', flag: 'hasPassword' },
  passphrase: { label: 'Key passphrase', stored: 'Passphrase stored', none: 'No passphrase stored', flag: 'hasPassphrase' },
} as const;

/** DELETE /api/credentials/:id: forget every secret of a broker entry. */
async function forgetSecrets(brokerId: string): Promise<{ hasPassword: boolean; hasPassphrase: boolean }> {
  const response = await fetch(`/api/credentials/${encodeURIComponent(brokerId)}`, { method: 'DELETE', credentials: 'same-origin' });
  const body = (await response.json().catch(() => undefined)) as ({ hasPassword: boolean; hasPassphrase: boolean } & Partial<ApiErrorBody>) | undefined;
  if (!response.ok) throw new Error(body?.error?.message ?? `${response.status} ${response.statusText}`);
  return { hasPassword: body?.hasPassword ?? false, hasPassphrase: body?.hasPassphrase ?? false };
}

/**
 * A broker's password (or TLS key passphrase): write-only. Saving sends it to the server's
 * encrypted credential store at once; the page only ever learns whether one is stored.
 */
export function SecretField({ brokerId, kind }: { brokerId: string; kind: 'password' | 'passphrase' }) {
  const text = TEXT[kind];
  const stored = useEditor((s) => s.server.credentials[brokerId]?.[text.flag] ?? false);
  const [value, setValue] = useState('');
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<{ ok: boolean; message: string } | undefined>();
  const validId = idSchema.safeParse(brokerId).success;
  const id = `secret-${kind}-${brokerId.replace(/[^A-Za-z0-9_-]/g, '-')}`;

  const remember = (reply: { hasPassword: boolean; hasPassphrase: boolean }) => {
    const server = useEditor.getState().server;
    useEditor.getState().setServer({ credentials: { ...server.credentials, [brokerId]: reply } });
  };
  const save = async () => {
    if (!value || busy || !validId) return;
    setBusy(true);
    try {
      remember(await api.setCredentials(brokerId, { [kind]: value }));
      setValue('');
      setOutcome({ ok: true, message: `${text.stored} (encrypted on the server).` });
    } catch (error) {
      setOutcome({ ok: false, message: `Not stored: ${(error as Error).message}` });
    } finally {
      setBusy(false);
    }
  };
  const forget = async () => {
    setBusy(true);
    try {
      remember(await forgetSecrets(brokerId));
      setOutcome({ ok: true, message: 'Stored secrets of this broker forgotten.' });
    } catch (error) {
      setOutcome({ ok: false, message: `Not forgotten: ${(error as Error).message}` });
    } finally {
      setBusy(false);
    }
  };

  const help =
    kind === 'password'
      ? 'Never part of the flow file: saved encrypted on the server right away, and never shown again.'
      : 'For an encrypted client key; saved encrypted on the server, never shown again.';
  return (
    <FieldShell id={id} path={`(${kind})`} label={text.label} help={help} errors={outcome && !outcome.ok ? [outcome.message] : []}>
      <div className="sf-secret-box">
        <div className="sf-secret">
          <input
            id={id}
            className="sf-input"
            type="password"
            autoComplete="new-password"
            value={value}
            placeholder={stored ? '•••••••• (stored)' : 'not set'}
            onChange={(e) => {
              setValue(e.target.value);
              setOutcome(undefined);
            }}
            onKeyDown={(e) => {
              if (e.key === 'Enter') void save();
            }}
          />
          <button type="button" className="sb-button" disabled={!value || busy || !validId} onClick={() => void save()}>
            {busy ? 'Saving…' : 'Save'}
          </button>
        </div>
        <p className={`sf-secret-state${stored ? ' sf-secret-stored' : ''}`} aria-live="polite" data-testid={`${kind}-state`}>
          {stored ? `✓ ${text.stored}` : text.none}
          {outcome?.ok && !outcome.message.startsWith(text.stored) && ` — ${outcome.message}`}
          {stored && kind === 'password' && (
            <button type="button" className="sf-link" disabled={busy} onClick={() => void forget()}>
              Forget
            </button>
          )}
        </p>
      </div>
    </FieldShell>
  );
}
