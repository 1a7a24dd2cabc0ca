import { setTimeout as sleep } from 'node:timers/promises';
import { connectClients } from './clients.ts';
import { waitSubscribed } from './clients.ts';
import { closedLoop, fixedRate, idleCpuRate, maxRate, type RatePhase } from './load.ts';
import { rssBytes } from './proc.ts';
import { percentile } from './stats.ts';
import { startTarget, type TargetKind } from './targets.ts';
import type { BenchQos } from './workload.ts';

/** One process under test through every phase: start-up, warm-up, idle, fixed rate, max rate, latency. */

export interface PhaseSettings {
  /** Offered rate of the CPU phase (msg/s) and its length. */
  readonly rate: number;
  readonly seconds: number;
  readonly warmupSeconds: number;
  readonly idleMs: number;
  readonly maxSeconds: number;
  /** Closed-loop round trips (0: no latency phase). */
  readonly latencyCount: number;
  readonly startTimeoutMs: number;
  readonly nodeFlags?: readonly string[];
  readonly engineRoot?: string;
}

export interface TargetFigures {
  readonly kind: TargetKind;
  readonly rules: number;
  readonly qos: BenchQos;
  /** Spawn → the broker routes the last rule's topic to it (see waitSubscribed). */
  readonly startupMs: number;
  readonly rulesAnsweredFirstRound: number;
  readonly outputsCorrect: boolean;
  /** RSS once subscribed (after a 500 ms settle), and after the load phases. */
  readonly rssIdleMb: number;
  readonly rssAfterLoadMb: number;
  readonly idleCpuPercent: number;
  readonly fixed: RatePhase;
  readonly max: RatePhase & { lost: number };
  readonly latency?: { p50: number; p99: number; timeouts: number; count: number };
  /** The same closed loop through the broker alone, measured just before with the same clients. */
  readonly brokerLatency?: { p50: number; p99: number; timeouts: number; count: number };
  /** The fixed-rate phase on the monotonic clock (µs), to cut a --cpu-prof profile to it. */
  readonly fixedWindowUs: { from: number; to: number };
}

const monotonicUs = (): number => Number(process.hrtime.bigint() / 1000n);

const MB = 1024 * 1024;

/** Run `kind` with `rules` rules at `qos` against `brokerUrl` through the phases. */
export async function measureTarget(kind: TargetKind, rules: number, qos: BenchQos, brokerUrl: string, s: PhaseSettings): Promise<TargetFigures> {
  const clients = await connectClients(brokerUrl, qos);
  const target = startTarget({ kind, rules, qos, brokerUrl, ...(s.nodeFlags ? { nodeFlags: s.nodeFlags } : {}), ...(s.engineRoot ? { engineRoot: s.engineRoot } : {}) });
  const pid = target.child.pid;
  try {
    const subscribed = await waitSubscribed(clients, rules, target.child.spawnedAt, s.startTimeoutMs, () => target.child.exited());
    await sleep(500);
    const rssIdle = rssBytes(pid);
    // Warm-up: the JIT compiles the hot path before anything is charged.
    await fixedRate(clients, pid, { rules, rate: s.rate, seconds: s.warmupSeconds, idleRate: 0 });
    const idleRate = await idleCpuRate(pid, s.idleMs);
    const from = monotonicUs();
    const fixed = await fixedRate(clients, pid, { rules, rate: s.rate, seconds: s.seconds, idleRate });
    const fixedWindowUs = { from, to: monotonicUs() };
    const max = await maxRate(clients, pid, { rules, seconds: s.maxSeconds, idleRate });
    const rssAfter = rssBytes(pid);
    let latency: TargetFigures['latency'];
    let brokerLatency: TargetFigures['brokerLatency'];
    if (s.latencyCount > 0) {
      await sleep(200);
      const summary = (loop: { samples: number[]; timeouts: number }) => ({ p50: percentile(loop.samples, 50), p99: percentile(loop.samples, 99), timeouts: loop.timeouts, count: loop.samples.length });
      brokerLatency = summary(await closedLoop(clients, 'broker', s.latencyCount));
      latency = summary(await closedLoop(clients, 'rule', s.latencyCount));
    }
    if (target.child.exited()) throw new Error(`${kind} exited during the run:\n${target.child.log()}`);
    return {
      kind,
      rules,
      qos,
      startupMs: subscribed.ms,
      rulesAnsweredFirstRound: subscribed.rulesAnswered,
      outputsCorrect: subscribed.correct,
      rssIdleMb: rssIdle / MB,
      rssAfterLoadMb: rssAfter / MB,
      idleCpuPercent: idleRate * 100,
      fixed,
      fixedWindowUs,
      max,
      ...(latency ? { latency } : {}),
      ...(brokerLatency ? { brokerLatency } : {}),
    };
  } finally {
    await target.stop();
    await clients.close();
  }
}
