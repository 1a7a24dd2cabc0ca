import { useState } from 'react';
import { loadTheirs, overwriteTheirs } from '../lib/deploy.ts';
import { useEditor } from '../store/editor-store.ts';
import { Modal } from './Modal.tsx';

/**
 * A deploy got 409: someone else (another tab, another person, a rollback) deployed since this
 * page loaded. The user loads theirs (their own version stays one Ctrl+Z away) or overwrites.
 */
export function ConflictDialog() {
  const conflict = useEditor((s) => s.server.conflict);
  const setServer = useEditor((s) => s.setServer);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  if (!conflict) return null;

  const close = () => {
    setError(undefined);
    setServer({ conflict: undefined });
  };
  const run = async (action: () => Promise<unknown>) => {
    setBusy(true);
    setError(undefined);
    // Both actions clear the conflict themselves; a second 409 while overwriting sets it again.
    try {
      await action();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      title="Someone else deployed"
      onCancel={close}
      testId="conflict-dialog"
      tone="warning"
      actions={
        <>
          <button type="button" className="button" onClick={close} disabled={busy}>
            Keep editing
          </button>
          <button type="button" className="button" data-testid="conflict-load-theirs" onClick={() => void run(loadTheirs)} disabled={busy}>
            Load theirs
          </button>
          <button type="button" className="button primary" data-testid="conflict-overwrite" data-autofocus onClick={() => void run(overwriteTheirs)} disabled={busy}>
            Overwrite theirs
          </button>
        </>
      }
    >
      <p>
        The flow on the server changed since you loaded it{conflict.theirRev ? <> (it is now revision <code>{conflict.theirRev}</code>)</> : null}.
      </p>
      <ul className="choices">
        <li>
          <strong>Load theirs</strong>: your changes are replaced by the deployed flow. Ctrl+Z brings yours back.
        </li>
        <li>
          <strong>Overwrite theirs</strong>: deploy your version; their changes stop running (they stay in the revisions).
        </li>
      </ul>
      {error && <p className="error-text">{error}</p>}
    </Modal>
  );
}
