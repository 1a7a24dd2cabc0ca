/**
 * How the editor copes with big flows, in Debian's chromium: a 500- and a 1,000-node flow
 * (rules of MQTT in → transform → threshold → MQTT out laid out on a grid) is deployed to a
 * real server, the page is opened, and the bench measures
 *
 * - loadMs: from the start of navigation until every node and every wire is rendered on the
 *   canvas (`.react-flow__node` measured and visible, `.react-flow__edge` drawn), bundle
 *   download and GET /api/flows included;
 * - renderMs: from the end of the GET /api/flows reply until then;
 * - panFrameMsP50/P95: requestAnimationFrame intervals while the canvas is dragged around
 *   with the middle mouse button for about 2 s (1,000 nodes), once the page is quiet after the
 *   load. The drag is played in the page as chromium delivers a real mouse's: the press, then
 *   one move per frame (chromium coalesces a mouse's moves and hands them over at the start of
 *   each frame), each sent to the element under the pointer after the same hit test the browser
 *   does. The CLI also shows the older measure, where playwright sends each move as an input
 *   event and waits for the page to take it: moves then arrive between frames, none in some
 *   frames and two in others, which no real mouse does;
 * - bundle: gzip size of editor/dist/app.js and app.css.
 *
 *     node --import tsx bench/editor.ts [--editor-dir=<another build of the editor>]
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { Browser, Page } from 'playwright-core';
import { EDITOR_DIST } from '../editor/build.ts';
import { startAedes } from '../test/support/brokers.ts';
import { KEEP_NAMES_SHIM, ensureEditorBuilt, launchChromium, type PageElement, type PageWindow } from '../test/support/browser.ts';
import { hasChromium, missingMessage } from '../test/support/requirements.ts';
import { startTestServer, type TestServer } from '../test/support/test-server.ts';
import { percentile } from './lib/stats.ts';

export interface EditorBench {
  nodes500: { loadMs: number; renderMs: number };
  nodes1000: { loadMs: number; renderMs: number; panFrameMsP50: number; panFrameMsP95: number };
  bundle: { jsGzipKB: number; cssGzipKB: number };
}

const VIEWPORT = { width: 1280, height: 800 };
const RENDER_TIMEOUT_MS = 60_000;
const PAN_MS = 2000;
/** The rendered node count must hold this long to count as settled (see renderWatcher). */
const SETTLE_MS = 1000;
/** Rules per row of the grid; each rule is four nodes side by side. */
const RULES_PER_ROW = 8;
const NODE_DX = 220;
const RULE_DX = 4 * NODE_DX + 120;
const ROW_DY = 110;

/** A flow of `nodeCount / 4` rules, each MQTT in → transform → threshold → MQTT out, on a grid. */
export function benchDocument(nodeCount: number, brokerUrl: string) {
  if (nodeCount % 4 !== 0) throw new Error(`the bench flow has 4 nodes per rule; ${nodeCount} is not a multiple of 4`);
  const rules = nodeCount / 4;
  const nodes: unknown[] = [];
  const edges: { source: string; target: string }[] = [];
  for (let r = 0; r < rules; r++) {
    const x = (r % RULES_PER_ROW) * RULE_DX;
    const y = Math.floor(r / RULES_PER_ROW) * ROW_DY;
    const id = (kind: string) => `r${r}-${kind}`;
    nodes.push(
      { id: id('in'), type: 'mqtt-in', position: { x, y }, config: { broker: 'home', topic: `bench/r${r}/+room/th_sensor` } },
      { id: id('temp'), type: 'transform', position: { x: x + NODE_DX, y }, config: { ops: [{ op: 'path', path: 'temperature' }] } },
      { id: id('hot'), type: 'threshold', position: { x: x + 2 * NODE_DX, y }, config: { above: 25, hysteresis: 0.5 } },
      { id: id('out'), type: 'mqtt-out', position: { x: x + 3 * NODE_DX, y }, config: { broker: 'home', topic: `actuator/r${r}/{room}/fan` } },
    );
    edges.push({ source: id('in'), target: id('temp') }, { source: id('temp'), target: id('hot') }, { source: id('hot'), target: id('out') });
  }
  return { format: 'topicflow/1', name: `Bench ${nodeCount} nodes`, brokers: [{ id: 'home', url: brokerUrl }], nodes, edges };
}

/**
 * Installed before the page's own scripts: records when the canvas has rendered every node and
 * wire it will show. If the editor renders only what is in view, "all" is either every node
 * and wire (`target`, `edgeTarget`) or the counts once they have not changed for SETTLE_MS;
 * the time recorded is that of the last change (the frame the last node or wire appeared in).
 */
