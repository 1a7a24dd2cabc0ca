import { useEditor } from '../../store/editor-store.ts';

const LABELS = { connected: 'connected', connecting: 'connecting…', disconnected: 'disconnected', failed: 'cannot connect' } as const;

/**
 * The live connection state of a broker entry (from the runtime's broker-state events), with
 * the broker's reason when it refused or dropped the connection.
 */
export function BrokerStateBadge({ brokerId, withReason = true }: { brokerId: string; withReason?: boolean }) {
  const state = useEditor((s) => s.live.brokerStates[brokerId]);
  if (!state) {
    return (
      <span className="sf-state sf-state-none" data-state="none">
        <span className="sf-dot" aria-hidden="true" />
        not connected (deploy to connect)
      </span>
    );
  }
  return (
    <span className={`sf-state sf-state-${state.state}`} data-state={state.state} title={state.reason}>
      <span className="sf-dot" aria-hidden="true" />
      {LABELS[state.state]}
      {withReason && state.reason && state.state !== 'connected' && <span className="sf-state-reason">: {state.reason}</span>}
    </span>
  );
}
