/**
 * How the editor tests reach the page: every selector lives here, so a change of markup is
 * one edit. Roles, labels and visible text first; React Flow's own classes for the canvas
 * (`.react-flow__node[data-id=…]`, `.react-flow__handle.source/.target`, `.react-flow__pane`);
 * data-testids only where nothing else names the element (palette items, deploy button).
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import { startAedes, type TestBroker } from '../support/brokers.ts';
import { ROOT, type PageElement } from '../support/browser.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

export const node = (page: Page, id: string): Locator => page.locator(`.react-flow__node[data-id="${id}"]`);
export const allNodes = (page: Page): Locator => page.locator('.react-flow__node');
export const allEdges = (page: Page): Locator => page.locator('.react-flow__edge');
/** The live status line a node shows (`connected`, `ON · kitchen`…). */
export const nodeStatus = (page: Page, id: string): Locator => node(page, id).getByTestId(`status-${id}`);
/** The edge from `source` to `target`, by React Flow's accessible name for it. */
export const edge = (page: Page, source: string, target: string): Locator => page.locator(`.react-flow__edge[aria-label="Edge from ${source} to ${target}"]`);
export const pane = (page: Page): Locator => page.locator('.react-flow__pane');
export const paletteItem = (page: Page, type: string): Locator => page.getByTestId(`palette-${type}`);
export const deployButton = (page: Page): Locator => page.getByTestId('deploy-button');

/** The ids of the nodes on the canvas, in DOM order. */
export async function nodeIds(page: Page): Promise<string[]> {
  return allNodes(page).evaluateAll((els: PageElement[]) => els.map((el) => el.getAttribute('data-id') ?? ''));
}

/**
 * Drag a node type from the palette onto the canvas at `at` (pixels from the pane's top left)
 * with the real mouse (Playwright turns it into HTML5 drag events, since the item is
 * `draggable`), and return the id of the node that appeared.
 */
export async function dragFromPalette(page: Page, type: string, at: { x: number; y: number }): Promise<string> {
  const before = new Set(await nodeIds(page));
  const item = paletteItem(page, type);
  await item.scrollIntoViewIfNeeded();
  const from = await centre(item);
  const box = await pane(page).boundingBox();
  assert.ok(box, 'the canvas is shown');
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move(from.x + 30, from.y, { steps: 4 });
  await page.mouse.move(box.x + at.x, box.y + at.y, { steps: 10 });
  await page.mouse.up();
  let added: string[] = [];
  const deadline = Date.now() + 5000;
  while (Date.now() < deadline) {
    added = (await nodeIds(page)).filter((id) => !before.has(id));
    if (added.length > 0) break;
    await sleep(50);
  }
  assert.equal(added.length, 1, `dragging palette-${type} onto the canvas should add exactly one node; added ${JSON.stringify(added)}`);
  return added[0]!;
}

