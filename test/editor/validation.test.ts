/**
 * A field the schema refuses shows its error next to the field as it is typed, and the flow
 * cannot be deployed while it is there: the server's flow (its rev) stays as it was.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page, Request } from 'playwright-core';
import { thresholdNode } from '../../nodes/threshold/definition.ts';
import { mqttInNode } from '../../nodes/mqtt-in/definition.ts';
import { startAedes, type TestBroker } from '../support/brokers.ts';
import { useBrowser } from '../support/browser.ts';
import { suiteNeeds } from '../support/requirements.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { allNodes, assertEventually, configPanel, deployButton, escapeRegExp, injectThresholdDebug, node, putFlows, selectNode, serverFlows } from './ui.ts';

const SUITE = 'editor: inline validation blocks deploy';

/** The message the node type's shared schema gives for `config`: what the form must show. */
function schemaMessage(definition: typeof thresholdNode | typeof mqttInNode, config: Record<string, unknown>): string {
  const parsed = definition.config.safeParse(config);
  assert.ok(!parsed.success, `the schema refuses ${JSON.stringify(config)}`);
  return parsed.error.issues[0]!.message;
}

/** Deploying is refused: the button is disabled, or pressing it sends no PUT and says why. */
async function assertDeployBlocked(page: Page, t: TestServer, rev: string | null, message: string): Promise<void> {
  const puts: Request[] = [];
  const onRequest = (request: Request): void => {
    if (request.method() === 'PUT' && request.url().endsWith('/api/flows')) puts.push(request);
  };
  page.on('request', onRequest);
  try {
    const button = deployButton(page);
    if (await button.isEnabled()) {
      await button.click();
      const status = page.getByTestId('deploy-status');
      await assertEventually(async () => (await status.innerText().catch(() => '')).includes(message), `the toolbar says why the deploy is refused ("${message}")`);
      await page.waitForTimeout(300);
    }
    assert.equal(puts.length, 0, 'no deploy request may leave the page while a field is invalid');
  } finally {
    page.off('request', onRequest);
  }
  assert.equal((await serverFlows(t)).rev, rev, 'the server flow is unchanged');
}

describe(SUITE, suiteNeeds('chromium', SUITE), () => {
  const browser = useBrowser('validation');
  let t: TestServer;
  let broker: TestBroker;
  let rev: string;
  before(async () => {
    broker = await startAedes();
    t = await startTestServer({ connectTimeoutMs: 3000 });
    const doc = injectThresholdDebug();
    doc.brokers = [{ id: 'home', url: broker.url }] as never[];
    doc.nodes.push({ id: 'sensors', type: 'mqtt-in', position: { x: 0, y: 160 }, config: { broker: 'home', topic: 'home/+room/temperature' } } as never);
    doc.edges.push({ source: 'sensors', target: 'hot' });
    rev = await putFlows(t, doc);
  });
  after(async () => {
    await t?.close();
    await broker?.stop();
  });

  it('a negative hysteresis shows its error inline and the deploy is refused', async (ctx) => {
    const ui = await browser.open(ctx, t.server.url);
    const { page } = ui;
    await assertEventually(async () => (await allNodes(page).count()) === 4, 'the deployed flow is on the canvas');
    await selectNode(page, 'hot');
    const field = configPanel(page).getByLabel(/^hysteresis/i);
    await field.fill('-1');
    const message = schemaMessage(thresholdNode, { above: 25, hysteresis: -1 });
    await assertEventually(async () => (await configPanel(page).getByText(message).count()) > 0, `the form shows "${message}"`);
    await assertEventually(async () => (await field.getAttribute('aria-invalid')) === 'true', 'the field is marked invalid');
    assert.match(await node(page, 'hot').innerText(), new RegExp(escapeRegExp(message)), 'the node on the canvas shows the problem too');
    await ui.screenshot('hysteresis-invalid');
    await assertDeployBlocked(page, t, rev, message);

    // Fixing the field clears the error.
    await field.fill('0.5');
    await assertEventually(async () => (await configPanel(page).getByText(message).count()) === 0, 'the error goes away once the value is valid');
  });

  it('a topic filter with # in the middle shows its error inline and the deploy is refused', async (ctx) => {
    const ui = await browser.open(ctx, t.server.url);
    const { page } = ui;
    await assertEventually(async () => (await allNodes(page).count()) === 4, 'the deployed flow is on the canvas');
    await selectNode(page, 'sensors');
    const field = configPanel(page).getByLabel(/^topic/i);
    await field.fill('a/#/b');
    const message = schemaMessage(mqttInNode, { broker: 'home', topic: 'a/#/b' });
    await assertEventually(async () => (await configPanel(page).getByText(message, { exact: false }).count()) > 0, `the form shows "${message}"`);
    await assertEventually(async () => (await field.getAttribute('aria-invalid')) === 'true', 'the field is marked invalid');
    assert.match(await node(page, 'sensors').innerText(), new RegExp(escapeRegExp(message)), 'the node on the canvas shows the problem too');
    await ui.screenshot('topic-invalid');
    await assertDeployBlocked(page, t, rev, message);
  });
});
