/**
 * Two editors, one flow: the page loaded revision A, someone else deployed B over HTTP, and
 * the page's deploy gets 409. The conflict dialog offers "load theirs" (the page shows B and
 * the server keeps it) and "overwrite" (the server runs the page's flow).
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { useBrowser, type TestPage } from '../support/browser.ts';
import { suiteNeeds } from '../support/requirements.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import {
  allNodes,
  assertEventually,
  deploy,
  dialog,
  dragFromPalette,
  expectChangeCount,
  injectThresholdDebug,
  node,
  putFlows,
  serverFlows,
} from './ui.ts';

const SUITE = 'editor: deploy conflict (409)';
const conflictDialog = (page: Page) => dialog(page, /someone else deployed/i);

/** Their change: one more debug node, deployed over HTTP on top of `rev`. */
function theirs() {
  const doc = injectThresholdDebug('Their flow');
  doc.nodes.push({ id: 'their-log', type: 'debug', position: { x: 480, y: 160 }, config: {} } as never);
  doc.edges.push({ source: 'tick', target: 'their-log' });
  return doc;
}

describe(SUITE, suiteNeeds('chromium', SUITE), () => {
  const browser = useBrowser('conflict');
  let t: TestServer;
  let revA: string;
  beforeEach(async () => {
    t = await startTestServer();
    revA = await putFlows(t, injectThresholdDebug('My flow'));
  });
  afterEach(async () => t?.close());

  /**
   * The page loads rev A and adds a node; meanwhile B is deployed over HTTP. The live view
   * tells the page at once (the dialog opens); the person keeps editing and deploys anyway,
   * based on A, which the server refuses with 409: the dialog again, now from the deploy.
   */
  async function reachConflict(ui: TestPage): Promise<{ page: Page; revB: string; mine: string }> {
    const { page } = ui;
    // The browser logs the 409 reply as a failed resource load; that one is expected.
    ui.allowConsoleError(/status of 409/);
    await assertEventually(async () => (await allNodes(page).count()) === 3, 'rev A is on the canvas');
    await assertEventually(async () => /\bon\b/.test((await page.getByTestId('connection').getAttribute('class')) ?? ''), 'the live connection is up');
    const mine = await dragFromPalette(page, 'debug', { x: 300, y: 380 });
    await expectChangeCount(page, 1, "after the page's own edit");

    const revB = await putFlows(t, theirs(), revA);
    await conflictDialog(page).waitFor({ state: 'visible' });
    assert.match(await conflictDialog(page).innerText(), new RegExp(revB), 'the live view told the page about their revision');
    await ui.screenshot('conflict-noticed-live');
    await conflictDialog(page).getByRole('button', { name: /^keep editing$/i }).click();
    await conflictDialog(page).waitFor({ state: 'hidden' });
    assert.equal(await node(page, mine).count(), 1, 'keeping on editing keeps the edit');

    const puts: number[] = [];
    page.on('response', (r) => void (r.request().method() === 'PUT' && r.url().endsWith('/api/flows') && puts.push(r.status())));
    assert.equal(await deploy(page), 'conflict', 'the deploy based on rev A meets the conflict dialog');
    assert.deepEqual(puts, [409], 'the server refused the deploy with 409');
    const box = conflictDialog(page);
    assert.match(await box.innerText(), /changed since you loaded it/i, 'the dialog says the flow changed elsewhere');
    assert.match(await box.innerText(), new RegExp(revB), 'the dialog names their revision');
    await box.getByRole('button', { name: /^load theirs$/i }).waitFor({ state: 'visible' });
    await box.getByRole('button', { name: /^overwrite theirs$/i }).waitFor({ state: 'visible' });
    assert.equal((await serverFlows(t)).rev, revB, 'nothing was deployed by the refused write');
    await ui.screenshot('conflict-dialog');
    return { page, revB, mine };
  }

  it('"load theirs" shows their flow and leaves the server on their revision', async (ctx) => {
    const ui = await browser.open(ctx, t.server.url);
    const { page, revB, mine } = await reachConflict(ui);
    await conflictDialog(page).getByRole('button', { name: /^load theirs$/i }).click();
    await conflictDialog(page).waitFor({ state: 'hidden' });

    await assertEventually(async () => (await node(page, 'their-log').count()) === 1, 'their node is on the canvas');
    assert.equal(await node(page, mine).count(), 0, 'the page\'s unsaved node is gone');
    await expectChangeCount(page, 0, 'after loading their revision');
    const server = await serverFlows(t);
    assert.equal(server.rev, revB);
    assert.equal(server.document?.name, 'Their flow');
    assert.deepEqual(server.document?.nodes.map((n) => n.id).sort(), ['hot', 'log', 'their-log', 'tick']);
    await ui.screenshot('loaded-theirs');

    // The page is now based on B: its next deploy goes through.
    await dragFromPalette(page, 'debug', { x: 300, y: 420 });
    assert.equal(await deploy(page), 'done', 'a deploy based on their revision is accepted');
    assert.notEqual((await serverFlows(t)).rev, revB);
  });

  it('"overwrite" deploys the page\'s flow over theirs', async (ctx) => {
    const ui = await browser.open(ctx, t.server.url);
    const { page, revB, mine } = await reachConflict(ui);
    await conflictDialog(page).getByRole('button', { name: /^overwrite theirs$/i }).click();
    await conflictDialog(page).waitFor({ state: 'hidden' });

    await assertEventually(async () => {
      const rev = (await serverFlows(t)).rev;
      return rev !== revB && rev !== revA;
    }, 'the overwrite is deployed as a new revision');
    const server = await serverFlows(t);
    assert.equal(server.document?.name, 'My flow');
    assert.deepEqual(server.document?.nodes.map((n) => n.id).sort(), ['hot', 'log', mine, 'tick'].sort(), 'the server runs the page\'s nodes, not theirs');
    await expectChangeCount(page, 0, 'after the overwrite');
    assert.equal(await node(page, 'their-log').count(), 0);
    await ui.screenshot('overwritten');
  });
});
