import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compiledEntry } from '../../server/bin/compiled-entry.js';
import { buildServer, serverIsStale } from '../../server/tools/build-server.ts';
import { spawnChild, type Child } from './children.ts';
import { rulesDocument, type BenchQos } from './workload.ts';

/**
 * The processes under test, each spawned on its own so /proc charges it alone:
 * - `engine`: `node server/bin/topicflow.js run <flow> --broker URL --no-broker --quiet --data <tmp>`,
 *   the headless runtime exactly as a user starts it (the compiled build, see bench/run.ts);
 * - `relay`: `node relay.js`, the hand-written mqtt.js reference, as plain JavaScript the way a
 *   hobbyist would run it: bench/relay/relay.ts with its types stripped by esbuild.
 */

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const TOPICFLOW_BIN = join(ROOT, 'server/bin/topicflow.js');
const RELAY_SOURCE = join(ROOT, 'bench/relay/relay.ts');
let relayScript: string | undefined;

export interface Prepared {
  /** What the engine runs: the compiled build, or the TypeScript sources (and why). */
  readonly engine: string;
}

/**
 * Once per bench run, before any target starts: compile the server if a source changed (so the
 * engine is measured as `npm install` leaves it), and bench/relay/relay.ts to plain JavaScript.
 */
export async function prepareTargets(engineRoot = ROOT): Promise<Prepared> {
  if (serverIsStale(engineRoot)) await buildServer(engineRoot);
  const entry = compiledEntry(engineRoot);
  const { transform } = await import('esbuild');
  const js = await transform(readFileSync(RELAY_SOURCE, 'utf8'), { loader: 'ts', format: 'esm', target: 'node20' });
  // Inside node_modules, so the relay's `import 'mqtt'` resolves as it does for the project.
  const dir = join(ROOT, 'node_modules/.cache/topicflow-bench');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `relay-${process.pid}.mjs`);
  writeFileSync(file, js.code);
  process.once('exit', () => rmSync(file, { force: true }));
  relayScript = file;
  return { engine: entry.ok ? `compiled build ${relative(engineRoot, entry.file)}` : `TypeScript sources through tsx (${entry.reason})` };
}

export type TargetKind = 'engine' | 'relay';

export interface Target {
  readonly kind: TargetKind;
  readonly child: Child;
  stop(): Promise<void>;
}

export interface TargetOptions {
  readonly kind: TargetKind;
  readonly rules: number;
  readonly qos: BenchQos;
  readonly brokerUrl: string;
  /** Extra node flags, e.g. `--cpu-prof --cpu-prof-dir=…`. */
  readonly nodeFlags?: readonly string[];
  /** Another checkout to run the engine from (a candidate fix); default this one. */
  readonly engineRoot?: string;
}

/** Spawn the engine or the relay for `rules` rules at `qos`. */
export function startTarget(options: TargetOptions): Target {
  if (options.kind === 'relay') {
    if (!relayScript) throw new Error('bench: prepareTargets() must run before a relay starts');
    const child = spawnChild('relay', process.execPath, [
      ...(options.nodeFlags ?? []),
      relayScript,
      '--broker',
      options.brokerUrl,
      '--rules',
      String(options.rules),
      '--qos',
      String(options.qos),
    ], { cwd: ROOT });
    return { kind: 'relay', child, stop: () => child.stop() };
  }
  const dir = mkdtempSync(join(tmpdir(), 'topicflow-bench-engine-'));
  const flow = join(dir, 'flow.json');
  writeFileSync(flow, JSON.stringify(rulesDocument(options)));
  const child = spawnChild('engine', process.execPath, [
    ...(options.nodeFlags ?? []),
    options.engineRoot ? join(options.engineRoot, 'server/bin/topicflow.js') : TOPICFLOW_BIN,
    'run',
    flow,
    '--broker',
    options.brokerUrl,
    '--no-broker',
    '--quiet',
    '--data',
    join(dir, 'data'),
  ], { cwd: options.engineRoot ?? ROOT });
  return {
    kind: 'engine',
    child,
    async stop() {
      // SIGINT: the runtime stops its nodes and disconnects, so a --cpu-prof profile gets written.
      await child.stop('SIGINT');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
