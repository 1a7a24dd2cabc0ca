/**
 * Panning the canvas: a middle-button or right-button drag moves the flow with the pointer,
 * and while it lasts a shield over the canvas takes the mouse moves (so the browser does not
 * hit-test every node on each move); afterwards the nodes take the mouse again. A scroll pans
 * without the shield, so the next scroll still reaches the canvas.
 */
import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import type { Page } from 'playwright-core';
import { useBrowser, type PageElement, type PageWindow } from '../support/browser.ts';
import { suiteNeeds } from '../support/requirements.ts';
import { allNodes, assertEventually, centre, node, pane, useExampleServer } from './ui.ts';

const SUITE = 'editor: panning the canvas';

/** The canvas's pan offset, from the transform React Flow puts on its viewport. */
async function panOffset(page: Page): Promise<{ x: number; y: number }> {
  const style = (await page.locator('.react-flow__viewport').getAttribute('style')) ?? '';
  const match = /translate\(\s*(-?[\d.]+)px,\s*(-?[\d.]+)px\)/.exec(style);
  assert.ok(match, `the viewport has a translate transform: ${style}`);
  return { x: Number(match[1]), y: Number(match[2]) };
}

/** The class of the element the browser finds under a point of the page. */
const classAt = (page: Page, at: { x: number; y: number }): Promise<string> =>
  page.evaluate((p) => {
    const hit = (globalThis as unknown as PageWindow).document.elementFromPoint(p.x, p.y) as PageElement | null;
    return hit ? String(hit.className) : '';
  }, at);

/** A point of the empty pane, below the flow's nodes. */
async function emptySpot(page: Page): Promise<{ x: number; y: number }> {
  const box = await pane(page).boundingBox();
  assert.ok(box, 'the canvas is shown');
  for (let fy = 0.9; fy > 0.3; fy -= 0.05) {
    const at = { x: box.x + box.width * 0.5, y: box.y + box.height * fy };
    if ((await classAt(page, at)).includes('react-flow__pane')) return at;
  }
  throw new Error('no empty spot on the canvas');
}

describe(SUITE, suiteNeeds('chromium', SUITE), () => {
  const browser = useBrowser('canvas-pan');
  const example = useExampleServer('zigbee-temperature-fan.json');
  /** The editor on the example flow, once its five nodes are on the canvas. */
  const openExample = async (ctx: TestContext): Promise<Page> => {
    const { page } = await browser.open(ctx, example.server().server.url);
    await assertEventually(async () => (await allNodes(page).count()) === 5, 'the example flow is on the canvas');
    return page;
  };

  for (const button of ['middle', 'right'] as const) {
    it(`a ${button}-button drag moves the flow under a shield, and the nodes take the mouse again after it`, async (ctx) => {
      const page = await openExample(ctx);
      const start = await emptySpot(page);
      const before = await panOffset(page);

      await page.mouse.move(start.x, start.y);
      await page.mouse.down({ button });
      for (let step = 1; step <= 5; step++) await page.mouse.move(start.x + step * 12, start.y - step * 8);
      const during = await classAt(page, { x: start.x + 60, y: start.y - 40 });
      const attrs = await page.getByTestId('canvas').evaluate((el: PageElement) => `moving=${el.getAttribute('data-moving')} dragging=${el.getAttribute('data-dragging')}`);
      assert.match(during, /canvas-pan-shield/, `during the drag the shield is under the pointer (canvas attributes: ${attrs})`);
      await page.mouse.up({ button });

      const moved = await panOffset(page);
      assert.ok(Math.abs(moved.x - before.x - 60) < 2 && Math.abs(moved.y - before.y + 40) < 2, `the flow moved with the pointer: ${JSON.stringify({ before, moved })}`);
      assert.equal(await page.locator('.canvas-pan-shield').isVisible(), false, 'the shield is gone when the button is let go');
      const sensors = await centre(node(page, 'sensors'));
      assert.doesNotMatch(await classAt(page, sensors), /canvas-pan-shield|react-flow__pane/, 'a node is under the pointer again, not the shield');
    });
  }

  it('a press that does not move the flow leaves no shield behind', async (ctx) => {
    const page = await openExample(ctx);
    const start = await emptySpot(page);
    await page.mouse.move(start.x, start.y);
    await page.mouse.down({ button: 'middle' });
    await page.mouse.up({ button: 'middle' });
    assert.equal(await page.locator('.canvas-pan-shield').isVisible(), false, 'no shield after a press without a move');
    const sensors = await centre(node(page, 'sensors'));
    assert.doesNotMatch(await classAt(page, sensors), /canvas-pan-shield|react-flow__pane/, 'the nodes take the mouse');
  });

  it('a scroll pans without the shield, and the next scroll still reaches the canvas', async (ctx) => {
    const page = await openExample(ctx);
    const start = await emptySpot(page);
    await page.mouse.move(start.x, start.y);
    const before = await panOffset(page);
    await page.mouse.wheel(0, 40);
    await assertEventually(async () => (await panOffset(page)).y < before.y, 'the first scroll moved the flow up');
    const between = await panOffset(page);
    assert.equal(await page.locator('.canvas-pan-shield').isVisible(), false, 'no shield for a scroll');
    await page.mouse.wheel(0, 40);
    await assertEventually(async () => (await panOffset(page)).y < between.y, 'the second scroll moved it further');
  });
});
