import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cp, mkdtemp, mkdir, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { compiledEntry } from '../../../server/bin/compiled-entry.js';
import { buildServer, serverIsStale } from '../../../server/tools/build-server.ts';
import { startCli } from '../../support/cli.ts';

const ROOT = join(import.meta.dirname, '../../..');
const run = promisify(execFile);

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'topicflow-compiled-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A project folder with one source and a manifest that saw it as it is now. */
async function fakeBuild(name: string): Promise<{ root: string; source: string }> {
  const root = join(dir, name);
  await mkdir(join(root, 'server/dist/build-1'), { recursive: true });
  const source = join(root, 'server/a.ts');
  await writeFile(source, 'export const a = 1;\n');
  await utimes(source, 1_700_000_000, 1_700_000_000);
  const inputs = { 'server/a.ts': { mtimeMs: 1_700_000_000_000, size: 20 } };
  await writeFile(join(root, 'server/dist/manifest.json'), JSON.stringify({ entry: 'build-1/main.js', inputs }));
  return { root, source };
}

describe('the compiled build and the bin that picks it', () => {
  it('is used only while every source it was built from is unchanged', async () => {
    const fresh = await fakeBuild('fresh');
    assert.deepEqual(compiledEntry(fresh.root), { ok: true, file: join(fresh.root, 'server/dist/build-1/main.js') });

    const edited = await fakeBuild('edited');
    await utimes(edited.source, 1_700_000_100, 1_700_000_100);
    assert.deepEqual(compiledEntry(edited.root), { ok: false, reason: 'server/a.ts changed since the build' });

    const resized = await fakeBuild('resized');
    await writeFile(resized.source, 'export const a = 10;\n');
    await utimes(resized.source, 1_700_000_000, 1_700_000_000);
    assert.equal(compiledEntry(resized.root).ok, false, 'same mtime, other size');

    const removed = await fakeBuild('removed');
    await rm(removed.source);
    assert.deepEqual(compiledEntry(removed.root), { ok: false, reason: 'server/a.ts was removed since the build' });

    assert.deepEqual(compiledEntry(join(dir, 'nothing-built')), { ok: false, reason: 'no compiled build in server/dist' });
  });

  it('npx topicflow runs the compiled build, which finds the editor and the example flows', { timeout: 60_000 }, async () => {
    if (serverIsStale(ROOT)) await buildServer(ROOT);
    // Nothing listens on port 9 (discard): the example flow is not deployed, the server runs.
    const server = startCli(['start', '--no-broker', '--no-demo', '--port', '0', '--data', join(dir, 'data'), '--broker', 'mqtt://127.0.0.1:9'], {
      TOPICFLOW_SHOW_LOADER: '1',
    });
    try {
      const line = await server.waitForLine(/topicflow is running: open (http:\S+)/, 30_000);
      assert.match(server.output(), /topicflow: running the compiled build/);
      const url = /open (http:\S+)/.exec(line)![1]!;
      const examples = (await (await fetch(`${url}/api/examples`)).json()) as { file: string }[];
      assert.ok(examples.some((e) => e.file === 'zigbee-temperature-fan.json'), 'examples are read from flows/');
      const page = await fetch(`${url}/`);
      assert.equal(page.status, 200);
      assert.match(await page.text(), /<title>topicflow<\/title>/);
    } finally {
      await server.stop();
    }
  });

  it("keeps mqtt.js's debug log: silent by default, printed with DEBUG=mqttjs*", { timeout: 60_000 }, async () => {
    if (serverIsStale(ROOT)) await buildServer(ROOT);
    // Port 9 (discard): nothing answers, so the client keeps trying and has plenty to log.
    const args = ['run', join(ROOT, 'flows/zigbee-temperature-fan.json'), '--no-broker', '--broker', 'mqtt://127.0.0.1:9'];
    const quiet = startCli(args, { TOPICFLOW_SHOW_LOADER: '1', DEBUG: '' });
    try {
      await quiet.waitForLine(/broker home: connecting/, 30_000);
      await quiet.waitForLine(/broker home: disconnected/, 10_000);
      assert.match(quiet.output(), /running the compiled build/);
      assert.doesNotMatch(quiet.output(), /mqttjs/);
    } finally {
      await quiet.stop();
    }
    const logging = startCli(args, { TOPICFLOW_SHOW_LOADER: '1', DEBUG: 'mqttjs:client' });
    try {
      await logging.waitForLine(/mqttjs:client MqttClient :: options\.protocol/, 30_000);
      assert.match(logging.output(), /running the compiled build/);
    } finally {
      await logging.stop();
    }
  });

  it('falls back to the TypeScript sources until the next build, and says why', { timeout: 120_000 }, async () => {
    // A copy of the project's sources, so the test can build and edit without touching the checkout.
    const root = join(dir, 'copy');
    for (const part of ['server', 'nodes', 'editor/build.ts', 'package.json']) {
      await cp(join(ROOT, part), join(root, part), { recursive: true, filter: (from) => from !== join(ROOT, 'server/dist') });
    }
    await symlink(join(ROOT, 'node_modules'), join(root, 'node_modules'), 'dir');
    const help = async () => {
      const { stdout, stderr } = await run(process.execPath, [join(root, 'server/bin/topicflow.js'), '--help'], {
        env: { ...process.env, TOPICFLOW_SHOW_LOADER: '1' },
        timeout: 30_000,
      });
      assert.match(stdout, /Usage:/);
      return stderr.trim();
    };

    assert.equal(await help(), 'topicflow: running the sources through tsx (no compiled build in server/dist)');
    await buildServer(root);
    assert.equal(await help(), 'topicflow: running the compiled build');
    const later = new Date(Date.now() + 5000);
    await utimes(join(root, 'server/cli/args.ts'), later, later);
    assert.equal(await help(), 'topicflow: running the sources through tsx (server/cli/args.ts changed since the build)');
  });
});