/** Centre of an element, in page pixels. */
export async function centre(locator: Locator): Promise<{ x: number; y: number }> {
  const box = await locator.boundingBox();
  assert.ok(box, 'element has no box (not visible)');
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

/** Wire `source`'s output handle to `target`'s input handle with a mouse drag. */
export async function wire(page: Page, source: string, target: string): Promise<void> {
  const from = await centre(node(page, source).locator('.react-flow__handle.source').first());
  const to = await centre(node(page, target).locator('.react-flow__handle.target').first());
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move((from.x + to.x) / 2, (from.y + to.y) / 2 + 20, { steps: 8 });
  await page.mouse.move(to.x, to.y, { steps: 8 });
  await page.mouse.up();
}

/**
 * Where to grab or click a node: its title row (top left), clear of the handles and of the
 * buttons some nodes carry ("Test value…"), which do not select the node.
 */
async function grabPoint(page: Page, id: string): Promise<{ x: number; y: number }> {
  const box = await node(page, id).boundingBox();
  assert.ok(box, `node ${id} is not on screen`);
  return { x: box.x + Math.min(60, box.width / 3), y: box.y + Math.min(14, box.height / 4) };
}

/** Drag a node by its title by (dx, dy) pixels. */
export async function moveNode(page: Page, id: string, dx: number, dy: number): Promise<void> {
  const from = await grabPoint(page, id);
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move(from.x + dx / 2, from.y + dy / 2, { steps: 6 });
  await page.mouse.move(from.x + dx, from.y + dy, { steps: 6 });
  await page.mouse.up();
}

/** Open a node's config panel by clicking it (its title). */
export async function selectNode(page: Page, id: string): Promise<void> {
  const at = await grabPoint(page, id);
  await page.mouse.click(at.x, at.y);
  await assertEventually(async () => (await configPanel(page).getByText(id, { exact: true }).count()) > 0, `the settings of ${id} are shown`);
}

/** The sidebar's tabs: Node, Brokers, Debug. */
export function sidebarTab(page: Page, name: RegExp): Locator {
  return page.getByTestId('sidebar').getByRole('tab', { name });
}

export async function openSidebarTab(page: Page, name: RegExp): Promise<void> {
  const tab = sidebarTab(page, name);
  await tab.click();
  await assertEventually(async () => (await tab.getAttribute('aria-selected')) === 'true', `sidebar tab ${name} is selected`);
}

/** The sidebar's open tab: the selected node's settings, the brokers, the debug messages… */
export const configPanel = (page: Page): Locator => page.getByTestId('sidebar').getByRole('tabpanel');

/**
 * One field of the open form by its config path (`topic`, `ops.0.path`, or `condition`, the
 * threshold's above/below/between/outside choice): the form marks each with `data-field`.
 */
export const configField = (page: Page, path: string): Locator => configPanel(page).locator(`[data-field="${path}"]`);

/**
 * The number of nodes a deploy would start, stop or restart, as the deploy button shows it:
 * its badge (absent when 0), cross-checked with the button's `data-changes`.
 */
export async function changeCount(page: Page): Promise<number> {
  const button = deployButton(page);
  const badge = button.getByTestId('deploy-count');
  const shown = (await badge.count()) ? Number((await badge.innerText()).trim()) : 0;
  const attribute = await button.getAttribute('data-changes');
  if (attribute !== null && Number(attribute) !== shown && (await button.getAttribute('data-dirty')) === 'true') {
    throw new Error(`the deploy button shows ${shown} but data-changes is ${attribute}`);
  }
  return shown;
}

/** The modal dialog with this title. */
export const dialog = (page: Page, title: RegExp): Locator => page.getByRole('dialog', { name: title });

/**
 * Press Deploy, accepting the validator's warnings if it asks ("Deploy anyway"), and return
 * once the deploy is done, refused with problems, or met by the conflict dialog.
 */
export async function deploy(page: Page): Promise<'done' | 'failed' | 'conflict'> {
  await deployButton(page).click();
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const warnings = page.getByTestId('deploy-warnings');
    if (await warnings.isVisible().catch(() => false)) {
      await warnings.getByRole('button', { name: /deploy anyway/i }).click();
      continue;
    }
    if (await dialog(page, /someone else deployed/i).isVisible().catch(() => false)) return 'conflict';
    const state = await page.getByTestId('deploy-status').getAttribute('class', { timeout: 100 }).catch(() => null);
    if (state?.includes('failed')) return 'failed';
    const button = deployButton(page);
    if ((await button.getAttribute('data-dirty')) === 'false' && !(await button.getAttribute('aria-busy'))?.includes('true')) return 'done';
    await sleep(50);
  }
  throw new Error(`the deploy did not finish within 10 s; the button says ${JSON.stringify(await deployButton(page).innerText())}`);
}

