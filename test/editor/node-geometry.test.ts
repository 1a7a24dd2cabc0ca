/**
 * Canvas nodes come to React Flow with the size and handle places their cards will have
 * (editor/src/lib/node-geometry.ts), so they are drawn with their wires at once instead of
 * hidden until measured. No node of a known shape is ever hidden for measuring (the guess is
 * used), and every wire starts at its source handle and ends at its target handle as the browser
 * lays them out: on the first frame that shows them, and after the cards change size (a status
 * or counters line appears), are selected or moved. (React Flow still measures each node it
 * mounts and corrects a wrong guess before that frame is painted: the wires are what a user sees.)
 */
import assert from 'node:assert/strict';
import { after, before, describe, it, type TestContext } from 'node:test';
import type { Page } from 'playwright-core';
import { startAedes, type TestBroker } from '../support/brokers.ts';
import { useBrowser, type PageWindow } from '../support/browser.ts';
import { suiteNeeds } from '../support/requirements.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { allEdges, allNodes, assertEventually, exampleFlow, expectStatus, moveNode, node, putFlows, selectNode } from './ui.ts';

const SUITE = 'editor: node sizes known before drawing';

/** The example flow (mqtt-in, transform, threshold, mqtt-out, debug) plus an inject node: every card shape. */
async function flowOfEveryShape(brokerUrl: string) {
  const doc = await exampleFlow('zigbee-temperature-fan.json', brokerUrl);
  doc.nodes.push({ id: 'tick', type: 'inject', position: { x: 0, y: 260 }, config: { payload: 30, topic: 'kitchen' } } as (typeof doc.nodes)[number]);
  doc.edges.push({ source: 'tick', target: 'hot' });
  return doc;
}

/**
 * Installed before the page's scripts: counts the canvas nodes ever seen hidden (React Flow hides
 * a node it has no size for until it has measured it), and, at the end of the first frame that
 * drew every node and `wires` wires, the wires that missed their handles then.
 */
function watchCanvas({ wires }: { wires: number }): void {
  const w = globalThis as unknown as PageWindow & {
    MutationObserver: new (callback: () => void) => { observe(target: unknown, options: Record<string, unknown>): void };
    MessageChannel: new () => { port1: { onmessage: (() => void) | null }; port2: { postMessage(message: unknown): void } };
  };
  const hidden = new Set<string>();
  w['__hiddenNodes'] = hidden;
  new w.MutationObserver(() => {
    const nodes = w.document.querySelectorAll('.react-flow__node');
    for (let i = 0; i < nodes.length; i++) if (nodes[i]!.style.visibility === 'hidden') hidden.add(nodes[i]!.getAttribute('data-id') ?? '?');
  }).observe(w.document, { subtree: true, childList: true, attributes: true, attributeFilter: ['style'] });
  const afterFrame = new w.MessageChannel();
  afterFrame.port1.onmessage = () => {
    const drawn = w.document.querySelectorAll('.react-flow__edge').length;
    if (drawn >= wires && w.document.querySelectorAll('.react-flow__node').length > 0) {
      w['__firstFrameMisses'] = (w['__wireMisses'] as () => string[])();
      return;
    }
    w.requestAnimationFrame(() => afterFrame.port2.postMessage(null));
  };
  w.requestAnimationFrame(() => afterFrame.port2.postMessage(null));
  // Each wire's ends on screen against its handles' boxes (source: right middle, target: left middle).
  w['__wireMisses'] = (): string[] => {
    type Point = { x: number; y: number; matrixTransform(m: unknown): Point };
    type Path = { getTotalLength(): number; getPointAtLength(l: number): Point; getScreenCTM(): unknown };
    const misses: string[] = [];
    const edges = w.document.querySelectorAll('.react-flow__edge');
    for (let i = 0; i < edges.length; i++) {
      const id = edges[i]!.getAttribute('data-id') ?? '';
      const match = /^(.*):(\d+)->(.*)$/.exec(id);
      const path = (edges[i] as unknown as { querySelector(s: string): Path | null }).querySelector('path.react-flow__edge-path');
      if (!match || !path) {
        misses.push(`${id}: not a wire of this editor`);
        continue;
      }
      const handle = (nodeId: string, handleId: string) =>
        (w.document as unknown as { querySelector(s: string): { getBoundingClientRect(): { left: number; right: number; top: number; height: number } } | null }).querySelector(
          `.react-flow__node[data-id="${nodeId}"] .react-flow__handle[data-handleid="${handleId}"]`,
        );
      const source = handle(match[1]!, `out-${match[2]}`)?.getBoundingClientRect();
      const target = handle(match[3]!, 'in')?.getBoundingClientRect();
      const ctm = path.getScreenCTM();
      const start = path.getPointAtLength(0).matrixTransform(ctm);
      const end = path.getPointAtLength(path.getTotalLength()).matrixTransform(ctm);
      const off = (p: Point, x: number, y: number) => Math.hypot(p.x - x, p.y - y);
      const startOff = source ? off(start, source.right, source.top + source.height / 2) : Number.NaN;
      const endOff = target ? off(end, target.left, target.top + target.height / 2) : Number.NaN;
      if (!(startOff <= 1.5 && endOff <= 1.5)) misses.push(`${id}: starts ${startOff.toFixed(1)} px, ends ${endOff.toFixed(1)} px from its handles`);
    }
    return misses;
  };
}

