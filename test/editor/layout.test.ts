/**
 * The layout at a laptop size (1280×800) and a portrait tablet (820×1180): the palette, the
 * canvas, the sidebar and the deploy button are on screen, not covered by one another, and
 * usable (a palette drop works, a selected node's form is reachable).
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import { DESKTOP, ROOT, TABLET, useBrowser, type PageElement, type PageWindow } from '../support/browser.ts';
import { suiteNeeds } from '../support/requirements.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { join } from 'node:path';
import { allNodes, assertEventually, configPanel, deployButton, dragFromPalette, paletteItem, pane, putFlows, selectNode, sidebarTab } from './ui.ts';

const SUITE = 'editor: layout at laptop and tablet sizes';

/**
 * The element is visible, lies inside the viewport, and the point at its centre hits it (or
 * something inside it): nothing covers it.
 */
async function assertReachable(page: Page, locator: Locator, what: string): Promise<{ x: number; y: number; width: number; height: number }> {
  await locator.waitFor({ state: 'visible' });
  const box = await locator.boundingBox();
  assert.ok(box, `${what} has a box`);
  const viewport = page.viewportSize()!;
  assert.ok(box.x >= -1 && box.y >= -1 && box.x + box.width <= viewport.width + 1 && box.y + box.height <= viewport.height + 1,
    `${what} lies inside the ${viewport.width}×${viewport.height} viewport: ${JSON.stringify(box)}`);
  const hit = await locator.evaluate((el: PageElement) => {
    const r = el.getBoundingClientRect();
    const top = (globalThis as unknown as PageWindow).document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
    return { ok: top !== null && (top === el || el.contains(top)), top: top ? `${top.tagName.toLowerCase()}.${String(top.className)}` : 'nothing' };
  });
  assert.ok(hit.ok, `${what} is not covered at its centre (the point hits ${hit.top})`);
  return box;
}

describe(SUITE, suiteNeeds('chromium', SUITE), () => {
  const browser = useBrowser('layout');
  let t: TestServer;
  before(async () => {
    t = await startTestServer();
    const example = JSON.parse(await readFile(join(ROOT, 'flows', 'zigbee-temperature-fan.json'), 'utf8'));
    await putFlows(t, example);
  });
  after(async () => t?.close());

  for (const [label, viewport] of [['laptop-1280x800', DESKTOP], ['tablet-820x1180', TABLET]] as const) {
    it(`palette, canvas, sidebar and deploy are usable at ${viewport.width}×${viewport.height}`, async (ctx) => {
      const ui = await browser.open(ctx, t.server.url, { viewport });
      const { page } = ui;
      await assertEventually(async () => (await allNodes(page).count()) === 5, 'the example flow is on the canvas');

      await assertReachable(page, deployButton(page), 'the deploy button');
      await assertReachable(page, paletteItem(page, 'mqtt-in'), 'the palette item "MQTT in"');
      await assertReachable(page, paletteItem(page, 'debug'), 'the palette item "Debug"');
      const canvas = await pane(page).boundingBox();
      assert.ok(canvas, 'the canvas is shown');
      assert.ok(canvas.width >= Math.min(400, viewport.width * 0.4) && canvas.height >= 300, `the canvas is big enough to work on: ${JSON.stringify(canvas)}`);
      for (const tab of [/^node/i, /brokers/i, /debug/i]) await assertReachable(page, sidebarTab(page, tab), `the sidebar tab ${tab}`);

      // Every example node is on screen after the initial fit, and none sits under the palette.
      for (const id of ['sensors', 'temperature', 'hot', 'fan', 'log']) {
        await assertReachable(page, page.locator(`.react-flow__node[data-id="${id}"]`), `node ${id}`);
      }

      // Usable: a drop from the palette lands, and the selected node's form can be typed in.
      const added = await dragFromPalette(page, 'debug', { x: Math.min(200, canvas.width / 3), y: canvas.height - 80 });
      await selectNode(page, added);
      const firstField = configPanel(page).locator('input, select, textarea').first();
      await assertReachable(page, firstField, `the first field of ${added}'s form`);
      await ui.screenshot(label);
    });
  }
});
