/**
 * How the editor copes with big flows, in Debian's chromium: a 500- and a 1,000-node flow
 * (rules of MQTT in → transform → threshold → MQTT out laid out on a grid) is deployed to a
 * real server, the page is opened, and the bench measures
 *
 * - loadMs: from the start of navigation until every node and every wire is rendered on the
 *   canvas (`.react-flow__node` measured and visible, `.react-flow__edge` drawn), bundle
 *   download and GET /api/flows included;
 * - renderMs: from the end of the GET /api/flows reply until then;
 * - panFrameMsP50/P95: the time to produce a frame while the canvas is dragged around with
 *   the middle mouse button for about 2 s (1,000 nodes), once the page is quiet after the load:
 *   requestAnimationFrame intervals in a chromium whose frame rate is unlocked (it starts the
 *   next frame when the last is done instead of at the next 60 Hz vsync), see
 *   lib/editor-pan.ts. The drag is played in the page as chromium delivers a real mouse's: the
 *   press, then one move per frame, each sent to the element under the pointer;
 * - panLate60Hz: the same drag in a normally launched chromium (frames at the display's 60 Hz):
 *   how many of its frames missed their vsync. The CLI also shows the older measure, where
 *   playwright sends each move as an input event and waits for the page to take it;
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
import { KEEP_NAMES_SHIM, ensureEditorBuilt, launchChromium, type PageWindow } from '../test/support/browser.ts';
import { hasChromium, missingMessage } from '../test/support/requirements.ts';
import { startTestServer, type TestServer } from '../test/support/test-server.ts';
import { UNLOCKED_FRAME_RATE_ARGS, idleFrameIntervals, measurePan, waitForQuiet, type PanMeasure } from './lib/editor-pan.ts';
import { percentile } from './lib/stats.ts';

export interface EditorBench {
  nodes500: { loadMs: number; renderMs: number };
  nodes1000: {
    loadMs: number;
    renderMs: number;
    /** Frame time while panning, frame rate unlocked (the figure compared with ≤ 16 ms). */
    panFrameMsP50: number;
    panFrameMsP95: number;
    /** Frames of the same pan at 60 Hz that missed their vsync, of panFrames60Hz. */
    panLate60Hz: number;
    panFrames60Hz: number;
  };
  bundle: { jsGzipKB: number; cssGzipKB: number };
}

const VIEWPORT = { width: 1280, height: 800 };
const RENDER_TIMEOUT_MS = 60_000;
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
 * Installed before the page's own scripts: records when the canvas has drawn every node and
 * wire it will show. If the editor renders only what is in view, "all" is either every node
 * and wire (`target`, `edgeTarget`) or the counts once they have not changed for SETTLE_MS.
 *
 * The count is taken after each frame's rendering (a message posted from the frame's rAF runs
 * once the frame's style, layout and paint are done), not at its start: nodes and wires put in
 * the page by a task before the frame are only drawn by that frame, and their layout and paint
 * count. The time recorded is the end of the first frame that drew them all.
 */
function renderWatcher({ target, edgeTarget, settleMs }: { target: number; edgeTarget: number; settleMs: number }): void {
  const w = globalThis as unknown as PageWindow & {
    MessageChannel: new () => { port1: { onmessage: (() => void) | null }; port2: { postMessage(message: unknown): void } };
    performance: { now(): number };
  };
  let count = 0;
  let edges = 0;
  let changedAt = 0;
  const afterFrame = new w.MessageChannel();
  const check = (): void => {
    const now = w.performance.now();
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
    w.requestAnimationFrame(() => afterFrame.port2.postMessage(null));
  };
  afterFrame.port1.onmessage = check;
  w.requestAnimationFrame(() => afterFrame.port2.postMessage(null));
}

