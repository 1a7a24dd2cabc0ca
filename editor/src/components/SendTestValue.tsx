import { useEffect, useLayoutEffect, useRef, useState, type SyntheticEvent } from 'react';
import { createPortal } from 'react-dom';
import { ApiError, api } from '../lib/api.ts';
import { parseTestPayload, sampleTopic } from '../lib/test-value.ts';
import { useEditor } from '../store/editor-store.ts';
import './live.css';

type Outcome = { kind: 'sent' } | { kind: 'failed'; message: string };

function failure(nodeId: string, error: unknown): string {
  const deployed = nodeId in useEditor.getState().server.deployedNodes;
  if (error instanceof ApiError && error.status === 404 && !deployed) return 'Not running yet: deploy first.';
  return error instanceof Error ? error.message : String(error);
}

/** Keep clicks inside the control from selecting, dragging or opening the node under it. */
const stop = (event: SyntheticEvent) => event.stopPropagation();

/**
 * A way to poke a running node from the canvas: a "send" button on an inject node; on an
 * mqtt-in node a small popover to type a payload (JSON or text) and a topic, as if it arrived.
 */
export function SendTestValue({ nodeId, nodeType }: { nodeId: string; nodeType: string }) {
  const [outcome, setOutcome] = useState<Outcome | undefined>();
  const [busy, setBusy] = useState(false);
  const [open, setOpen] = useState(false);
  const anchor = useRef<HTMLButtonElement>(null);

  // The outcome is a brief note, not a state to keep.
  useEffect(() => {
    if (!outcome) return;
    const timer = setTimeout(() => setOutcome(undefined), outcome.kind === 'sent' ? 1500 : 6000);
    return () => clearTimeout(timer);
  }, [outcome]);

  const send = async (payload?: unknown, topic?: string): Promise<boolean> => {
    setBusy(true);
    try {
      await api.inject(nodeId, payload, topic);
      setOutcome({ kind: 'sent' });
      return true;
    } catch (error) {
      setOutcome({ kind: 'failed', message: failure(nodeId, error) });
      return false;
    } finally {
      setBusy(false);
    }
  };

  const note = outcome && (
    <span className={`tf-send-note ${outcome.kind}`} role="status" title={outcome.kind === 'failed' ? outcome.message : undefined}>
      {outcome.kind === 'sent' ? 'Sent ✓' : outcome.message}
    </span>
  );

  if (nodeType === 'inject') {
    return (
      <span className="tf-send nodrag nopan" onClick={stop} onDoubleClick={stop} onPointerDown={stop}>
        <button type="button" className="tf-send-button" disabled={busy} onClick={() => void send()} title="Send this node's value now" data-testid={`send-${nodeId}`}>
          ▶ Send
        </button>
        {note}
      </span>
    );
  }
  if (nodeType !== 'mqtt-in') return null;
  return (
    <span className="tf-send nodrag nopan" onClick={stop} onDoubleClick={stop} onPointerDown={stop}>
      <button
        ref={anchor}
        type="button"
        className="tf-send-button"
        aria-expanded={open}
        onClick={() => setOpen(!open)}
        title="Send a test message into this node, as if it came from the broker"
        data-testid={`send-${nodeId}`}
      >
        ▶ Test value…
      </button>
      {!open && note}
      {open && anchor.current && (
        <TestValuePopover
          nodeId={nodeId}
          anchor={anchor.current}
          busy={busy}
          failure={outcome?.kind === 'failed' ? outcome.message : undefined}
          onClose={() => setOpen(false)}
          onSend={async (payload, topic) => {
            if (await send(payload, topic)) setOpen(false);
          }}
        />
      )}
    </span>
  );
}

function TestValuePopover(props: {
  nodeId: string;
  anchor: HTMLElement;
  busy: boolean;
  failure: string | undefined;
  onClose: () => void;
  onSend: (payload: unknown, topic: string) => void | Promise<void>;
}) {
  const { nodeId, anchor, onClose } = props;
  const filter = useEditor((s) => s.nodes.find((n) => n.id === nodeId)?.data.config['topic']);
  const [text, setText] = useState('');
  const [topic, setTopic] = useState(() => (typeof filter === 'string' ? sampleTopic(filter) : ''));
  const [place, setPlace] = useState<{ left: number; top: number }>();
  const box = useRef<HTMLFormElement>(null);

  // Drawn over the page (not inside the zoomed canvas), just below the button.
  useLayoutEffect(() => {
    const rect = anchor.getBoundingClientRect();
    const width = 280;
    setPlace({ left: Math.max(8, Math.min(rect.left, window.innerWidth - width - 8)), top: rect.bottom + 6 });
  }, [anchor]);

  // Closes on a click elsewhere, Escape, or a zoom (the node would move away from it).
  useEffect(() => {
    const onPointer = (event: PointerEvent) => {
      if (!box.current?.contains(event.target as Node) && !anchor.contains(event.target as Node)) onClose();
    };
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') onClose();
    };
    const onWheel = (event: WheelEvent) => {
      if (!box.current?.contains(event.target as Node)) onClose();
    };
    window.addEventListener('pointerdown', onPointer, true);
    window.addEventListener('keydown', onKey);
    window.addEventListener('wheel', onWheel, { capture: true, passive: true });
    return () => {
      window.removeEventListener('pointerdown', onPointer, true);
      window.removeEventListener('keydown', onKey);
      window.removeEventListener('wheel', onWheel, true);
    };
  }, [anchor, onClose]);

  const payload = parseTestPayload(text);
  const kind = typeof payload === 'string' ? (text.trim() === '' ? 'empty text' : 'text') : Array.isArray(payload) ? 'JSON list' : payload === null ? 'null' : typeof payload === 'object' ? 'JSON object' : typeof payload;

  return createPortal(
    <form
      ref={box}
      className="tf-send-popover"
      role="dialog"
      aria-label={`Send a test value into ${nodeId}`}
      style={place ? { left: place.left, top: place.top } : { visibility: 'hidden' }}
      onSubmit={(event) => {
        event.preventDefault();
        void props.onSend(payload, topic.trim());
      }}
      onClick={stop}
      onPointerDown={stop}
      onDoubleClick={stop}
      onKeyDown={stop}
    >
      <label>
        <span>
          Payload <span className="tf-hint">({kind})</span>
        </span>
        <textarea
          autoFocus
          rows={3}
          value={text}
          placeholder='21.5   or   {"temperature": 21.5}   or   ON'
          onChange={(e) => setText(e.target.value)}
          onKeyDown={(e) => {
            // Enter sends; Shift+Enter makes a new line for longer JSON.
            if (e.key === 'Enter' && !e.shiftKey) {
              e.preventDefault();
              e.currentTarget.form?.requestSubmit();
            }
          }}
          data-testid="test-payload"
        />
      </label>
      <label>
        <span>
          Topic <span className="tf-hint">(fills the {'{captures}'})</span>
        </span>
        <input value={topic} onChange={(e) => setTopic(e.target.value)} placeholder={typeof filter === 'string' ? filter : 'topic'} />
      </label>
      {props.failure && (
        <p className="tf-send-failure" role="alert">
          {props.failure}
        </p>
      )}
      <div className="tf-row">
        <button type="button" className="button ghost" onClick={onClose}>
          Cancel
        </button>
        <button type="submit" className="button primary" disabled={props.busy}>
          Send
        </button>
      </div>
    </form>,
    document.body,
  );
}
