import { cancelDeploy, deployFlow } from '../lib/deploy.ts';
import { useEditor, warningKey } from '../store/editor-store.ts';
import { Modal } from './Modal.tsx';

/**
 * The validator found things that are allowed but rarely meant (a feedback loop, an unwired
 * node, a public broker): the user deploys anyway, or goes back to fix them. Warnings accepted
 * once are not asked about again in this session.
 */
export function DeployWarningsDialog() {
  const confirming = useEditor((s) => s.server.deployState === 'confirming');
  const all = useEditor((s) => s.server.warnings);
  const accepted = useEditor((s) => s.server.acceptedWarnings);
  if (!confirming) return null;
  const known = new Set(accepted);
  const warnings = all.filter((w) => !known.has(warningKey(w)));
  const before = all.length - warnings.length;
  return (
    <Modal
      title={`Deploy with ${warnings.length} warning${warnings.length === 1 ? '' : 's'}?`}
      onCancel={cancelDeploy}
      testId="deploy-warnings"
      tone="warning"
      actions={
        <>
          <button type="button" className="button" onClick={cancelDeploy} data-testid="deploy-cancel">
            Cancel
          </button>
          <button type="button" className="button primary" data-autofocus onClick={() => void deployFlow({ acceptWarnings: true })} data-testid="deploy-anyway">
            Deploy anyway
          </button>
        </>
      }
    >
      <ul className="problem-list">
        {warnings.map((w, i) => (
          <li key={i}>{w.message}</li>
        ))}
      </ul>
      {before > 0 && <p className="muted">…and {before} you already deployed with.</p>}
    </Modal>
  );
}