/** Open `url` in a new page of `browser` and time it until every node and wire is drawn (see renderWatcher). */
export async function measureLoad(browser: Browser, url: string, nodeCount: number): Promise<{ loadMs: number; renderMs: number; rendered: number; page: Page }> {
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

async function gzipKB(dir: string, file: string): Promise<number> {
  return Math.round((gzipSync(await readFile(join(dir, file))).length / 1024) * 10) / 10;
}

/** What the bench measured, with what the figures are based on. */
export interface EditorBenchRun {
  result: EditorBench;
  /** Nodes on screen when the load counted as done (every node of the flow: all of it is in view). */
  rendered: { nodes500: number; nodes1000: number };
  /** The pan with the frame rate unlocked (result.nodes1000.panFrameMs*). */
  pan: PanMeasure;
  /** rAF interval p50 of the unlocked page at rest: a few ms shows the frame rate really is unlocked. */
  unlockedIdleFrameMs: number;
  /** The same pan at the display's 60 Hz. */
  pan60Hz: PanMeasure;
  /** The pan at 60 Hz with playwright mouse moves, each waiting for the page to take the previous one (the older measure). */
  awaitedPan: PanMeasure;
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
  let unlocked: Browser | undefined;
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
    const pan60Hz = await measurePan(big.page);
    await waitForQuiet(big.page);
    const awaitedPan = await measurePan(big.page, 'awaited');
    await big.page.context().close();

    // The frame-time figure: a browser of its own, which makes frames as fast as it can. Its load
    // is not a figure (an unlocked browser also runs the load's frames back to back).
    unlocked = await launchChromium({ extraArgs: UNLOCKED_FRAME_RATE_ARGS });
    // The flags work when an empty page makes frames far faster than 60 Hz (the 1,000-node page
    // itself may take more than 10 ms a frame even at rest, more so on a busy machine).
    const probeContext = await unlocked.newContext();
    await probeContext.addInitScript(KEEP_NAMES_SHIM);
    const probe = await probeContext.newPage();
    await probe.setContent('<!doctype html><title>frame rate</title><body></body>');
    const emptyFrameMs = percentile(await idleFrameIntervals(probe), 50);
    await probeContext.close();
    if (!(emptyFrameMs < 10)) throw new Error(`the frame rate is not unlocked: an empty page makes a frame every ${emptyFrameMs.toFixed(1)} ms`);
    const again = await measureLoad(unlocked, server.server.url, 1000);
    await waitForQuiet(again.page);
    const unlockedIdleFrameMs = percentile(await idleFrameIntervals(again.page), 50);
    const pan = await measurePan(again.page);
    await again.page.context().close();
    // The drag sweeps 300 px: a pan that did not move the canvas measured nothing.
    for (const [what, measured] of [['unlocked', pan], ['60 Hz', pan60Hz]] as const) {
      if (!(measured.movedPx >= 250)) throw new Error(`the ${what} pan moved the canvas ${measured.movedPx} px, not about 300`);
    }

    const round = (n: number): number => Math.round(n * 10) / 10;
    const result: EditorBench = {
      nodes500: { loadMs: round(small.loadMs), renderMs: round(small.renderMs) },
      nodes1000: {
        loadMs: round(big.loadMs),
        renderMs: round(big.renderMs),
        panFrameMsP50: pan.frameMsP50,
        panFrameMsP95: pan.frameMsP95,
        panLate60Hz: pan60Hz.late,
        panFrames60Hz: pan60Hz.frames,
      },
      bundle: { jsGzipKB: await gzipKB(editorDir, 'app.js'), cssGzipKB: await gzipKB(editorDir, 'app.css') },
    };
    return {
      result,
      rendered: { nodes500: small.rendered, nodes1000: big.rendered },
      pan,
      unlockedIdleFrameMs: round(unlockedIdleFrameMs),
      pan60Hz,
      awaitedPan,
    };
  } finally {
    await unlocked?.close();
    await browser?.close();
    await server?.close();
    await broker.stop();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  // --editor-dir=<path>: bench another build of the editor (see runEditorBenchDetailed).
  const editorDir = process.argv.find((a) => a.startsWith('--editor-dir='))?.slice('--editor-dir='.length);
  const { result, rendered, pan, unlockedIdleFrameMs, pan60Hz, awaitedPan } = await runEditorBenchDetailed(editorDir ? { editorDir } : {});
  const late = (p: PanMeasure): string => `${p.late} of ${p.frames}`;
  const rows: [string, string][] = [
    [`500 nodes: load → rendered (${rendered.nodes500} in view)`, `${result.nodes500.loadMs} ms`],
    ['500 nodes: /api/flows reply → rendered', `${result.nodes500.renderMs} ms`],
    [`1,000 nodes: load → rendered (${rendered.nodes1000} in view)`, `${result.nodes1000.loadMs} ms`],
    ['1,000 nodes: /api/flows reply → rendered', `${result.nodes1000.renderMs} ms`],
    [`1,000 nodes: frame time while panning, unlocked, p50 (${pan.frames} frames, moved ${pan.movedPx} px)`, `${pan.frameMsP50} ms`],
    ['1,000 nodes: frame time while panning, unlocked, p95', `${pan.frameMsP95} ms`],
    ['1,000 nodes: frame time while panning, unlocked, max', `${pan.frameMsMax} ms`],
    [`  (unlocked frame interval at rest, p50)`, `${unlockedIdleFrameMs} ms`],
    [`1,000 nodes: panning at 60 Hz, frames late (moved ${pan60Hz.movedPx} px; p50 ${pan60Hz.frameMsP50} ms)`, late(pan60Hz)],
    ['1,000 nodes: panning at 60 Hz, vsyncs without a new frame', `${pan60Hz.dropped}`],
    [`1,000 nodes: same with playwright moves (older measure), frames late (p50 ${awaitedPan.frameMsP50} ms)`, late(awaitedPan)],
    ['bundle: app.js gzip', `${result.bundle.jsGzipKB} KB`],
    ['bundle: app.css gzip', `${result.bundle.cssGzipKB} KB`],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  process.stdout.write(`editor bench (chromium ${VIEWPORT.width}×${VIEWPORT.height})\n`);
  for (const [label, value] of rows) process.stdout.write(`  ${label.padEnd(width)}  ${value.padStart(10)}\n`);
}