const hiddenNodes = (page: Page): Promise<string[]> => page.evaluate(() => [...((globalThis as unknown as PageWindow)['__hiddenNodes'] as Set<string>)]);
const wireMisses = (page: Page): Promise<string[]> => page.evaluate(() => ((globalThis as unknown as PageWindow)['__wireMisses'] as () => string[])());

describe(SUITE, suiteNeeds('chromium', SUITE), () => {
  const browser = useBrowser('node-geometry');
  let broker: TestBroker | undefined;
  let server: TestServer | undefined;
  let wires = 0;
  before(async () => {
    broker = await startAedes();
    server = await startTestServer({ connectTimeoutMs: 3000 });
    const doc = await flowOfEveryShape(broker.url);
    wires = doc.edges.length;
    await putFlows(server, doc);
  });
  after(async () => {
    await server?.close();
    await broker?.stop();
  });

  const open = async (t: TestContext): Promise<Page> => {
    const { page } = await browser.open(t, server!.server.url, { waitFor: false });
    await page.addInitScript(watchCanvas, { wires });
    await page.reload();
    await assertEventually(async () => (await allEdges(page).count()) === wires && (await allNodes(page).count()) === 6, 'the flow is on the canvas');
    return page;
  };

  it('draws every node at once, its wires meeting its handles from the first frame', async (t) => {
    const page = await open(t);
    await assertEventually(() => page.evaluate(() => (globalThis as unknown as PageWindow)['__firstFrameMisses'] !== undefined), 'the first full frame was checked');
    assert.deepEqual(await page.evaluate(() => (globalThis as unknown as PageWindow)['__firstFrameMisses']), [], 'wires on the first frame');
    assert.deepEqual(await hiddenNodes(page), [], 'nodes hidden for measuring');
  });

  it('keeps wires on their handles when cards grow a status or counters line, and through moves, an undo and a selection', async (t) => {
    const page = await open(t);
    await expectStatus(page, 'sensors', /connected/);
    assert.deepEqual(await wireMisses(page), [], 'wires once the statuses are shown');
    const allMeet = async (when: string): Promise<void> => {
      let misses: string[] = [];
      await assertEventually(async () => (misses = await wireMisses(page)).length === 0, `wires meet their handles ${when}`).catch((error: Error) => {
        throw new Error(`${error.message}: ${misses.join('; ')}`);
      });
    };

    // An undo step taken while the inject node is as it was drawn at load…
    await moveNode(page, 'temperature', 40, 30);
    await allMeet('after a move');
    // …then a test value through it: the inject node grows a counters line…
    const before = (await node(page, 'tick').boundingBox())!.height;
    await page.getByTestId('send-tick').click();
    await assertEventually(async () => (await node(page, 'tick').boundingBox())!.height > before, 'the inject node shows its counters');
    await allMeet('once the counters are shown');
    // …and the undo brings back the node objects from before it grew.
    await page.keyboard.press('Control+z');
    await allMeet('after the undo');

    await selectNode(page, 'hot');
    await moveNode(page, 'hot', -30, 40);
    await allMeet('after a selection and a move');
    assert.deepEqual(await hiddenNodes(page), [], 'nodes hidden for measuring');
  });
});
