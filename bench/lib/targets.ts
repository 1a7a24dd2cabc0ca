import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnChild, type Child } from './children.ts';
import { rulesDocument, type BenchQos } from './workload.ts';

/**
 * The processes under test, each spawned on its own so /proc charges it alone:
 * - `engine`: `node server/bin/topicflow.js run <flow> --broker URL --no-broker --quiet --data <tmp>`,
 *   the headless runtime exactly as a user starts it (TypeScript loaded through tsx);
 * - `relay`: `node --import tsx bench/relay/relay.ts`, the hand-written mqtt.js reference,
 *   loaded the same way so both pay the same loader.
 */

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const TOPICFLOW_BIN = join(ROOT, 'server/bin/topicflow.js');
const RELAY = join(ROOT, 'bench/relay/relay.ts');

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
    const child = spawnChild('relay', process.execPath, [
      ...(options.nodeFlags ?? []),
      '--import',
      'tsx',
      RELAY,
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
