import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { spawnChild, type Child } from './children.ts';
import { connectClients, waitSubscribed } from './clients.ts';
import { rssBytes } from './proc.ts';
import { ROOT, TOPICFLOW_BIN } from './targets.ts';
import { actuatorTopic, parseActuatorTopic, rulesDocument, sensorPayload, sensorTopic } from './workload.ts';

/**
 * The whole server (`topicflow start`: HTTP API, socket.io, editor files, runtime) with the
 * embedded broker off, against the bench's Mosquitto: its idle memory, and a one-node deploy
 * into a 1,000-rule document under a stream of messages.
 */

const MB = 1024 * 1024;

interface RunningServer {
  readonly child: Child;
  readonly url: string;
  stop(): Promise<void>;
}

/** `topicflow start --no-broker --no-demo --port 0 --data <fresh dir> --broker URL`, until it says it runs. */
export async function startTopicflowServer(brokerUrl: string, engineRoot?: string, nodeFlags: readonly string[] = []): Promise<RunningServer & { readyMs: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'topicflow-bench-server-'));
  const bin = engineRoot ? join(engineRoot, 'server/bin/topicflow.js') : TOPICFLOW_BIN;
  const child = spawnChild('server', process.execPath, [...nodeFlags, bin, 'start', '--no-broker', '--no-demo', '--port', '0', '--data', dir, '--broker', brokerUrl], {
    cwd: engineRoot ?? ROOT,
  });
  const stop = async (): Promise<void> => {
    await child.stop('SIGINT');
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const match = await child.waitFor(/topicflow is running: open (http:\/\/\S+)/, 30_000);
    return { child, url: match[1]!, readyMs: performance.now() - child.spawnedAt, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

export interface IdleServerFigures {
  /** Spawn → "topicflow is running" (the example flow deployed on this first start). */
  readonly readyMs: number;
  /** VmRSS once settled: the last of the samples below. */
  readonly rssMb: number;
  /** VmRSS each second after the request, for `settleMs`. */
  readonly samplesMb: number[];
}

/**
 * Idle RSS of the whole server, with the example flow it deploys on a first start. Read after
 * `settleMs` with nothing happening: V8 gives back the young generation that start-up grew (to
 * 32 MB) only after some seconds without work (its memory reducer), and idle means after that.
 * The samples show the way down.
 */
export async function idleServer(brokerUrl: string, settleMs: number, engineRoot?: string): Promise<IdleServerFigures> {
  const server = await startTopicflowServer(brokerUrl, engineRoot);
  try {
    // One request, so the HTTP stack is as it is once someone has looked.
    await fetch(`${server.url}/api/flows`).then((r) => r.arrayBuffer());
    const samplesMb: number[] = [];
    for (let waited = 0; waited < settleMs; waited += 1000) {
      await sleep(Math.min(1000, settleMs - waited));
      samplesMb.push(rssBytes(server.child.pid) / MB);
    }
    return { readyMs: server.readyMs, rssMb: samplesMb.at(-1) ?? rssBytes(server.child.pid) / MB, samplesMb };
  } finally {
    await server.stop();
  }
}

export interface DeployFigures {
  readonly rules: number;
  /** PUT of the whole 1,000-rule document over the example flow: round trip, and until all rules answer. */
  readonly firstPutMs: number;
  readonly firstSubscribedMs: number;
  /** PUT of the copy with one threshold changed: HTTP round trip and the engine's own deploy time. */
  readonly putMs: number;
  readonly engineDeployMs: number;
  readonly started: number;
  readonly stopped: number;
  readonly unchanged: number;
  /** Messages sent to the untouched rules during the stream, and how many of their outputs never came. */
  readonly untouchedSent: number;
  readonly untouchedLost: number;
  /** The same for the changed rule (its threshold node restarts). */
  readonly changedSent: number;
  readonly changedLost: number;
  readonly rssMb: number;
  /**
   * The server's main thread during the second PUT (from /proc/<pid>/schedstat): time on a CPU,
   * and time ready to run but waiting for one. The first barely depends on what else the
   * machine does, so it compares two builds better than the round trip on a busy machine;
   * the second says how much of the round trip that business took.
   */
  readonly putCpuMs: number;
  readonly putWaitMs: number;
  /** The second PUT on the monotonic clock (µs), to cut a --cpu-prof profile of the server to it. */
  readonly putWindowUs: { readonly from: number; readonly to: number };
}

/** Nanoseconds the main thread of `pid` has run and has waited to run (Linux, /proc/<pid>/schedstat). */
function schedNs(pid: number): { run: number; wait: number } {
  const [run, wait] = readFileSync(`/proc/${pid}/schedstat`, 'utf8').trim().split(/\s+/).map(Number);
  return { run: run ?? Number.NaN, wait: wait ?? Number.NaN };
}

/** PUT a document; with `ifMatch`, as the editor does, based on that rev. */
export async function putFlow(url: string, document: unknown, ifMatch?: string): Promise<{ ms: number; reply: Record<string, unknown> }> {
  // Serialised before the clock starts: the round trip is the request's, not the client's JSON work.
  const body = JSON.stringify(document);
  const t0 = performance.now();
  const response = await fetch(`${url}/api/flows`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', ...(ifMatch ? { 'if-match': `"${ifMatch}"` } : {}) },
    body,
  });
  const reply = (await response.json()) as Record<string, unknown>;
  const ms = performance.now() - t0;
  if (!response.ok) throw new Error(`PUT /api/flows answered ${response.status}: ${JSON.stringify(reply).slice(0, 500)}`);
  return { ms, reply };
}

/**
 * Deploy `rules` rules, stream QoS 1 messages to all of them at `rate` msg/s (each with its
 * own room, so every output is matched to its input), deploy a copy where rule 0's threshold
 * is 26 instead of 25 after one third of the stream, and count the outputs that never came.
 */
export async function oneNodeDeploy(
  brokerUrl: string,
  options: { rules: number; rate: number; seconds: number; engineRoot?: string; nodeFlags?: readonly string[] },
): Promise<DeployFigures> {
  const { rules, rate, seconds } = options;
  const server = await startTopicflowServer(brokerUrl, options.engineRoot, options.nodeFlags);
  const clients = await connectClients(brokerUrl, 1);
  try {
    const doc = rulesDocument({ rules, qos: 1, brokerUrl });
    const t0 = performance.now();
    const first = await putFlow(server.url, doc);
    const subscribed = await waitSubscribed(clients, rules, t0, 180_000, () => server.child.exited());

    const expected = new Set<string>();
    const received = new Set<string>();
    clients.setHook((topic) => {
      if (parseActuatorTopic(topic)) received.add(topic);
    });
    const payloads = [sensorPayload(22), sensorPayload(27)];
    const total = Math.round(rate * seconds);
    const changeAt = Math.floor(total / 3);
    let put: Promise<{ ms: number; reply: Record<string, unknown> }> | undefined;
    let putFrom = 0;
    let schedBefore = { run: Number.NaN, wait: Number.NaN };
    let schedAfter = schedBefore;
    const start = performance.now();
    for (let sent = 0; sent < total; ) {
      const due = Math.min(total, Math.floor(((performance.now() - start) * rate) / 1000));
      for (; sent < due; sent++) {
        const rule = sent % rules;
        const room = `m${sent}`;
        expected.add(actuatorTopic(rule, room));
        clients.pub.publish(sensorTopic(rule, room), payloads[sent % 2]!, { qos: 1 });
        if (sent === changeAt) {
          // Based on the first PUT's rev (If-Match), as the editor's deploy is.
          const changed = rulesDocument({ rules, qos: 1, brokerUrl, above: (k) => (k === 0 ? 26 : 25) });
          putFrom = Number(process.hrtime.bigint() / 1000n);
          schedBefore = schedNs(server.child.pid);
          put = putFlow(server.url, changed, String(first.reply['rev'])).then((done) => {
            schedAfter = schedNs(server.child.pid);
            return done;
          });
        }
      }
      await sleep(1);
    }
    const change = await put!;
    const putTo = putFrom + change.ms * 1000;
    // Drain: every output that is coming arrives well within this on loopback.
    for (let i = 0; i < 100 && received.size < expected.size; i++) await sleep(50);
    let untouchedSent = 0;
    let untouchedLost = 0;
    let changedSent = 0;
    let changedLost = 0;
    for (const topic of expected) {
      const changed = parseActuatorTopic(topic)!.rule === 0;
      const lost = received.has(topic) ? 0 : 1;
      if (changed) {
        changedSent++;
        changedLost += lost;
      } else {
        untouchedSent++;
        untouchedLost += lost;
      }
    }
    const reply = change.reply as { durationMs?: number; started?: unknown[]; stopped?: unknown[]; unchanged?: number };
    return {
      rules,
      firstPutMs: first.ms,
      firstSubscribedMs: subscribed.ms,
      putMs: change.ms,
      engineDeployMs: reply.durationMs ?? Number.NaN,
      started: reply.started?.length ?? Number.NaN,
      stopped: reply.stopped?.length ?? Number.NaN,
      unchanged: reply.unchanged ?? Number.NaN,
      untouchedSent,
      untouchedLost,
      changedSent,
      changedLost,
      rssMb: rssBytes(server.child.pid) / MB,
      putCpuMs: (schedAfter.run - schedBefore.run) / 1e6,
      putWaitMs: (schedAfter.wait - schedBefore.wait) / 1e6,
      putWindowUs: { from: putFrom, to: putTo },
    };
  } finally {
    clients.setHook(undefined);
    await clients.close();
    await server.stop();
  }
}
