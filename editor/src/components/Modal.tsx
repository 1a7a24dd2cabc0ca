import { useEffect, useId, useRef, type ReactNode } from 'react';

/**
 * A small modal dialog: a title, a body and a row of actions. Escape or a click on the
 * backdrop calls `onCancel`; the element with `data-autofocus` gets the focus when it opens.
 */
export function Modal(props: { title: string; onCancel: () => void; children: ReactNode; actions: ReactNode; testId?: string; tone?: 'warning' | 'danger' }) {
  const titleId = useId();
  const box = useRef<HTMLDivElement>(null);
  const { onCancel } = props;

  useEffect(() => {
    const previous = document.activeElement as HTMLElement | null;
    box.current?.querySelector<HTMLElement>('[data-autofocus]')?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') onCancel();
    };
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('keydown', onKey);
      previous?.focus?.();
    };
  }, [onCancel]);

  return (
    <div className="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onCancel()}>
      <div
        ref={box}
        className={`modal${props.tone ? ` modal-${props.tone}` : ''}`}
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        data-testid={props.testId}
      >
        <h2 id={titleId}>{props.title}</h2>
        <div className="modal-body">{props.children}</div>
        <div className="modal-actions">{props.actions}</div>
      </div>
    </div>
  );
}
