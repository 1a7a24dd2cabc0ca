/**
 * Helpers for running the example flows the way a user does: `topicflow run FILE` as a child
 * process against a test broker, sensor messages sent with Debian's `mosquitto_pub`, and the
 * actuator messages recorded by an mqtt.js subscriber. Every wait is bounded; every child is
 * killed (SIGTERM, then SIGKILL) and awaited by `stop()`.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import type { MqttClient } from 'mqtt';
import type { Received } from '../support/brokers.ts';
import { INSTALL_LINE } from '../support/requirements.ts';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const FLOWS_DIR = join(ROOT, 'flows');
const BIN = join(ROOT, 'server/bin/topicflow.js');

/** Time for a child to load (tsx compiles the sources on first use) and connect. */
const READY_TIMEOUT_MS = 20_000;
/** After "connected" the runtime still has to send SUBSCRIBE and get SUBACK. */
const SUBSCRIBE_SETTLE_MS = 300;
const STOP_GRACE_MS = 2000;
const PUBLISH_TIMEOUT_MS = 5000;
const MAX_OUTPUT_CHARS = 64_000;

/** Children still running, killed if the test process exits without stopping them. */
const live = new Set<ChildProcess>();
process.once('exit', () => live.forEach((child) => child.kill('SIGKILL')));

/** Path of mosquitto_pub (package mosquitto-clients), or undefined when it is missing. */
export function mosquittoPubPath(): string | undefined {
  const onPath = (process.env['PATH'] ?? '').split(delimiter).filter(Boolean).map((dir) => join(dir, 'mosquitto_pub'));
  for (const file of ['/usr/bin/mosquitto_pub', ...onPath]) {
    try {
      accessSync(file, constants.X_OK);
      return file;
    } catch {
      // Not here; try the next place.
    }
  }
  return undefined;
}

/** Throws a readable error when mosquitto_pub is not installed. */
export function requireMosquittoPub(): string {
  const path = mosquittoPubPath();
  if (!path) throw new Error(`mosquitto_pub is not installed; install it with: ${INSTALL_LINE}`);
  return path;
}

/**
 * Publishes one message with `mosquitto_pub -q 1` (resolves once the broker has acknowledged
 * it, so consecutive calls arrive in order). An empty payload is sent with `-n`; `retain`
 * adds `-r` (an empty retained message clears the topic's retained value).
 */
export async function mosquittoPub(port: number, topic: string, payload: string, options: { retain?: boolean } = {}): Promise<void> {
  const binary = requireMosquittoPub();
  const message = payload === '' ? ['-n'] : ['-m', payload];
  const retain = options.retain ? ['-r'] : [];
  const args = ['-h', '127.0.0.1', '-p', String(port), '-t', topic, ...message, ...retain, '-q', '1'];
  await new Promise<void>((resolve, reject) => {
    execFile(binary, args, { timeout: PUBLISH_TIMEOUT_MS }, (error, _stdout, stderr) => {
      if (error) reject(new Error(`mosquitto_pub -t ${topic} failed: ${error.message}\n${stderr}`));
      else resolve();
    });
  });
}

/** A flow file running in `topicflow run` as a child process. */
export interface CliFlow {
  readonly child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** True while the child has not exited. */
  running(): boolean;
  /** SIGTERM, SIGKILL after 2 s, waits for the exit, removes the data folder; safe to call twice. */
  stop(): Promise<void>;
}

const exited = (child: ChildProcess): boolean => child.exitCode !== null || child.signalCode !== null;

async function stopChild(child: ChildProcess): Promise<void> {
  for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
    if (exited(child)) return;
    const gone = new Promise((resolve) => child.once('exit', resolve));
    child.kill(signal);
    await Promise.race([gone, sleep(STOP_GRACE_MS, undefined, { ref: false })]);
  }
}

