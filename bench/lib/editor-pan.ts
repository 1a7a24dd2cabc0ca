/**
 * The editor bench's pan measure: the canvas of an open page is dragged with the middle mouse
 * button for PAN_MS and the interval between animation frames is recorded.
 *
 * Chromium normally starts a frame only at the display's vsync (60 Hz), so a frame that is
 * produced in 3 ms still shows as a 16.7 ms interval and "≤ 16 ms" can never be seen. Launched
 * with {@link UNLOCKED_FRAME_RATE_ARGS} it starts the next frame as soon as the last one is done:
 * the interval is then the real time to produce a frame (input, React Flow's update, style,
 * layout, paint and the compositor's share of the two cores), the figure the issue's ≤ 16 ms is
 * compared with. The same drag in a normally launched browser gives "frames on time at 60 Hz"
 * ({@link lateFrames}).
 */
import type { Page } from 'playwright-core';
import type { PageElement, PageWindow } from '../../test/support/browser.ts';
import { percentile } from './stats.ts';

/** Chromium flags that let it make frames as fast as it can instead of at each 60 Hz vsync. */
export const UNLOCKED_FRAME_RATE_ARGS = ['--disable-frame-rate-limit', '--disable-gpu-vsync'];

const PAN_MS = 2000;
/** A display at 60 Hz: a frame interval past one period plus this slack missed its vsync. */
const VSYNC_MS = 1000 / 60;
const VSYNC_SLACK_MS = 2;

/** A point of the canvas where the empty pane (no node, edge or control) is under the mouse. */
export async function emptyPanePoint(page: Page): Promise<{ x: number; y: number }> {
  const box = await page.locator('.react-flow__pane').boundingBox();
  if (!box) throw new Error('no canvas pane on the page');
  const point = await page.evaluate((b) => {
    const w = globalThis as unknown as PageWindow;
    for (let fy = 0.5; fy < 0.95; fy += 0.013) {
      for (const fx of [0.5, 0.45, 0.55, 0.4, 0.6, 0.35, 0.65, 0.3, 0.7]) {
        const x = b.x + b.width * fx;
        const y = b.y + b.height * fy;
        const hit = w.document.elementFromPoint(x, y) as PageElement | null;
        if (hit && String(hit.className).includes('react-flow__pane')) return { x, y };
      }
    }
    return undefined;
  }, box);
  if (!point) throw new Error('found no empty spot on the canvas to pan from');
  return point;
}

/**
 * Wait until the page has had no long task (>50 ms) for `quietMs`: the load's last steps (the
 * fit view, the live statuses arriving) are over, so a pan measures panning.
 */
export async function waitForQuiet(page: Page, quietMs = 1000, maxMs = 15_000): Promise<void> {
  await page.evaluate(
    ({ quietMs, maxMs }) =>
      new Promise<void>((resolve) => {
        const w = globalThis as unknown as PageWindow & { performance: { now(): number }; setTimeout(fn: () => void, ms: number): number };
        let lastLong = w.performance.now();
        const observer = new w.PerformanceObserver((list) => {
          for (const entry of list.getEntries()) lastLong = Math.max(lastLong, entry.startTime + entry.duration);
        });
        observer.observe({ type: 'longtask' });
        const begin = w.performance.now();
        const check = (): void => {
          const now = w.performance.now();
          if (now - lastLong >= quietMs || now - begin >= maxMs) resolve();
          else w.setTimeout(check, 100);
        };
        w.setTimeout(check, 100);
      }),
    { quietMs, maxMs },
  );
}

/** The canvas's pan offset, read from the transform React Flow puts on its viewport element. */
async function viewportTransform(page: Page): Promise<{ x: number; y: number }> {
  const transform = (await page.locator('.react-flow__viewport').getAttribute('style')) ?? '';
  const match = /translate\(\s*(-?[\d.]+)px,\s*(-?[\d.]+)px\)/.exec(transform);
  return match ? { x: Number(match[1]), y: Number(match[2]) } : { x: Number.NaN, y: Number.NaN };
}

/**
 * rAF intervals (ms) of the page at rest for `ms`, but for a 1-px mark of its own moving in a
 * corner (with nothing to draw chromium makes no frames, only its 60 Hz ticks): a few ms when
 * the frame rate is unlocked, 16.7 when it is not.
 */
export function idleFrameIntervals(page: Page, ms = 300): Promise<number[]> {
  return page.evaluate(
    (ms) =>
      new Promise<number[]>((resolve) => {
        const w = globalThis as unknown as PageWindow & {
          document: { createElement(tag: string): { style: { cssText: string; transform: string }; remove(): void }; body: { append(node: unknown): void } };
        };
        const mark = w.document.createElement('div');
        mark.style.cssText = 'position:fixed;left:0;top:0;width:1px;height:1px;background:#000;pointer-events:none';
        w.document.body.append(mark);
        const intervals: number[] = [];
        let first = -1;
        let last = -1;
        const tick = (now: number): void => {
          if (last >= 0) intervals.push(now - last);
          else first = now;
          last = now;
          mark.style.transform = `translateX(${intervals.length % 2}px)`;
          if (now - first < ms) {
            w.requestAnimationFrame(tick);
            return;
          }
          mark.remove();
          resolve(intervals);
        };
        w.requestAnimationFrame(tick);
      }),
    ms,
  );
}