function renderWatcher({ target, edgeTarget, settleMs }: { target: number; edgeTarget: number; settleMs: number }): void {
  const w = globalThis as unknown as PageWindow;
  let count = 0;
  let edges = 0;
  let changedAt = 0;
  const check = (now: number): void => {
    const nodes = w.document.querySelectorAll('.react-flow__node');
    let visible = 0;
    for (let i = 0; i < nodes.length; i++) if (nodes[i]!.style.visibility !== 'hidden') visible++;
    const wires = w.document.querySelectorAll('.react-flow__edge').length;
    if (visible !== count || wires !== edges) {
      count = visible;
      edges = wires;
      changedAt = now;
    }
    w['__rendered'] = count;
    w['__renderedEdges'] = edges;
    if ((count >= target && edges >= edgeTarget) || (count > 0 && now - changedAt >= settleMs)) {
      w['__allRenderedAt'] = changedAt;
      return;
    }
    w.requestAnimationFrame(check);
  };
  w.requestAnimationFrame(check);
}

async function measureLoad(browser: Browser, url: string, nodeCount: number): Promise<{ loadMs: number; renderMs: number; rendered: number; page: Page }> {
  const context = await browser.newContext({ viewport: VIEWPORT });
  await context.addInitScript(KEEP_NAMES_SHIM);
  const page = await context.newPage();
  // The bench flow has 3 wires per 4 nodes (see benchDocument).
  await page.addInitScript(renderWatcher, { target: nodeCount, edgeTarget: (nodeCount / 4) * 3, settleMs: SETTLE_MS });
  await page.goto(url);
  try {
    await page.waitForFunction(() => (globalThis as unknown as PageWindow)['__allRenderedAt'] !== undefined, undefined, { timeout: RENDER_TIMEOUT_MS, polling: 100 });
  } catch {
    const rendered = await page.evaluate(() => (globalThis as unknown as PageWindow)['__rendered']);
    await context.close();
    throw new Error(`only ${String(rendered)} of ${nodeCount} nodes were rendered within ${RENDER_TIMEOUT_MS} ms`);
  }
  const { allRenderedAt, rendered, flowsEnd } = await page.evaluate(() => {
    const w = globalThis as unknown as PageWindow;
    const entry = performance.getEntriesByType('resource').find((e) => e.name.endsWith('/api/flows')) as { responseEnd: number } | undefined;
    return { allRenderedAt: w['__allRenderedAt'] as number, rendered: w['__rendered'] as number, flowsEnd: entry?.responseEnd ?? Number.NaN };
  });
  return { loadMs: allRenderedAt, renderMs: allRenderedAt - flowsEnd, rendered, page };
}

