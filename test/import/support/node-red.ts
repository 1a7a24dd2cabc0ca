/**
 * A real Node-RED 4 (the devDependency) for equivalence tests: a child process on a free port
 * of 127.0.0.1 with its own temporary user folder, no editor, no telemetry. Flows are
 * deployed through its admin API (`POST /flows`), so one process serves a whole suite.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from '../../support/brokers.ts';
import { http } from '../../support/http.ts';

const START_TIMEOUT_MS = 30_000;
const STOP_GRACE_MS = 3000;
const MAX_LOG_CHARS = 64_000;

export interface NodeRed {
  readonly url: string;
  /** Replace every flow (a full deploy); resolves once Node-RED has started them. */
  deploy(flows: readonly unknown[]): Promise<void>;
  /** What Node-RED logged so far, for assertion messages. */
  log(): string;
  stop(): Promise<void>;
}

/** Children still running, killed if the test process exits without stopping them. */
const live = new Set<ChildProcess>();
process.once('exit', () => live.forEach((child) => child.kill('SIGKILL')));

/** Start Node-RED; resolves once its admin API answers and its (empty) flows have started. */
export async function startNodeRed(): Promise<NodeRed> {
  const dir = await mkdtemp(join(tmpdir(), 'topicflow-node-red-'));
  const port = await freePort();
  const settings = join(dir, 'settings.cjs');
  await writeFile(
    settings,
    `module.exports = ${JSON.stringify({
      uiHost: '127.0.0.1',
      uiPort: port,
      userDir: dir,
      flowFile: 'flows.json',
      credentialSecret: false,
      disableEditor: true,
      httpNodeRoot: false,
      logging: { console: { level: 'info', metrics: false, audit: false } },
      diagnostics: { enabled: false },
      runtimeState: { enabled: false },
      telemetry: { enabled: false },
      externalModules: { autoInstall: false, palette: { allowInstall: false } },
      editorTheme: { palette: { editable: false }, tours: false },
    })};\n`,
  );
  const redJs = createRequire(import.meta.url).resolve('node-red/red.js');
  const child = spawn(process.execPath, [redJs, '--settings', settings, '--userDir', dir], { stdio: ['ignore', 'pipe', 'pipe'], cwd: dir });
  live.add(child);
  child.once('exit', () => live.delete(child));
  let text = '';
  const append = (chunk: Buffer): void => void (text = (text + chunk.toString()).slice(-MAX_LOG_CHARS));
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  const url = `http://127.0.0.1:${port}`;
  const stop = async (): Promise<void> => {
    for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
      if (child.exitCode !== null || child.signalCode !== null) break;
      const gone = new Promise((resolve) => child.once('exit', resolve));
      child.kill(signal);
      await Promise.race([gone, sleep(STOP_GRACE_MS, undefined, { ref: false })]);
    }
    await rm(dir, { recursive: true, force: true });
  };

  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`Node-RED exited (${child.exitCode}) before it was ready:\n${text}`);
    }
    if (/Started flows/.test(text)) {
      const reply = await http(`${url}/flows`).catch(() => undefined);
      if (reply?.status === 200) break;
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`Node-RED was not ready within ${START_TIMEOUT_MS} ms:\n${text}`);
    }
    await sleep(100);
  }

  return {
    url,
    log: () => text,
    stop,
    async deploy(flows) {
      const reply = await http(`${url}/flows`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'Node-RED-Deployment-Type': 'full', 'Node-RED-API-Version': 'v1' },
        body: flows,
      });
      if (reply.status !== 204 && reply.status !== 200) throw new Error(`Node-RED refused the flows (${reply.status}): ${reply.text}\n${text}`);
    },
  };
}