/**
 * rAF intervals (ms) while the mouse drags the canvas for PAN_MS: a sweep of 300 px to the
 * right with a slow wave up and down, so the whole flow keeps moving. `frame`: played in the
 * page as chromium delivers a real mouse's moves (coalesced, one per frame at the frame's
 * start), each sent to the element under the pointer after the same hit test the browser does;
 * `awaited`: playwright input events, each waiting until the page took the previous one (the
 * older measure: moves then arrive between frames, none in some and two in others).
 */
async function dragIntervals(page: Page, input: 'frame' | 'awaited'): Promise<number[]> {
  const start = await emptyPanePoint(page);
  if (input === 'frame') {
    // The whole drag in the page: press, one move per frame, release (the real mouse stays put,
    // so chromium adds no hover updates of its own under the moving canvas).
    return page.evaluate(
      ({ start, panMs }) =>
        new Promise<number[]>((resolve) => {
          const w = globalThis as unknown as PageWindow & {
            MouseEvent: new (type: string, init: Record<string, unknown>) => unknown;
            PointerEvent: new (type: string, init: Record<string, unknown>) => unknown;
            performance: { now(): number };
          };
          type Target = { dispatchEvent(event: unknown): boolean };
          // As chromium does for each (coalesced) move: find the element under the pointer, send it
          // the pointer event, then the mouse event (mousedown → pointerdown first, and so on).
          const mouse = (type: string, x: number, y: number, buttons: number): void => {
            const target = w.document.elementFromPoint(x, y) as unknown as Target | null;
            const init = { bubbles: true, cancelable: true, composed: true, view: w, clientX: x, clientY: y, screenX: x, screenY: y, button: type === 'mousemove' ? -1 : 1, buttons };
            target?.dispatchEvent(new w.PointerEvent(type.replace('mouse', 'pointer'), { ...init, pointerId: 1, pointerType: 'mouse', isPrimary: true }));
            target?.dispatchEvent(new w.MouseEvent(type, { ...init, button: type === 'mousemove' ? 0 : 1 }));
          };
          // The middle button pans (the left one draws a selection box on this canvas).
          mouse('mousedown', start.x, start.y, 4);
          const intervals: number[] = [];
          const begin = w.performance.now();
          let last = begin;
          const tick = (now: number): void => {
            intervals.push(now - last);
            last = now;
            const progress = Math.min(1, (now - begin) / panMs);
            const x = start.x + 300 * progress;
            const y = start.y + 80 * Math.sin(progress * 2 * Math.PI);
            mouse('mousemove', x, y, 4);
            if (progress < 1) {
              w.requestAnimationFrame(tick);
              return;
            }
            mouse('mouseup', x, y, 0);
            // The first interval spans the set-up before the drag.
            resolve(intervals.slice(1));
          };
          w.requestAnimationFrame(tick);
        }),
      { start, panMs: PAN_MS },
    );
  }
  await page.evaluate(() => {
    const w = globalThis as unknown as PageWindow & { __panFrames: number[]; __panStop: boolean; performance: { now(): number } };
    w.__panFrames = [];
    w.__panStop = false;
    let last = w.performance.now();
    const tick = (now: number): void => {
      w.__panFrames.push(now - last);
      last = now;
      if (!w.__panStop) w.requestAnimationFrame(tick);
    };
    w.requestAnimationFrame(tick);
  });
  await page.mouse.move(start.x, start.y);
  await page.mouse.down({ button: 'middle' });
  const begin = Date.now();
  for (let elapsed = 0; elapsed < PAN_MS; elapsed = Date.now() - begin) {
    const progress = elapsed / PAN_MS;
    await page.mouse.move(start.x + 300 * progress, start.y + 80 * Math.sin(progress * 2 * Math.PI));
  }
  await page.mouse.up({ button: 'middle' });
  return page.evaluate(() => {
    const w = globalThis as unknown as PageWindow & { __panFrames: number[]; __panStop: boolean };
    w.__panStop = true;
    // The first interval spans the set-up before the drag.
    return w.__panFrames.slice(1);
  });
}

/**
 * Frames that missed their 60 Hz vsync among `intervals` (ms): `late` intervals longer than a
 * period (plus a little slack for timer jitter), `dropped` vsyncs that showed no new frame.
 */
export function lateFrames(intervals: readonly number[]): { late: number; dropped: number } {
  let late = 0;
  let dropped = 0;
  for (const interval of intervals) {
    if (interval <= VSYNC_MS + VSYNC_SLACK_MS) continue;
    late++;
    dropped += Math.max(1, Math.round(interval / VSYNC_MS) - 1);
  }
  return { late, dropped };
}

export interface PanMeasure {
  frameMsP50: number;
  frameMsP95: number;
  frameMsMax: number;
  frames: number;
  /** Frames that missed a 60 Hz vsync (meaningful when the frame rate is locked to it). */
  late: number;
  dropped: number;
  /** How far the canvas moved during the drag (px): the pan really happened. */
  movedPx: number;
}

const round = (n: number): number => Math.round(n * 10) / 10;

/** Drag the canvas of `page` (loaded and quiet) for PAN_MS and sum up its frame intervals. */
export async function measurePan(page: Page, input: 'frame' | 'awaited' = 'frame'): Promise<PanMeasure> {
  const before = await viewportTransform(page);
  const intervals = await dragIntervals(page, input);
  const after = await viewportTransform(page);
  return {
    frameMsP50: round(percentile(intervals, 50)),
    frameMsP95: round(percentile(intervals, 95)),
    frameMsMax: round(Math.max(...intervals)),
    frames: intervals.length,
    ...lateFrames(intervals),
    movedPx: Math.round(Math.hypot(after.x - before.x, after.y - before.y)),
  };
}
