/**
 * Undo and redo with the keyboard, step by step, and the deploy button's change count along
 * the way: undoing back to what is deployed shows no changes.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { useBrowser } from '../support/browser.ts';
import { suiteNeeds } from '../support/requirements.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { allNodes, assertEventually, dragFromPalette, expectChangeCount, injectThresholdDebug, moveNode, node, pane, putFlows, selectNode } from './ui.ts';

const SUITE = 'editor: undo and redo';

/** A node's position on screen (its box's top left), rounded. */
async function placeOf(page: Page, id: string): Promise<{ x: number; y: number } | undefined> {
  const box = await node(page, id).boundingBox();
  return box ? { x: Math.round(box.x), y: Math.round(box.y) } : undefined;
}

describe(SUITE, suiteNeeds('chromium', SUITE), () => {
  const browser = useBrowser('undo-redo');
  let t: TestServer;
  before(async () => {
    t = await startTestServer();
    await putFlows(t, injectThresholdDebug());
  });
  after(async () => t?.close());

  it('add, move, delete; Ctrl+Z back step by step, Ctrl+Shift+Z forward; the change count follows', async (ctx) => {
    const ui = await browser.open(ctx, t.server.url);
    const { page } = ui;
    await assertEventually(async () => (await allNodes(page).count()) === 3, 'the deployed flow is on the canvas');
    await expectChangeCount(page, 0, 'right after loading');

    // 1. Add.
    const added = await dragFromPalette(page, 'debug', { x: 300, y: 380 });
    await expectChangeCount(page, 1, 'after adding a node');
    const dropped = await placeOf(page, added);
    assert.ok(dropped);

    // 2. Move (a move changes no node's behaviour: still one change).
    await moveNode(page, added, 160, 90);
    const moved = await placeOf(page, added);
    assert.ok(moved);
    // The canvas snaps to a 10-unit grid, so the move lands within a grid step of the mouse.
    assert.ok(Math.abs(moved.x - dropped.x - 160) <= 15 && Math.abs(moved.y - dropped.y - 90) <= 15, `moved by about (160, 90): ${JSON.stringify({ dropped, moved })}`);
    await expectChangeCount(page, 1, 'after moving the new node');

    // 3. Delete (the node is selected after the move).
    await selectNode(page, added);
    await page.keyboard.press('Delete');
    await assertEventually(async () => (await node(page, added).count()) === 0, 'the node is deleted');
    await expectChangeCount(page, 0, 'after deleting the new node');
    await ui.screenshot('1-after-delete');

    // Focus the canvas (not a form field) so the shortcuts reach the editor.
    await pane(page).click({ position: { x: 20, y: 20 } });

    // Undo: deleted → back at the moved place → back at the dropped place → gone.
    await page.keyboard.press('Control+z');
    await assertEventually(async () => (await node(page, added).count()) === 1, 'undoing the delete brings the node back');
    assert.deepEqual(await placeOf(page, added), moved, 'the node comes back where it was moved to');
    await expectChangeCount(page, 1, 'after undoing the delete');

    await page.keyboard.press('Control+z');
    await assertEventually(async () => JSON.stringify(await placeOf(page, added)) === JSON.stringify(dropped), 'undoing the move puts the node back where it was dropped');
    await expectChangeCount(page, 1, 'after undoing the move');

    await page.keyboard.press('Control+z');
    await assertEventually(async () => (await node(page, added).count()) === 0, 'undoing the add removes the node');
    assert.equal(await allNodes(page).count(), 3);
    await expectChangeCount(page, 0, 'after undoing back to the deployed flow');
    await ui.screenshot('2-undone');

    // Nothing more to undo: the deployed flow stays.
    await page.keyboard.press('Control+z');
    assert.equal(await allNodes(page).count(), 3);

    // Redo: added → moved → deleted.
    await page.keyboard.press('Control+Shift+z');
    await assertEventually(async () => (await node(page, added).count()) === 1, 'redo adds the node again');
    assert.deepEqual(await placeOf(page, added), dropped);
    await expectChangeCount(page, 1, 'after redoing the add');

    await page.keyboard.press('Control+Shift+z');
    await assertEventually(async () => JSON.stringify(await placeOf(page, added)) === JSON.stringify(moved), 'redo moves the node again');
    await expectChangeCount(page, 1, 'after redoing the move');

    await page.keyboard.press('Control+Shift+z');
    await assertEventually(async () => (await node(page, added).count()) === 0, 'redo deletes the node again');
    await expectChangeCount(page, 0, 'after redoing the delete');
    assert.equal(await allNodes(page).count(), 3);
    await ui.screenshot('3-redone');
  });
});
