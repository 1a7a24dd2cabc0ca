/**
 * The layout at a laptop size (1280×800) and a portrait tablet (820×1180): the palette, the
 * canvas, the sidebar and the deploy button are on screen, not covered by one another, and
 * usable (a palette drop works, a selected node's form is reachable).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import { DESKTOP, TABLET, useBrowser, type PageElement, type PageWindow } from '../support/browser.ts';
import { suiteNeeds } from '../support/requirements.ts';
import { allNodes, assertEventually, configPanel, deployButton, dragFromPalette, node, paletteItem, pane, selectNode, sidebarTab, useExampleServer } from './ui.ts';

const SUITE = 'editor: layout at laptop and tablet sizes';

/** Where the element is, and whether it is on screen and on top at its centre (not covered). */
async function reachability(page: Page, locator: Locator): Promise<{ ok: boolean; why: string; box?: { x: number; y: number; width: number; height: number } }> {
  if (!(await locator.isVisible())) return { ok: false, why: 'not visible' };
  const box = await locator.boundingBox();
  if (!box) return { ok: false, why: 'no box' };
  const viewport = page.viewportSize()!;
  if (box.x < -1 || box.y < -1 || box.x + box.width > viewport.width + 1 || box.y + box.height > viewport.height + 1) {
    return { ok: false, why: `outside the ${viewport.width}×${viewport.height} viewport: ${JSON.stringify(box)}`, box };
  }
  const hit = await locator.evaluate((el: PageElement) => {
    const r = el.getBoundingClientRect();
    const top = (globalThis as unknown as PageWindow).document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
    return { ok: top !== null && (top === el || el.contains(top)), top: top ? `${top.tagName.toLowerCase()}.${String(top.className)}` : 'nothing' };
  });
  return { ok: hit.ok, why: hit.ok ? 'ok' : `covered at its centre by ${hit.top}`, box };
}

/**
 * The element is visible, lies inside the viewport, and the point at its centre hits it (or
 * something inside it): nothing covers it. Retried briefly, for drawers that slide in.
 */
async function assertReachable(page: Page, locator: Locator, what: string): Promise<void> {
  let last = { ok: false, why: 'not checked' };
  await assertEventually(async () => (last = await reachability(page, locator)).ok, `${what} is reachable`, 3000).catch((error: Error) => {
    throw new Error(`${error.message}: ${last.why}`);
  });
}

describe(SUITE, suiteNeeds('chromium', SUITE), () => {
  const browser = useBrowser('layout');
  const example = useExampleServer('zigbee-temperature-fan.json');

  for (const [label, viewport] of [['laptop-1280x800', DESKTOP], ['tablet-820x1180', TABLET]] as const) {
    it(`palette, canvas, sidebar and deploy are usable at ${viewport.width}×${viewport.height}`, async (ctx) => {
      const ui = await browser.open(ctx, example.server().server.url, { viewport });
      const { page } = ui;
      await assertEventually(async () => (await allNodes(page).count()) === 5, 'the example flow is on the canvas');

      await assertReachable(page, deployButton(page), 'the deploy button');
      for (const type of ['mqtt-in', 'transform', 'threshold', 'mqtt-out', 'debug']) await assertReachable(page, paletteItem(page, type), `the palette item ${type}`);
      const canvas = await pane(page).boundingBox();
      assert.ok(canvas, 'the canvas is shown');
      assert.ok(canvas.width >= Math.min(500, viewport.width * 0.5) && canvas.height >= 400, `the canvas is big enough to work on: ${JSON.stringify(canvas)}`);
      // Every example node is on screen after the initial fit, none under the palette or the panel.
      for (const id of ['sensors', 'temperature', 'hot', 'fan', 'log']) await assertReachable(page, node(page, id), `node ${id}`);
      await ui.screenshot(`${label}-canvas`);

      // The side panel: a column on a laptop, a drawer on a tablet opened from the toolbar.
      if (!(await reachability(page, sidebarTab(page, /^node/i))).ok) {
        await page.getByRole('button', { name: /side panel/i }).first().click();
      }
      for (const tab of [/^node/i, /^brokers/i, /^topics/i, /^debug/i]) await assertReachable(page, sidebarTab(page, tab), `the sidebar tab ${tab}`);
      await assertReachable(page, deployButton(page), 'the deploy button with the side panel open');

      // Usable: a drop from the palette lands, and the selected node's form can be typed in.
      if (viewport.width < 1180) await page.getByRole('button', { name: /close the side panel/i }).click();
      const added = await dragFromPalette(page, 'debug', { x: Math.min(200, canvas.width / 3), y: canvas.height - 120 });
      await selectNode(page, added);
      const nameField = configPanel(page).getByLabel(/^name$/i);
      await assertReachable(page, nameField, `the name field of ${added}'s form`);
      await nameField.fill('Tablet check');
      await assertEventually(async () => /Tablet check/.test(await node(page, added).innerText()), 'the typed name shows on the canvas');
      await ui.screenshot(`${label}-form`);
    });
  }
});
