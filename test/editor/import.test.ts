/**
 * Importing a flow file: by the file input and by pasting its text. Into an empty canvas the
 * nodes appear as they are; into a canvas that already has them, clashing ids get new ones
 * (and the dialog says so) while the edges follow the renamed nodes.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import { startAedes, type TestBroker } from '../support/brokers.ts';
import { ROOT, useBrowser } from '../support/browser.ts';
import { suiteNeeds } from '../support/requirements.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { allEdges, allNodes, assertEventually, dialog, edge, exampleFlow, expectChangeCount, node, nodeIds, type ExampleDocument } from './ui.ts';

const SUITE = 'editor: import by file and by paste';
const EXAMPLE = join(ROOT, 'flows', 'zigbee-temperature-fan.json');
const EXAMPLE_IDS = ['fan', 'hot', 'log', 'sensors', 'temperature'];

const importDialog = (page: Page): Locator => dialog(page, /^import a flow$/i);

/** Open the import dialog from the toolbar and pick one of its sources (File, Paste, Examples). */
async function openImport(page: Page, source: RegExp): Promise<Locator> {
  await page.getByRole('button', { name: /^import$/i }).click();
  const box = importDialog(page);
  await box.waitFor({ state: 'visible' });
  await box.getByRole('tab', { name: source }).click();
  return box;
}

/** Confirm the previewed import as "Add to this flow", read the outcome, and close the dialog. */
async function confirmImport(box: Locator): Promise<string> {
  const add = box.getByRole('radio', { name: /^add to this flow/i });
  if (await add.count()) await add.check();
  await box.getByRole('button', { name: /^add to this flow$/i }).click();
  const done = box.getByRole('status').filter({ hasText: /added/i });
  await done.waitFor({ state: 'visible' });
  const outcome = await done.innerText();
  await box.getByRole('button', { name: /^close$/i }).last().click();
  await box.waitFor({ state: 'hidden' });
  return outcome;
}

describe(SUITE, suiteNeeds('chromium', SUITE), () => {
  const browser = useBrowser('import');
  let t: TestServer;
  let broker: TestBroker;
  /** The example, its broker pointed at the test broker. */
  let example: ExampleDocument;
  before(async () => {
    broker = await startAedes();
    example = await exampleFlow('zigbee-temperature-fan.json', broker.url);
  });
  after(async () => broker?.stop());
  beforeEach(async () => (t = await startTestServer({ connectTimeoutMs: 3000 })));
  afterEach(async () => t?.close());

  it('imports a file through the file input; a second import renames the clashing ids', async (ctx) => {
    const ui = await browser.open(ctx, t.server.url);
    const { page } = ui;
    assert.equal(await allNodes(page).count(), 0);

    let box = await openImport(page, /file/i);
    await box.locator('input[type=file]').setInputFiles(EXAMPLE);
    // The preview says what is coming before anything changes.
    await assertEventually(async () => /5 nodes/i.test(await box.innerText()), 'the preview counts the 5 nodes of the file');
    await ui.screenshot('1-file-preview');
    await confirmImport(box);

    await assertEventually(async () => (await allNodes(page).count()) === 5, 'the 5 nodes appear');
    assert.deepEqual((await nodeIds(page)).sort(), EXAMPLE_IDS);
    await assertEventually(async () => (await allEdges(page).count()) === 4, 'the 4 edges appear');
    await expectChangeCount(page, 5, 'after importing 5 nodes into an empty flow');

    // Again, into the canvas that now holds the same ids: every node is renamed.
    box = await openImport(page, /file/i);
    await box.locator('input[type=file]').setInputFiles(EXAMPLE);
    await assertEventually(async () => /5 ids are already taken/i.test(await box.innerText()), 'the preview says the 5 ids are taken and get new ones');
    for (const id of EXAMPLE_IDS) assert.match(await box.innerText(), new RegExp(`\\b${id}\\b.*\\b${id}-2\\b`, 's'), `the preview names ${id} → ${id}-2`);
    await ui.screenshot('2-rename-preview');
    assert.match(await confirmImport(box), /5 nodes renamed/, 'the outcome says how many were renamed');

    await assertEventually(async () => (await allNodes(page).count()) === 10, 'the 5 imported nodes are added next to the 5 there');
    assert.deepEqual((await nodeIds(page)).sort(), [...EXAMPLE_IDS, ...EXAMPLE_IDS.map((id) => `${id}-2`)].sort());
    await assertEventually(async () => (await allEdges(page).count()) === 8, 'the edges follow the renamed nodes');
    for (const [source, target] of [['sensors-2', 'temperature-2'], ['temperature-2', 'hot-2'], ['hot-2', 'fan-2'], ['hot-2', 'log-2']]) {
      assert.equal(await edge(page, source!, target!).count(), 1, `edge ${source} → ${target}`);
    }
    await ui.screenshot('3-imported-twice');
  });

  it('imports pasted text into a canvas that has nodes, renaming the clashing ones', async (ctx) => {
    // The server already runs the example, so the page opens with its ids taken.
    const deployed = await t.api('/api/flows', { method: 'PUT', body: example });
    assert.equal(deployed.status, 200, deployed.text);

    const ui = await browser.open(ctx, t.server.url);
    const { page } = ui;
    await assertEventually(async () => (await allNodes(page).count()) === 5, 'the deployed example is on the canvas');

    // Paste a part of it: the sensor → temperature → threshold chain, one id new.
    const doc = example;
    const part = {
      ...doc,
      nodes: [...doc.nodes.filter((n) => ['sensors', 'temperature', 'hot'].includes(n.id)), { id: 'extra-log', type: 'debug', position: { x: 660, y: 280 }, config: {} }],
      edges: [...doc.edges.filter((e) => ['sensors', 'temperature'].includes(e.source)), { source: 'hot', target: 'extra-log' }],
    };
    const box = await openImport(page, /paste/i);
    await box.getByRole('textbox').fill(JSON.stringify(part, null, 2));
    await box.getByRole('button', { name: /^read it$/i }).click();
    await assertEventually(async () => /4 nodes/i.test(await box.innerText()), 'the preview counts the 4 pasted nodes');
    await assertEventually(async () => /3 ids are already taken/i.test(await box.innerText()), 'the preview says 3 ids are taken and get new ones');
    for (const id of ['sensors', 'temperature', 'hot']) assert.match(await box.innerText(), new RegExp(`\\b${id}\\b.*\\b${id}-2\\b`, 's'), `the preview names ${id} → ${id}-2`);
    assert.match(await box.innerText(), /already have \(same URL\) are reused/i, 'the broker with the same URL is reused, not added');
    await ui.screenshot('4-paste-preview');
    await confirmImport(box);

    await assertEventually(async () => (await allNodes(page).count()) === 9, 'the 4 pasted nodes are added');
    assert.deepEqual((await nodeIds(page)).sort(), [...EXAMPLE_IDS, 'extra-log', 'hot-2', 'sensors-2', 'temperature-2'].sort());
    assert.equal(await node(page, 'extra-log').count(), 1, 'an id that did not clash is kept');
    await assertEventually(async () => (await allEdges(page).count()) === 7, 'the 3 pasted edges are added');
    for (const [source, target] of [['sensors-2', 'temperature-2'], ['temperature-2', 'hot-2'], ['hot-2', 'extra-log']]) {
      assert.equal(await edge(page, source!, target!).count(), 1, `edge ${source} → ${target}`);
    }
    // The pasted broker has the URL of the one there: it is reused, not added again.
    await expectChangeCount(page, 4, 'after pasting 4 new nodes');
    await ui.screenshot('5-pasted');
  });
});
