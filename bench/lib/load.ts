import { setTimeout as sleep } from 'node:timers/promises';
import type { BenchClients } from './clients.ts';
import { cpuSeconds } from './proc.ts';
import { actuatorTopic, LOAD_PAYLOADS, LOAD_ROOMS, sensorPayload, sensorTopic } from './workload.ts';

/**
 * Load generation and measurement against one process under test (`pid`): a fixed offered
 * rate for CPU per message, a bounded window of messages in flight for the highest rate,
 * and a closed loop (one message at a time) for latency.
 */

/** Topics of message i of a load phase: rules round-robin, then rooms. */
function topicTable(rules: number): string[] {
  const table: string[] = [];
  for (let room = 0; room < LOAD_ROOMS.length; room++) {
    for (let k = 0; k < rules; k++) table.push(sensorTopic(k, LOAD_ROOMS[room]!));
  }
  return table;
}

export interface RatePhase {
  readonly sent: number;
  readonly received: number;
  readonly seconds: number;
  /** CPU seconds of `pid` during the phase, less its idle rate over the same time. */
  readonly cpuSeconds: number;
  /** CPU µs per message received (NaN when none was). */
  readonly cpuUsPerMsg: number;
  readonly msgPerSec: number;
}

/** CPU seconds per second of `pid` while nothing is sent, over `ms`. */
export async function idleCpuRate(pid: number, ms: number): Promise<number> {
  const before = cpuSeconds(pid);
  const t0 = performance.now();
  await sleep(ms);
  return (cpuSeconds(pid) - before) / ((performance.now() - t0) / 1000);
}

/**
 * Publish `rate` messages per second for `seconds` across `rules` rules, wait (bounded) for
 * their outputs, and charge `pid` the CPU it used meanwhile minus `idleRate`.
 */
export async function fixedRate(
  clients: BenchClients,
  pid: number,
  options: { rules: number; rate: number; seconds: number; idleRate: number; drainMs?: number },
): Promise<RatePhase> {
  const { pub, qos } = clients;
  const topics = topicTable(options.rules);
  const total = Math.round(options.rate * options.seconds);
  const startOutputs = clients.outputs();
  const cpu0 = cpuSeconds(pid);
  const t0 = performance.now();
  let sent = 0;
  while (sent < total) {
    const due = Math.min(total, Math.floor(((performance.now() - t0) * options.rate) / 1000));
    for (; sent < due; sent++) pub.publish(topics[sent % topics.length]!, LOAD_PAYLOADS[sent % LOAD_PAYLOADS.length]!, { qos });
    await sleep(1);
  }
  await clients.waitForOutputs(startOutputs + total, options.drainMs ?? 5000);
  const received = clients.outputs() - startOutputs;
  const end = received > 0 ? Math.max(clients.lastOutputAt(), t0) : performance.now();
  const seconds = (end - t0) / 1000;
  const cpu = cpuSeconds(pid) - cpu0 - options.idleRate * seconds;
  return { sent: total, received, seconds, cpuSeconds: cpu, cpuUsPerMsg: received > 0 ? (cpu / received) * 1e6 : Number.NaN, msgPerSec: received / seconds };
}

/**
 * As fast as the chain goes: keep up to `window` messages in flight (published, output not
 * yet seen) for `seconds`. A window that makes no progress for 500 ms is written off as lost
 * (QoS 0 may drop), so the loop cannot stall. msg/s is outputs over first publish → last output.
 */
export async function maxRate(
  clients: BenchClients,
  pid: number,
  options: { rules: number; seconds: number; window?: number; idleRate: number },
): Promise<RatePhase & { lost: number }> {
  const { pub, qos } = clients;
  const topics = topicTable(options.rules);
  const window = options.window ?? 1000;
  const startOutputs = clients.outputs();
  const cpu0 = cpuSeconds(pid);
  const t0 = performance.now();
  const stopAt = t0 + options.seconds * 1000;
  let sent = 0;
  let writtenOff = 0;
  let lastProgress = t0;
  let lastSeen = 0;
  while (performance.now() < stopAt) {
    const received = clients.outputs() - startOutputs;
    if (received !== lastSeen) {
      lastSeen = received;
      lastProgress = performance.now();
    } else if (performance.now() - lastProgress > 500) {
      writtenOff = sent - received;
      lastProgress = performance.now();
    }
    const inFlight = sent - received - writtenOff;
    for (let n = Math.min(window - inFlight, 500); n > 0; n--, sent++) {
      pub.publish(topics[sent % topics.length]!, LOAD_PAYLOADS[sent % LOAD_PAYLOADS.length]!, { qos });
    }
    await sleep(1);
  }
  await clients.waitForOutputs(startOutputs + sent, 3000);
  const received = clients.outputs() - startOutputs;
  const seconds = (Math.max(clients.lastOutputAt(), t0 + 1) - t0) / 1000;
  const cpu = cpuSeconds(pid) - cpu0 - options.idleRate * seconds;
  return {
    sent,
    received,
    lost: sent - received,
    seconds,
    cpuSeconds: cpu,
    cpuUsPerMsg: received > 0 ? (cpu / received) * 1e6 : Number.NaN,
    msgPerSec: received / seconds,
  };
}

export interface LatencySamples {
  /** Round trips in ms, in the order measured. */
  readonly samples: number[];
  /** Round trips that got no answer within a second. */
  readonly timeouts: number;
}

/**
 * Closed loop: publish one message, wait for the one it causes, repeat `count` times after
 * `warmup` unrecorded ones. `through: 'rule'` goes sensor → process under test → actuator of
 * rule 0; `'broker'` publishes on `bench/echo` and waits for that very message (broker only).
 */
export async function closedLoop(clients: BenchClients, through: 'rule' | 'broker', count: number, warmup = 200): Promise<LatencySamples> {
  const { pub, qos } = clients;
  const room = 'latency';
  const sendTopic = through === 'rule' ? sensorTopic(0, room) : 'bench/echo';
  const expectTopic = through === 'rule' ? actuatorTopic(0, room) : 'bench/echo';
  const payload = sensorPayload(26);
  let wake: (() => void) | undefined;
  clients.setHook((topic) => {
    if (topic === expectTopic) wake?.();
  });
  const samples: number[] = [];
  let timeouts = 0;
  try {
    for (let i = 0; i < warmup + count; i++) {
      let timer: NodeJS.Timeout | undefined;
      const arrived = new Promise<boolean>((resolve) => {
        wake = () => resolve(true);
        timer = setTimeout(() => resolve(false), 1000);
      });
      const t0 = performance.now();
      pub.publish(sendTopic, payload, { qos });
      const ok = await arrived;
      const ms = performance.now() - t0;
      clearTimeout(timer);
      wake = undefined;
      if (i < warmup) continue;
      if (ok) samples.push(ms);
      else timeouts++;
    }
  } finally {
    clients.setHook(undefined);
  }
  return { samples, timeouts };
}
