/**
 * Statuses that change with every message (a transform's last value, a threshold's last
 * topic) are drawn at most once per STATUS_INTERVAL_MS per node, always with the latest state,
 * and only while somebody watches them (see `watchStatuses`). Building the text and the status
 * object for each message cost more than the rest of the node's work; with 1,000 rules a
 * headless `run`, which shows no statuses, still drew some 4,000 a second that nobody read.
 * Nobody sees them faster anyway: the editor gets at most one status per node per 250 ms.
 * Only runtime adapters use this (it sets a timer).
 */

/** How long a changed status may wait before it is drawn. */
export const STATUS_INTERVAL_MS = 500;

/** Draws a node's current status (reading the node's state at that moment). */
export type StatusDraw = () => void;

/** Nodes whose status changed since it was last drawn; a node leaves when drawn or cancelled. */
const waiting = new Set<StatusLater>();
let timer: ReturnType<typeof setTimeout> | undefined;
let watchers = 0;

function startTimer(): void {
  if (timer !== undefined || waiting.size === 0) return;
  timer = setTimeout(flushStatuses, STATUS_INTERVAL_MS);
  // A status is never a reason to keep the process alive.
  timer.unref?.();
}

/**
 * Draw changed statuses every STATUS_INTERVAL_MS until the returned function is called (the
 * engine does this while anyone listens for status events). Unwatched, a changed status is
 * only marked, and drawn when somebody asks for the current ones (`flushStatuses`).
 */
export function watchStatuses(): () => void {
  watchers++;
  startTimer();
  let watching = true;
  return () => {
    if (watching) watchers--;
    watching = false;
  };
}

/** Draw every changed status now (the timer does this; the engine before it lists statuses). */
export function flushStatuses(): void {
  if (timer !== undefined) clearTimeout(timer);
  timer = undefined;
  const due = [...waiting];
  waiting.clear();
  for (const status of due) status.drawNow();
}

/**
 * One node's deferred status: `changed()` after each message (a flag test when already
 * waiting), `cancel()` when the node shows something newer itself (an error) or closes.
 * `draw` must do nothing for a node that has closed.
 */
export class StatusLater {
  private queued = false;

  constructor(private readonly draw: StatusDraw) {}

  changed(): void {
    if (this.queued) return;
    this.queued = true;
    waiting.add(this);
    if (watchers > 0) startTimer();
  }

  /** Forget a waiting draw (the caller shows something newer itself, or has closed). */
  cancel(): void {
    if (!this.queued) return;
    this.queued = false;
    waiting.delete(this);
  }

  /** Draw now if a change is waiting (flushStatuses calls this). */
  drawNow(): void {
    if (!this.queued) return;
    this.queued = false;
    waiting.delete(this);
    this.draw();
  }
}
