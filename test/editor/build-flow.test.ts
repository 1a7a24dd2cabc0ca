/**
 * The whole first-use story in a real browser: from an empty canvas, drag MQTT in → transform
 * → threshold → MQTT out from the palette, wire the handles with the mouse, add a broker and
 * fill the forms, deploy, then send a sensor reading on the broker and see the fan command
 * arrive on the broker and the states appear on the canvas.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { collect, connectClient, startAedes, type TestBroker } from '../support/brokers.ts';
import { useBrowser } from '../support/browser.ts';
import { suiteNeeds } from '../support/requirements.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import {
  allEdges,
  allNodes,
  assertEventually,
  configField,
  configPanel,
  deploy,
  dragFromPalette,
  expectChangeCount,
  expectStatus,
  openSidebarTab,
  selectNode,
  serverFlows,
  wire,
} from './ui.ts';

const SUITE = 'editor: build a flow from the palette';

describe(SUITE, suiteNeeds('chromium', SUITE), () => {
  const browser = useBrowser('build-flow');
  let broker: TestBroker;
  let t: TestServer;
  before(async () => {
    broker = await startAedes();
    t = await startTestServer({ connectTimeoutMs: 3000 });
  });
  after(async () => {
    await t?.close();
    await broker?.stop();
  });

  it('drags, wires, fills, deploys, and the sensor reading switches the fan', async (ctx) => {
    const ui = await browser.open(ctx, t.server.url);
    const { page } = ui;
    assert.equal(await allNodes(page).count(), 0, 'a new server starts with an empty canvas');

    // A broker first, so new MQTT nodes pick it.
    await openSidebarTab(page, /brokers/i);
    await page.getByRole('button', { name: /add broker/i }).click();
    const brokerForm = configPanel(page);
    const idField = brokerForm.getByLabel(/^id\b/i);
    await idField.fill('home');
    await idField.press('Enter');
    await brokerForm.getByLabel(/^url\b/i).fill(broker.url);
    await brokerForm.getByText(broker.url, { exact: true }).waitFor({ state: 'visible' });
    await ui.screenshot('1-broker-added');

    // The first node is centred by the canvas (a fit when an empty flow gets nodes); the
    // others go to the corners, clear of it.
    const sensors = await dragFromPalette(page, 'mqtt-in', { x: 150, y: 150 });
    await page.waitForTimeout(400);
    const temperature = await dragFromPalette(page, 'transform', { x: 150, y: 560 });
    const hot = await dragFromPalette(page, 'threshold', { x: 560, y: 560 });
    const fan = await dragFromPalette(page, 'mqtt-out', { x: 560, y: 150 });
    assert.equal(await allNodes(page).count(), 4);

    await wire(page, sensors, temperature);
    await wire(page, temperature, hot);
    await wire(page, hot, fan);
    await assertEventually(async () => (await allEdges(page).count()) === 3, 'three edges are drawn');
    await ui.screenshot('2-wired');

    // Forms: each node's config panel opens when it is clicked.
    await selectNode(page, sensors);
    assert.equal(await configField(page, 'broker').locator('select').inputValue(), 'home', 'a new MQTT node picks the broker');
    await fillField(page, /^topic\b/i, 'zigbee2mqtt/+room/th_sensor');

    await selectNode(page, temperature);
    // A new transform starts with one "Pick a field" step; the test types its field anyway.
    await fillField(page, /^path\b/i, 'temperature');

    await selectNode(page, hot);
    const condition = configField(page, 'condition');
    await condition.locator('select').selectOption('above');
    await condition.locator('input').fill('25');

    await selectNode(page, fan);
    await fillField(page, /^topic\b/i, 'actuator/{room}/fan');
    await expectChangeCount(page, 4, 'with four new nodes');
    await ui.screenshot('3-forms-filled');

    assert.equal(await deploy(page), 'done');
    assert.notEqual((await serverFlows(t)).rev, null, 'the deploy reached the server');
    await expectChangeCount(page, 0, 'after the deploy');
    const deployed = (await serverFlows(t)).document!;
    const byId = new Map(deployed.nodes.map((n) => [n.id, n]));
    assert.equal(byId.get(sensors)?.config['topic'], 'zigbee2mqtt/+room/th_sensor');
    assert.equal(byId.get(sensors)?.config['broker'], 'home');
    assert.deepEqual(byId.get(temperature)?.config['ops'], [{ op: 'path', path: 'temperature' }]);
    assert.equal(byId.get(hot)?.config['above'], 25);
    assert.equal(byId.get(fan)?.config['topic'], 'actuator/{room}/fan');
    assert.equal(byId.get(fan)?.config['broker'], 'home');
    assert.equal(deployed.edges.length, 3);

    // The MQTT nodes show their connection on the canvas.
    await expectStatus(page, sensors, /^connected$/);
    await expectStatus(page, fan, /^connected$/);

    const client = await connectClient(broker.url);
    try {
      const got = collect(client, 'actuator/#', 1, 10_000);
      await client.subscribeAsync('actuator/#', { qos: 1 });
      // The server subscribes right after the deploy; until its SUBACK a reading could be missed,
      // so the reading is repeated until the command arrives (the threshold sends only the first).
      let received = false;
      void got.then(() => (received = true), () => undefined);
      for (let i = 0; i < 40 && !received; i++) {
        await client.publishAsync('zigbee2mqtt/kitchen/th_sensor', '{"temperature":27.34,"humidity":44.72}', { qos: 1 });
        await new Promise((r) => setTimeout(r, 250));
      }
      const [command] = await got;
      assert.deepEqual({ topic: command!.topic, payload: command!.payload }, { topic: 'actuator/kitchen/fan', payload: 'ON' });
    } finally {
      await client.endAsync();
    }

    // The threshold's status: its state and the room it is for.
    await expectStatus(page, hot, /^ON · kitchen/);
    await ui.screenshot('4-deployed-live');
  });
});

/** Type into the selected node's field labelled `label`, then leave it (closing any suggestion list). */
async function fillField(page: Page, label: RegExp, value: string): Promise<void> {
  const input = configPanel(page).getByLabel(label);
  await input.fill(value);
  await input.press('Escape');
  assert.equal(await input.inputValue(), value);
}