/** A point of the canvas where the empty pane (no node, edge or control) is under the mouse. */
async function emptyPanePoint(page: Page): Promise<{ x: number; y: number }> {
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
 * rAF intervals (ms) while the mouse drags the canvas around for PAN_MS: a sweep of 300 px to
 * the right with a slow wave up and down, so the whole flow keeps moving. `frame`: one move per
 * frame, dispatched in the page at the start of the frame to the element under the pointer;
 * `awaited`: playwright input events, each waiting until the page took the previous one.
 */
async function measurePan(page: Page, input: 'frame' | 'awaited' = 'frame'): Promise<number[]> {
  const start = await emptyPanePoint(page);
  const at = (progress: number) => ({ x: start.x + 300 * progress, y: start.y + 80 * Math.sin(progress * 2 * Math.PI) });
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
    const point = at(elapsed / PAN_MS);
    await page.mouse.move(point.x, point.y);
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
 * Wait until the page has had no long task (>50 ms) for `quietMs`: the load's last steps (the
 * fit-view animation, the live statuses arriving) are over, so a pan measures panning.
 */
async function waitForQuiet(page: Page, quietMs = 1000, maxMs = 15_000): Promise<void> {
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

async function gzipKB(dir: string, file: string): Promise<number> {
  return Math.round((gzipSync(await readFile(join(dir, file))).length / 1024) * 10) / 10;
}

/** What the bench measured, with what the figures are based on. */
export interface EditorBenchRun {
  result: EditorBench;
  /** Nodes on screen when the load counted as done (the editor renders only those in view past 400). */
  rendered: { nodes500: number; nodes1000: number };
  panFrames: number;
  /** How far the canvas moved during the pan (px), to show the pan really happened. */
  panMovedPx: number;
  /** The same pan with playwright mouse moves, each waiting for the page to take the previous one (the older measure). */
  awaitedPan: { frameMsP50: number; frameMsP95: number; frames: number };
}

/** Runs the editor bench: needs Debian's chromium. */
export async function runEditorBench(): Promise<EditorBench> {
  return (await runEditorBenchDetailed()).result;
}

/**
 * {@link runEditorBench} with the details behind its figures. `editorDir`: serve that build of
 * the editor instead of editor/dist (to compare with another version; the bundle figures are
 * then that build's too).
 */
export async function runEditorBenchDetailed(options: { editorDir?: string } = {}): Promise<EditorBenchRun> {
  if (!hasChromium()) throw new Error(missingMessage('chromium'));
  const editorDir = options.editorDir ?? EDITOR_DIST;
  if (!options.editorDir) await ensureEditorBuilt();
  const broker = await startAedes();
  let server: TestServer | undefined;
  let browser: Browser | undefined;
  try {
    server = await startTestServer({ connectTimeoutMs: 5000, editorDir });
    browser = await launchChromium();
    const deploy = async (count: number): Promise<void> => {
      const current = (await server!.api('/api/flows')).json<{ rev: string | null }>().rev;
      const reply = await server!.api('/api/flows', {
        method: 'PUT',
        body: benchDocument(count, broker.url),
        ...(current ? { headers: { 'If-Match': `"${current}"` } } : {}),
      });
      if (reply.status !== 200) throw new Error(`deploying ${count} nodes failed: ${reply.status} ${reply.text.slice(0, 500)}`);
    };

    await deploy(500);
    const small = await measureLoad(browser, server.server.url, 500);
    await small.page.context().close();

    await deploy(1000);
    const big = await measureLoad(browser, server.server.url, 1000);
    await waitForQuiet(big.page);
    const viewportBefore = await viewportTransform(big.page);
    const frames = await measurePan(big.page);
    const viewportAfter = await viewportTransform(big.page);
    await waitForQuiet(big.page);
    const awaitedFrames = await measurePan(big.page, 'awaited');
    await big.page.context().close();

    const round = (n: number): number => Math.round(n * 10) / 10;
    const result: EditorBench = {
      nodes500: { loadMs: round(small.loadMs), renderMs: round(small.renderMs) },
      nodes1000: {
        loadMs: round(big.loadMs),
        renderMs: round(big.renderMs),
        panFrameMsP50: round(percentile(frames, 50)),
        panFrameMsP95: round(percentile(frames, 95)),
      },
      bundle: { jsGzipKB: await gzipKB(editorDir, 'app.js'), cssGzipKB: await gzipKB(editorDir, 'app.css') },
    };
    return {
      result,
      rendered: { nodes500: small.rendered, nodes1000: big.rendered },
      panFrames: frames.length,
      panMovedPx: Math.round(Math.hypot(viewportAfter.x - viewportBefore.x, viewportAfter.y - viewportBefore.y)),
      awaitedPan: { frameMsP50: round(percentile(awaitedFrames, 50)), frameMsP95: round(percentile(awaitedFrames, 95)), frames: awaitedFrames.length },
    };
  } finally {
    await browser?.close();
    await server?.close();
    await broker.stop();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  // --editor-dir=<path>: bench another build of the editor (see runEditorBenchDetailed).
  const editorDir = process.argv.find((a) => a.startsWith('--editor-dir='))?.slice('--editor-dir='.length);
  const { result, rendered, panFrames, panMovedPx, awaitedPan } = await runEditorBenchDetailed(editorDir ? { editorDir } : {});
  const rows: [string, string][] = [
    [`500 nodes: load → rendered (${rendered.nodes500} in view)`, `${result.nodes500.loadMs} ms`],
    ['500 nodes: /api/flows reply → rendered', `${result.nodes500.renderMs} ms`],
    [`1,000 nodes: load → rendered (${rendered.nodes1000} in view)`, `${result.nodes1000.loadMs} ms`],
    ['1,000 nodes: /api/flows reply → rendered', `${result.nodes1000.renderMs} ms`],
    [`1,000 nodes: frame time while panning, p50 (${panFrames} frames, moved ${panMovedPx} px)`, `${result.nodes1000.panFrameMsP50} ms`],
    ['1,000 nodes: frame time while panning, p95', `${result.nodes1000.panFrameMsP95} ms`],
    [`1,000 nodes: same with playwright moves (older measure), p50 (${awaitedPan.frames} frames)`, `${awaitedPan.frameMsP50} ms`],
    ['1,000 nodes: same with playwright moves (older measure), p95', `${awaitedPan.frameMsP95} ms`],
    ['bundle: app.js gzip', `${result.bundle.jsGzipKB} KB`],
    ['bundle: app.css gzip', `${result.bundle.cssGzipKB} KB`],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  process.stdout.write(`editor bench (chromium ${VIEWPORT.width}×${VIEWPORT.height})\n`);
  for (const [label, value] of rows) process.stdout.write(`  ${label.padEnd(width)}  ${value.padStart(10)}\n`);
}