/** Poll `check` until true (every 50 ms), failing with `what` after `timeoutMs`. */
export async function assertEventually(check: () => Promise<boolean> | boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      if (await check()) return;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting until ${what}${lastError ? ` (last error: ${String(lastError)})` : ''}`);
    }
    await sleep(50);
  }
}

/** Wait until node `id` shows a status matching `pattern`. */
export async function expectStatus(page: Page, id: string, pattern: RegExp, timeoutMs = 8000): Promise<void> {
  let last = '';
  await assertEventually(
    async () => pattern.test((last = (await nodeStatus(page, id).count()) ? await nodeStatus(page, id).innerText() : '(no status)')),
    `node ${id} shows a status matching ${pattern} (shows ${JSON.stringify(last)})`,
    timeoutMs,
  );
}

/** Wait until the deploy button shows `count` changes. */
export async function expectChangeCount(page: Page, count: number, when: string): Promise<void> {
  let last = -1;
  await assertEventually(async () => (last = await changeCount(page)) === count, `the deploy button shows ${count} change(s) ${when} (shows ${last})`, 3000).catch(
    async (error: Error) => {
      throw new Error(`${error.message}; button: ${JSON.stringify(await deployButton(page).innerText())} data-changes=${await deployButton(page).getAttribute('data-changes')} data-dirty=${await deployButton(page).getAttribute('data-dirty')}`);
    },
  );
}

export interface FlowsState {
  rev: string | null;
  document: { nodes: { id: string; type: string; config: Record<string, unknown> }[]; edges: unknown[]; brokers?: unknown[]; name?: string } | null;
}

/** What GET /api/flows answers now. */
export async function serverFlows(t: TestServer): Promise<FlowsState> {
  const reply = await t.api('/api/flows');
  assert.equal(reply.status, 200, reply.text);
  return reply.json<FlowsState>();
}

/** Deploy `doc` over HTTP as another client would; returns the new rev. */
export async function putFlows(t: TestServer, doc: unknown, rev?: string | null): Promise<string> {
  const reply = await t.api('/api/flows', { method: 'PUT', body: doc, ...(rev ? { headers: { 'If-Match': `"${rev}"` } } : {}) });
  assert.equal(reply.status, 200, reply.text);
  return reply.json<{ rev: string }>().rev;
}

/** An example of flows/, its broker entries pointed at `brokerUrl` (a test broker). */
export async function exampleFlow(file: string, brokerUrl: string): Promise<ExampleDocument> {
  const doc = JSON.parse(await readFile(join(ROOT, 'flows', file), 'utf8')) as ExampleDocument;
  for (const broker of doc.brokers) broker.url = brokerUrl;
  return doc;
}

export interface ExampleDocument {
  name: string;
  brokers: { id: string; url: string }[];
  nodes: { id: string; type: string; config: Record<string, unknown> }[];
  edges: { source: string; target: string }[];
}

/** A small valid flow without brokers: inject → threshold → debug. */
export function injectThresholdDebug(name = 'Test flow') {
  return {
    format: 'topicflow/1',
    name,
    brokers: [],
    nodes: [
      { id: 'tick', type: 'inject', position: { x: 0, y: 0 }, config: { payload: 20, topic: 'test/value' } },
      { id: 'hot', type: 'threshold', position: { x: 240, y: 0 }, config: { above: 25, hysteresis: 0.5 } },
      { id: 'log', type: 'debug', position: { x: 480, y: 0 }, config: {} },
    ],
    edges: [
      { source: 'tick', target: 'hot' },
      { source: 'hot', target: 'log' },
    ],
  };
}

/** `text` as a regular expression matching itself. */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * For one suite: an aedes broker and a server running the example flow `file` on it, started
 * before the suite's tests and stopped after them. Read `server()` inside a test.
 */
export function useExampleServer(file: string): { server(): TestServer } {
  let t: TestServer | undefined;
  let broker: TestBroker | undefined;
  before(async () => {
    broker = await startAedes();
    t = await startTestServer({ connectTimeoutMs: 3000 });
    await putFlows(t, await exampleFlow(file, broker.url));
  });
  after(async () => {
    await t?.close();
    await broker?.stop();
  });
  return {
    server() {
      if (!t) throw new Error('useExampleServer: the server starts in the suite\'s before hook');
      return t;
    },
  };
}
