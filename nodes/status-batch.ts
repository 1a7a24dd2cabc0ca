/**
 * Statuses that change with every message (a transform's last value, a threshold's last
 * topic) are drawn at most once per STATUS_INTERVAL_MS per node, always with the latest state.
 * Building the text and the status object for each message cost more than the rest of the
 * node's work: with 1,000 rules each status lived until that node's next message, long enough
 * to be copied by the young-generation GC. Nobody sees them faster anyway: the editor gets
 * at most one status per node per 250 ms. Only runtime adapters use this (it sets a timer).
 */

/** How long a changed status may wait before it is drawn. */
export const STATUS_INTERVAL_MS = 500;

/** Draws a node's current status (reading the node's state at that moment). */
export type StatusDraw = () => void;

let waiting: StatusDraw[] = [];
let timer: ReturnType<typeof setTimeout> | undefined;

/**
 * Have `draw` run within STATUS_INTERVAL_MS. The caller keeps a flag so that it asks once
 * until drawn (see `StatusLater`); `draw` must do nothing for a node that has closed.
 */
function schedule(draw: StatusDraw): void {
  waiting.push(draw);
  if (timer === undefined) {
    timer = setTimeout(flushStatuses, STATUS_INTERVAL_MS);
    // A status is never a reason to keep the process alive.
    timer.unref?.();
  }
}

/** Draw every waiting status now (the timer does this; tests call it to see the latest). */
export function flushStatuses(): void {
  if (timer !== undefined) clearTimeout(timer);
  timer = undefined;
  const draws = waiting;
  waiting = [];
  for (const draw of draws) draw();
}

/**
 * One node's deferred status: `changed()` after each message (a flag test when already
 * waiting), `now()` for a status that must replace any waiting one at once (an error).
 */
export class StatusLater {
  private queued = false;
  private readonly run = (): void => {
    if (!this.queued) return;
    this.queued = false;
    this.draw();
  };

  constructor(private readonly draw: StatusDraw) {}

  changed(): void {
    if (this.queued) return;
    this.queued = true;
    schedule(this.run);
  }

  /** Forget a waiting draw (the caller shows something newer itself, or has closed). */
  cancel(): void {
    this.queued = false;
  }
}