/**
 * Starts `node server/bin/topicflow.js run FILE --broker URL --data <tmp> --quiet` and resolves
 * once it logged `broker home: connected`, plus a short settle for its subscriptions. Each run
 * gets its own data folder, hence its own install id and MQTT client id.
 */
export async function runCliFlow(file: string, brokerUrl: string): Promise<CliFlow> {
  const dataDir = await mkdtemp(join(tmpdir(), 'topicflow-example-data-'));
  const child = spawn(process.execPath, [BIN, 'run', file, '--broker', brokerUrl, '--data', dataDir, '--quiet'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  live.add(child);
  child.once('exit', () => live.delete(child));
  let out = '';
  let err = '';
  child.stdout?.on('data', (chunk: Buffer) => void (out = (out + chunk.toString()).slice(-MAX_OUTPUT_CHARS)));
  child.stderr?.on('data', (chunk: Buffer) => void (err = (err + chunk.toString()).slice(-MAX_OUTPUT_CHARS)));
  child.on('error', (error) => void (err += `spawn error: ${error.message}\n`));

  let stopping: Promise<void> | undefined;
  const flow: CliFlow = {
    child,
    stdout: () => out,
    stderr: () => err,
    running: () => !exited(child),
    stop: () => (stopping ??= stopChild(child).then(() => rm(dataDir, { recursive: true, force: true }))),
  };

  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (!/broker home: connected/.test(out)) {
    if (exited(child) || Date.now() > deadline) {
      const why = exited(child) ? `exited (${child.exitCode ?? child.signalCode})` : `did not connect within ${READY_TIMEOUT_MS} ms`;
      await flow.stop();
      throw new Error(`topicflow run ${basename(file)} ${why}\nstdout:\n${out}\nstderr:\n${err}`);
    }
    await sleep(25);
  }
  await sleep(SUBSCRIBE_SETTLE_MS);
  return flow;
}

/**
 * Writes a copy of a flow file into `dir` with some node configs changed (e.g. a `for` of 300
 * seconds shortened to 1) and returns its path.
 */
export async function flowCopy(file: string, dir: string, changes: Record<string, Record<string, unknown>>): Promise<string> {
  const doc = JSON.parse(await readFile(file, 'utf8')) as { nodes: { id: string; config: Record<string, unknown> }[] };
  for (const [id, config] of Object.entries(changes)) {
    const node = doc.nodes.find((n) => n.id === id);
    if (!node) throw new Error(`${basename(file)} has no node "${id}"`);
    node.config = { ...node.config, ...config };
  }
  const copy = join(dir, basename(file));
  await writeFile(copy, JSON.stringify(doc, null, 2));
  return copy;
}

/** Records every message on the given topics, in arrival order, until stopped. */
export interface Recorder {
  readonly messages: Received[];
  /** Resolves once `count` messages were recorded; rejects after `timeoutMs` listing them. */
  until(count: number, timeoutMs?: number): Promise<void>;
  stop(): void;
}

export function record(client: MqttClient, topics: readonly string[]): Recorder {
  const wanted = new Set(topics);
  const messages: Received[] = [];
  const onMessage = (topic: string, payload: Buffer, packet: { qos: 0 | 1 | 2; retain: boolean }): void => {
    if (wanted.has(topic)) messages.push({ topic, payload: payload.toString('utf8'), qos: packet.qos, retain: packet.retain });
  };
  client.on('message', onMessage);
  return {
    messages,
    async until(count, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      while (messages.length < count) {
        if (Date.now() > deadline) {
          throw new Error(`expected ${count} message(s) on ${topics.join(', ')} within ${timeoutMs} ms; got ${JSON.stringify(messages)}`);
        }
        await sleep(10);
      }
    },
    stop: () => void client.off('message', onMessage),
  };
}

/** Polls `check` every 20 ms; throws `what` after `timeoutMs`. */
export async function waitFor(check: () => boolean, what: () => string, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms: ${what()}`);
    await sleep(20);
  }
}
