/**
 * `npm run bench`: topicflow's engine against a hand-written mqtt.js relay (bench/relay) on the
 * reference workload, both through one Mosquitto the bench starts on a free loopback port.
 * Prints a table of medians with each figure as a ratio to the relay and the issue's
 * targets, and writes every measurement to bench/results/<timestamp>.json. See README
 * "Benchmarks" for how to read it.
 *
 *     npm run bench                        # the full run (about 6 minutes)
 *     npm run bench -- --quick             # one short repetition, for trying the bench itself
 *     npm run bench -- --profile           # also profile engine and relay (node --cpu-prof)
 *     npm run bench -- --engine-root DIR   # run the engine from another checkout (a candidate fix)
 *     npm run bench -- --only deploy       # only the one-node deploy, --reps times (about 10 s each)
 */
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startBroker, type BenchBroker } from './lib/mosquitto.ts';
import { formatSummary, readProfile, summarizeProfile } from './lib/profile.ts';
import { formatTable, summarizeRow, type Row } from './lib/report.ts';
import { measureTarget, type PhaseSettings, type TargetFigures } from './lib/scenario.ts';
import { idleServer, oneNodeDeploy, type DeployFigures, type IdleServerFigures } from './lib/server.ts';
import { ROOT, prepareTargets } from './lib/targets.ts';
import { median, ratio } from './lib/stats.ts';
import type { BenchQos } from './lib/workload.ts';

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    profile: { type: 'boolean', default: false },
    reps: { type: 'string' },
    'sweep-reps': { type: 'string' },
    rate: { type: 'string' },
    seconds: { type: 'string' },
    'engine-root': { type: 'string' },
    nodelay: { type: 'boolean', default: false },
    only: { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (args.help) {
  process.stdout.write(
    [
      'npm run bench -- [options]',
      '  --quick             1 repetition, shorter phases, K up to 100 (checks the bench, not the engine)',
      '  --reps N            repetitions of the core figures (default 3)',
      '  --sweep-reps N      repetitions of K = 10 and 100 (default 1; K = 1 and 1,000 get --reps)',
      '  --rate N            offered msg/s of the CPU phase (default 5000)',
      '  --seconds N         length of the CPU phase (default 4)',
      '  --profile           one more run of engine and relay under node --cpu-prof, summarized',
      '  --engine-root DIR   run topicflow from another checkout (to measure a candidate fix)',
      '  --nodelay           Mosquitto with set_tcp_nodelay true (default: its default, Nagle on)',
      '  --only deploy       only the one-node deploy, --reps times (with --profile: the server under',
      '                      node --cpu-prof, summarized over the PUT); prints each run, writes no results',
      '',
    ].join('\n'),
  );
  process.exit(0);
}

const quick = args.quick;
const reps = Number(args.reps ?? (quick ? 1 : 3));
const sweepReps = Number(args['sweep-reps'] ?? 1);
const engineRoot = args['engine-root'];
const settings: PhaseSettings = {
  rate: Number(args.rate ?? 5000),
  seconds: Number(args.seconds ?? (quick ? 2 : 4)),
  warmupSeconds: quick ? 0.5 : 1,
  idleMs: quick ? 1000 : 1500,
  maxSeconds: quick ? 1 : 2,
  latencyCount: quick ? 500 : 2000,
  startTimeoutMs: 60_000,
  ...(engineRoot ? { engineRoot } : {}),
};
const BIG_K = quick ? 100 : 1000;
/** How long the idle server is left alone before its RSS counts (see idleServer). */
const IDLE_SETTLE_MS = quick ? 5000 : 30_000;
const SWEEP_K = quick ? [10] : [10, 100];
const DEPLOY = { rules: BIG_K, rate: 2000, seconds: quick ? 2 : 3, ...(engineRoot ? { engineRoot } : {}) };

const stamp = new Date().toISOString().replace(/[:.]/g, '-');
const resultsDir = join(ROOT, 'bench/results');
mkdirSync(resultsDir, { recursive: true });
const began = performance.now();
const progress = (line: string): void => void process.stderr.write(`[${((performance.now() - began) / 1000).toFixed(0).padStart(4)} s] ${line}\n`);

/** One repetition; a scenario that failed is absent (its figures show as n/a) and its error is kept. */
interface Repetition {
  qos0: Pair;
  qos1: Pair;
  big: Pair;
  idle?: IdleServerFigures;
  deploy?: DeployFigures;
}

type Pair = { engine?: TargetFigures; relay?: TargetFigures };

const failures: string[] = [];

/** Run one scenario; a failure is reported and recorded, and the rest of the bench goes on. */
async function attempt<T>(what: string, run: () => Promise<T>): Promise<T | undefined> {
  try {
    return await run();
  } catch (error) {
    const line = `${what}: ${(error as Error).message.split('\n')[0]}`;
    failures.push(line);
    progress(`FAILED ${line}`);
    return undefined;
  }
}

async function pair(broker: BenchBroker, rules: number, qos: BenchQos, relayFirst: boolean, s: PhaseSettings): Promise<Pair> {
  const order = relayFirst ? (['relay', 'engine'] as const) : (['engine', 'relay'] as const);
  const out: Pair = {};
  for (const kind of order) {
    progress(`${kind}: ${rules} rule(s), QoS ${qos}`);
    const figures = await attempt(`${kind}, ${rules} rule(s), QoS ${qos}`, () => measureTarget(kind, rules, qos, broker.url, s));
    if (figures) out[kind] = figures;
  }
  return out;
}

async function main(): Promise<void> {
  const prepared = await prepareTargets(engineRoot);
  progress(`engine runs the ${prepared.engine}`);
  const broker = await startBroker({ nodelay: args.nodelay });
  if (args.only !== undefined) {
    try {
      if (args.only !== 'deploy') throw new Error(`--only takes "deploy", not "${args.only}"`);
      await deployOnly(broker);
    } finally {
      await broker.stop();
    }
    return;
  }
  const repetitions: Repetition[] = [];
  const sweep: ({ rules: number } & Pair)[] = [];
  let profiles: Record<string, string> | undefined;
  try {
    progress(`Mosquitto on ${broker.url}; ${reps} repetition(s); engine from ${engineRoot ?? ROOT}`);
    for (let rep = 0; rep < reps; rep++) {
      const relayFirst = rep % 2 === 1; // alternate, so a drift of the machine hits both alike
      progress(`repetition ${rep + 1}/${reps}`);
      const qos0 = await pair(broker, 1, 0, relayFirst, settings);
      const qos1 = await pair(broker, 1, 1, relayFirst, { ...settings, latencyCount: 0 });
      const big = await pair(broker, BIG_K, 0, relayFirst, { ...settings, latencyCount: 0 });
      progress('server: idle RSS');
      const idle = await attempt('server idle RSS', () => idleServer(broker.url, IDLE_SETTLE_MS, engineRoot));
      progress(`server: one-node deploy into ${BIG_K} rules`);
      const deploy = await attempt('one-node deploy', () => oneNodeDeploy(broker.url, DEPLOY));
      repetitions.push({ qos0, qos1, big, ...(idle ? { idle } : {}), ...(deploy ? { deploy } : {}) });
    }
    for (const rules of SWEEP_K) {
      for (let rep = 0; rep < sweepReps; rep++) sweep.push({ rules, ...(await pair(broker, rules, 0, rep % 2 === 1, { ...settings, latencyCount: 0 })) });
    }
    if (args.profile) profiles = await profileRun(broker);
  } finally {
    await broker.stop();
  }

  const NaN_ = Number.NaN;
  const all = (pick: (r: Repetition) => number | undefined): number[] => repetitions.map((r) => pick(r) ?? NaN_);
  const pairs = (pick: (r: Repetition) => Pair): Pair[] => repetitions.map(pick);
  // Each target's loop minus the broker-only loop run just before it with the same clients.
  const added = (f: TargetFigures | undefined, p: 'p50' | 'p99'): number => (f?.latency?.[p] ?? NaN_) - (f?.brokerLatency?.[p] ?? NaN_);
  const sweepOf = (k: number) => sweep.filter((s) => s.rules === k);
  const rows: Row[] = [
    { figure: `CPU per message, QoS 0 at ${settings.rate} msg/s`, unit: 'µs', engine: all((r) => r.qos0.engine?.fixed.cpuUsPerMsg), relay: all((r) => r.qos0.relay?.fixed.cpuUsPerMsg), target: { text: '≤ 1.2× relay', limit: 1.2, on: 'ratio' } },
    { figure: `CPU per message, QoS 1 at ${settings.rate} msg/s`, unit: 'µs', engine: all((r) => r.qos1.engine?.fixed.cpuUsPerMsg), relay: all((r) => r.qos1.relay?.fixed.cpuUsPerMsg), target: { text: '≤ 1.2× relay', limit: 1.2, on: 'ratio' } },
    { figure: 'highest rate, QoS 0', unit: 'msg/s', engine: all((r) => r.qos0.engine?.max.msgPerSec), relay: all((r) => r.qos0.relay?.max.msgPerSec), digits: 0 },
    { figure: 'highest rate, QoS 1', unit: 'msg/s', engine: all((r) => r.qos1.engine?.max.msgPerSec), relay: all((r) => r.qos1.relay?.max.msgPerSec), digits: 0 },
    { figure: 'closed-loop latency p50 through the rule, QoS 0', unit: 'ms', engine: all((r) => r.qos0.engine?.latency?.p50), relay: all((r) => r.qos0.relay?.latency?.p50), digits: 3 },
    { figure: 'latency p50 added over broker-only, QoS 0', unit: 'ms', engine: all((r) => added(r.qos0.engine, 'p50')), relay: all((r) => added(r.qos0.relay, 'p50')), target: { text: '≤ 0.1 ms', limit: 0.1, on: 'value' }, digits: 3, noRatio: true },
    { figure: 'closed-loop latency p99 through the rule, QoS 0', unit: 'ms', engine: all((r) => r.qos0.engine?.latency?.p99), relay: all((r) => r.qos0.relay?.latency?.p99), digits: 3 },
    { figure: 'latency p99 added over broker-only, QoS 0', unit: 'ms', engine: all((r) => added(r.qos0.engine, 'p99')), relay: all((r) => added(r.qos0.relay, 'p99')), digits: 3, noRatio: true },
  ];
  const kRows = (k: number, figures: Pair[]): Row[] => {
    const of = (side: 'engine' | 'relay', pick: (f: TargetFigures) => number) => figures.map((f) => (f[side] ? pick(f[side]) : NaN_));
    return [
      { figure: `K=${k}: start-up to subscribed`, unit: 'ms', engine: of('engine', (f) => f.startupMs), relay: of('relay', (f) => f.startupMs), digits: 0, ...(k === BIG_K ? { target: { text: '≤ 1000 ms', limit: 1000, on: 'value' as const } } : {}) },
      { figure: `K=${k}: RSS after load`, unit: 'MB', engine: of('engine', (f) => f.rssAfterLoadMb), relay: of('relay', (f) => f.rssAfterLoadMb), digits: 0 },
      { figure: `K=${k}: highest rate`, unit: 'msg/s', engine: of('engine', (f) => f.max.msgPerSec), relay: of('relay', (f) => f.max.msgPerSec), digits: 0 },
      { figure: `K=${k}: CPU per message`, unit: 'µs', engine: of('engine', (f) => f.fixed.cpuUsPerMsg), relay: of('relay', (f) => f.fixed.cpuUsPerMsg) },
    ];
  };
  rows.push(...kRows(1, pairs((r) => r.qos0)));
  for (const k of SWEEP_K) rows.push(...kRows(k, sweepOf(k)));
  rows.push(...kRows(BIG_K, pairs((r) => r.big)));
  rows.push(
    { figure: `CPU per message K=${BIG_K} ÷ K=1`, unit: '×', engine: all((r) => ratio(r.big.engine?.fixed.cpuUsPerMsg ?? NaN_, r.qos0.engine?.fixed.cpuUsPerMsg ?? NaN_)), relay: all((r) => ratio(r.big.relay?.fixed.cpuUsPerMsg ?? NaN_, r.qos0.relay?.fixed.cpuUsPerMsg ?? NaN_)), target: { text: '≤ 1.2×', limit: 1.2, on: 'value' }, digits: 2, noRatio: true },
    { figure: 'idle RSS: server (start --no-broker --no-demo) vs relay', unit: 'MB', engine: all((r) => r.idle?.rssMb), relay: all((r) => r.qos0.relay?.rssIdleMb), target: { text: '≤ 90 MB', limit: 90, on: 'value' }, digits: 0 },
    { figure: `server: PUT of the ${BIG_K}-rule document`, unit: 'ms', engine: all((r) => r.deploy?.firstPutMs), digits: 0 },
    { figure: `one-node deploy into ${BIG_K} rules: PUT round trip`, unit: 'ms', engine: all((r) => r.deploy?.putMs), target: { text: '≤ 50 ms', limit: 50, on: 'value' }, digits: 0 },
    { figure: 'one-node deploy: engine.deploy alone', unit: 'ms', engine: all((r) => r.deploy?.engineDeployMs), digits: 1 },
    { figure: `messages lost on the ${BIG_K - 1} untouched rules`, unit: 'msgs', engine: all((r) => r.deploy?.untouchedLost), target: { text: '0', limit: 0, on: 'value' }, digits: 0 },
  );
  const results = rows.map(summarizeRow);
  const table = formatTable(rows, results);
  const notes = [
    `engine: the ${prepared.engine}; relay: bench/relay/relay.ts as plain JavaScript.`,
    `medians of ${reps} repetition(s); a ratio is taken within each repetition, then its median is shown.`,
    `K = ${SWEEP_K.join(', ')}: ${sweepReps} run each ([n=…]); K = 1 is the QoS 0 run, K = ${BIG_K} has ${reps}.`,
    `broker-only closed loop (QoS 0) p50 just before each loop, per repetition: ${repetitions.map((r) => `engine's ${fmt([r.qos0.engine?.brokerLatency?.p50 ?? NaN_])} ms, relay's ${fmt([r.qos0.relay?.brokerLatency?.p50 ?? NaN_])} ms`).join('; ')}.`,
    `idle server RSS each second after its request (MB): ${repetitions.map((r) => (r.idle ? r.idle.samplesMb.map((v) => v.toFixed(0)).join(' ') : 'failed')).join('; ')}.`,
    `deploys: ${repetitions.map((r) => (r.deploy ? `${r.deploy.untouchedSent} msgs to untouched rules, ${r.deploy.changedLost}/${r.deploy.changedSent} lost on the changed one` : 'failed')).join('; ')}.`,
    ...(failures.length > 0 ? [`FAILED scenarios (their figures are n/a): ${failures.join('; ')}`] : []),
  ];
  const file = join(resultsDir, `${stamp}.json`);
  writeFileSync(
    file,
    `${JSON.stringify({ startedAt: new Date(Date.now() - (performance.now() - began)).toISOString(), seconds: (performance.now() - began) / 1000, machine: { cpus: cpus().length, cpu: cpus()[0]?.model, node: process.version }, settings: { ...settings, engine: prepared.engine, reps, sweepReps, bigK: BIG_K, sweepK: SWEEP_K, deploy: DEPLOY, nodelay: args.nodelay }, results, repetitions, sweep, profiles, failures, notes }, null, 2)}\n`,
  );
  writeFileSync(join(resultsDir, `${stamp}.txt`), `${table}\n\n${notes.join('\n')}\n`);
  process.stdout.write(`\n${table}\n\n${notes.map((n) => `  ${n}`).join('\n')}\n\nresult: ${file}  (${((performance.now() - began) / 1000).toFixed(0)} s)\n`);
  const missed = results.filter((r) => r.met === false);
  if (missed.length > 0) {
    process.stdout.write(`\ntargets missed (${missed.length}):\n${missed.map((r) => `  ${r.figure}: ${r.overByPercent !== undefined ? `${r.overByPercent.toFixed(0)}% over (${r.target})` : `not measured (${r.target})`}`).join('\n')}\n`);
  }
}

/** Functions of the server's deploy whose inclusive share of the PUT a deploy profile shows. */
const DEPLOY_STEPS = ['jsonParser', 'parse', 'deployNow', 'validate', 'apply', 'save', 'writeFileAtomicSync', 'fsyncSync', 'stringify', 'revisionId', 'dispatch'];

/** `--only deploy`: the one-node deploy alone, `reps` times, each run's figures and their medians. */
async function deployOnly(broker: BenchBroker): Promise<void> {
  const runs: DeployFigures[] = [];
  for (let rep = 0; rep < reps; rep++) {
    const dir = join(resultsDir, `${stamp}-deploy-profile-${rep}`);
    if (args.profile) mkdirSync(dir, { recursive: true });
    const nodeFlags = args.profile ? ['--cpu-prof', `--cpu-prof-dir=${dir}`] : [];
    const d = await oneNodeDeploy(broker.url, { ...DEPLOY, nodeFlags });
    runs.push(d);
    process.stdout.write(
      `deploy ${rep + 1}/${reps}: PUT ${d.putMs.toFixed(1)} ms, engine.deploy ${d.engineDeployMs.toFixed(1)} ms, ` +
        `server main thread ${d.putCpuMs.toFixed(1)} ms on a CPU + ${d.putWaitMs.toFixed(1)} ms waiting for one, ` +
        `first PUT ${d.firstPutMs.toFixed(0)} ms, lost ${d.untouchedLost}/${d.untouchedSent} untouched, ${d.changedLost}/${d.changedSent} changed\n`,
    );
    const profile = args.profile ? readdirSync(dir).find((f) => f.endsWith('.cpuprofile')) : undefined;
    if (profile) {
      const summary = summarizeProfile(readProfile(join(dir, profile)), ROOT, { limit: 25, fromUs: d.putWindowUs.from, toUs: d.putWindowUs.to, inclusiveOf: DEPLOY_STEPS });
      process.stdout.write(`${join(dir, profile)} (the PUT only)\n${formatSummary(summary)}\n`);
    }
  }
  const mid = (pick: (d: DeployFigures) => number): string => median(runs.map(pick)).toFixed(1);
  process.stdout.write(
    `medians of ${runs.length}: PUT ${mid((d) => d.putMs)} ms, engine.deploy ${mid((d) => d.engineDeployMs)} ms, ` +
      `server main thread ${mid((d) => d.putCpuMs)} ms on a CPU + ${mid((d) => d.putWaitMs)} ms waiting, untouched lost ${mid((d) => d.untouchedLost)}\n`,
  );
}

function fmt(values: number[]): string {
  return values.map((v) => v.toFixed(3)).join(' / ');
}

/** Engine and relay once more, K = 1, QoS 0, each under --cpu-prof; summaries cut to the CPU phase. */
async function profileRun(broker: BenchBroker): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const kind of ['engine', 'relay'] as const) {
    const dir = join(resultsDir, `${stamp}-${kind}-profile`);
    mkdirSync(dir, { recursive: true });
    progress(`${kind}: profiling (node --cpu-prof)`);
    const figures = await measureTarget(kind, 1, 0, broker.url, { ...settings, latencyCount: 0, nodeFlags: ['--cpu-prof', `--cpu-prof-dir=${dir}`] });
    const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
    if (files.length === 0) {
      out[kind] = 'no profile was written';
      continue;
    }
    const path = join(dir, files[0]!);
    const summary = formatSummary(
      summarizeProfile(readProfile(path), ROOT, {
        limit: 30,
        fromUs: figures.fixedWindowUs.from,
        toUs: figures.fixedWindowUs.to,
        inclusiveOf: ['dispatch', 'toMessage', 'send', 'deliver', 'input', 'parsePayload', 'showState', '_writePacket', 'emit'],
      }),
    );
    out[kind] = `${path}\n${summary}`;
    process.stdout.write(`\n== ${kind} profile (CPU phase only; ${figures.fixed.cpuUsPerMsg.toFixed(1)} µs/msg under the profiler) ==\n${out[kind]}\n`);
  }
  return out;
}

try {
  await main();
} catch (error) {
  process.stderr.write(`bench failed: ${(error as Error).stack ?? String(error)}\n`);
  process.exitCode = 1;
}

