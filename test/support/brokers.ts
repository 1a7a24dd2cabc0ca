/**
 * Real MQTT brokers for tests, behind one shape: aedes in-process (fast) and Mosquitto spawned
 * as a child process (interop, MQTT 5, TLS). Both bind 127.0.0.1 on a free port and are
 * stopped by the test that started them. A contract suite runs the same tests on both with
 * {@link forEachBroker}; small client helpers ({@link connectClient}, {@link collect}) bound
 * every wait so a broken broker fails a test instead of hanging it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { pbkdf2Sync, randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect as tcpConnect, createServer, type AddressInfo } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { describe } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { startEmbeddedBroker } from '../../server/mqtt/embedded-broker.ts';
import { missingMessage, mosquittoPath, suiteNeeds } from './requirements.ts';

/** Which broker implementation a {@link TestBroker} is. */
export type BrokerName = 'aedes' | 'mosquitto';

/** A running broker owned by one test (or one suite's before/after hooks). */
export interface TestBroker {
  name: BrokerName;
  /** Plain listener, e.g. `mqtt://127.0.0.1:40123`. */
  url: string;
  port: number;
  /** TLS listener (`mqtts://127.0.0.1:<port>`), present only when TLS was asked for. */
  tlsUrl?: string;
  tlsPort?: number;
  /** What the broker logged so far; put it in assertion messages when something is off. */
  log(): string;
  /** Stops the broker and removes its files; safe to call twice. */
  stop(): Promise<void>;
}

/** Options both brokers understand: the only ones a contract suite may use. */
export interface CommonBrokerOptions {
  /** With `password`, anonymous clients are refused. */
  username?: string;
  password?: string;
}

/**
 * Mosquitto-only extras. Files are paths (see makeTestCa in tls.ts). Every listener speaks
 * MQTT 3.1, 3.1.1 and 5, so there is no protocol option; a websockets listener is not offered
 * because Debian's mosquitto 2.0.11 fails to open one bound to 127.0.0.1.
 */
export interface MosquittoOptions extends CommonBrokerOptions {
  /** Adds a second, TLS listener with these PEM files. */
  tls?: { ca: string; cert: string; key: string; requireClientCert?: boolean };
}

/** One broker implementation, as handed to a contract suite body. */
export interface BrokerKind {
  name: BrokerName;
  /** MQTT protocol versions the broker speaks: aedes has no MQTT 5. */
  protocolVersions: readonly (4 | 5)[];
  start(options?: CommonBrokerOptions): Promise<TestBroker>;
}

const READY_TIMEOUT_MS = 5000;
const POLL_MS = 50;
const STOP_GRACE_MS = 2000;
const MAX_LOG_CHARS = 64_000;
const MAX_BIND_ATTEMPTS = 3;

/** Both implementations, aedes first. */
export const brokerKinds: readonly BrokerKind[] = [
  { name: 'aedes', protocolVersions: [4], start: (options) => startAedes(options) },
  { name: 'mosquitto', protocolVersions: [4, 5], start: (options) => startMosquitto(options) },
];

/**
 * Declares `describe('<suiteName> [aedes]')` and `describe('<suiteName> [mosquitto]')`, each
 * calling `body` with its broker kind. The mosquitto block follows the requirements rule:
 * skipped and recorded when mosquitto is missing, a loud failure under CI.
 */
export function forEachBroker(suiteName: string, body: (kind: BrokerKind) => void): void {
  for (const kind of brokerKinds) {
    const name = `${suiteName} [${kind.name}]`;
    const options = kind.name === 'mosquitto' ? suiteNeeds('mosquitto', name) : {};
    describe(name, options, () => body(kind));
  }
}

/** A TCP port on 127.0.0.1 that was free a moment ago (bind port 0, read it, close). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Starts the embedded (aedes) broker on a free port of 127.0.0.1. */
export async function startAedes(options: CommonBrokerOptions = {}): Promise<TestBroker> {
  const lines: string[] = [];
  const broker = await startEmbeddedBroker({ ...options, port: 0, logger: (line) => lines.push(line) });
  return { name: 'aedes', url: broker.url, port: broker.port, log: () => lines.join('\n'), stop: () => broker.close() };
}

/**
 * Spawns `mosquitto -c <temp config>` on free ports of 127.0.0.1 and resolves once it reports
 * itself running and every listener accepts connections (within 5 s; otherwise the error
 * carries mosquitto's log). Anonymous clients are allowed unless `username` is set.
 * Throws at once when mosquitto is not installed — gate the suite with suiteNeeds().
 */
export async function startMosquitto(options: MosquittoOptions = {}): Promise<TestBroker> {
  const binary = mosquittoPath();
  if (!binary) throw new Error(missingMessage('mosquitto'));
  const dir = await mkdtemp(join(tmpdir(), 'topicflow-mosquitto-'));
  const removeDir = (): Promise<void> => rm(dir, { recursive: true, force: true });
  for (let attempt = 1; attempt <= MAX_BIND_ATTEMPTS; attempt++) {
    const plain = await freePort();
    const tls = options.tls ? await freePort() : undefined;
    const conf = join(dir, 'mosquitto.conf');
    await writeFile(conf, await configText(dir, plain, tls, options));
    const run = spawnLogged(binary, ['-c', conf]);
    try {
      await waitUntilReady(run, tls ? [plain, tls] : [plain]);
    } catch (error) {
      await stopChild(run.child);
      // A freed port can be taken by another process before mosquitto binds it: try new ones.
      if (attempt < MAX_BIND_ATTEMPTS && /address already in use/i.test(run.log())) continue;
      await removeDir();
      throw error;
    }
    let stopping: Promise<void> | undefined;
    return {
      name: 'mosquitto',
      url: `mqtt://127.0.0.1:${plain}`,
      port: plain,
      ...(tls ? { tlsUrl: `mqtts://127.0.0.1:${tls}`, tlsPort: tls } : {}),
      log: run.log,
      stop: () => (stopping ??= stopChild(run.child).then(removeDir)),
    };
  }
  throw new Error('unreachable: the last attempt rethrows its error');
}

async function configText(dir: string, plain: number, tls: number | undefined, o: MosquittoOptions): Promise<string> {
  const lines = [
    // Run as root, mosquitto drops to the `mosquitto` user, who cannot read our 0700 temp dir;
    // naming the current user keeps it as it is (as non-root the setting does nothing).
    `user ${userInfo().username}`,
    'persistence false',
    'log_dest stderr',
    // Not `all`: debug lines for every packet would bury the reason a broker failed.
    ...['error', 'warning', 'notice', 'information'].map((type) => `log_type ${type}`),
    `allow_anonymous ${o.username === undefined}`,
  ];
  if (o.username !== undefined) {
    const file = join(dir, 'passwords');
    await writeFile(file, passwordLine(o.username, o.password ?? ''), { mode: 0o600 });
    lines.push(`password_file ${file}`);
  }
  lines.push(`listener ${plain} 127.0.0.1`);
  if (o.tls && tls) {
    lines.push(`listener ${tls} 127.0.0.1`, `cafile ${o.tls.ca}`, `certfile ${o.tls.cert}`, `keyfile ${o.tls.key}`);
    if (o.tls.requireClientCert) lines.push('require_certificate true');
  }
  return lines.join('\n') + '\n';
}

/** Mosquitto 2's `$7$` format (PBKDF2-SHA512), written directly so mosquitto_passwd is not needed. */
function passwordLine(username: string, password: string): string {
  const salt = randomBytes(12);
  const hash = pbkdf2Sync(password, salt, 101, 64, 'sha512');
  return `${username}:$7$101$${salt.toString('base64')}$${hash.toString('base64')}\n`;
}

/** Children still running, killed if the test process exits without stopping them. */
const live = new Set<ChildProcess>();
process.once('exit', () => live.forEach((child) => child.kill('SIGKILL')));

function spawnLogged(binary: string, args: string[]): { child: ChildProcess; log: () => string } {
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  // Keep the tail: the last lines say why a broker died.
  const append = (chunk: Buffer | string): void => void (text = (text + chunk.toString()).slice(-MAX_LOG_CHARS));
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  child.on('error', (error) => append(`spawn error: ${error.message}\n`));
  live.add(child);
  child.once('exit', () => live.delete(child));
  return { child, log: () => text };
}

const exited = (child: ChildProcess): boolean => child.exitCode !== null || child.signalCode !== null;

/**
 * Polls until mosquitto logs that it is running and each port accepts a connection. An open
 * port alone proves nothing: a TLS listener accepts for a moment before a bad certificate
 * makes mosquitto exit, and the "running" line comes only after every listener is set up.
 */
async function waitUntilReady(run: ReturnType<typeof spawnLogged>, ports: number[]): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (let poll = 0; poll < READY_TIMEOUT_MS / POLL_MS && Date.now() < deadline; poll++) {
    if (exited(run.child)) {
      throw new Error(`mosquitto exited (${run.child.exitCode ?? run.child.signalCode}) before it was ready:\n${run.log()}`);
    }
    if (/mosquitto version \S+ running/.test(run.log()) && (await Promise.all(ports.map(accepts))).every(Boolean)) return;
    await sleep(POLL_MS);
  }
  throw new Error(`mosquitto was not ready on 127.0.0.1:${ports.join(', ')} within ${READY_TIMEOUT_MS} ms:\n${run.log()}`);
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = tcpConnect({ port, host: '127.0.0.1', timeout: 500 });
    const done = (ok: boolean) => () => (socket.destroy(), resolve(ok));
    socket.once('connect', done(true)).once('error', done(false)).once('timeout', done(false));
  });
}

/** SIGTERM, then SIGKILL if the child is still there after the grace period. */
async function stopChild(child: ChildProcess): Promise<void> {
  for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
    if (exited(child)) return;
    const gone = new Promise((resolve) => child.once('exit', resolve));
    child.kill(signal);
    // An unref'd timer: once the child is gone, the leftover wait must not hold the process open.
    await Promise.race([gone, sleep(STOP_GRACE_MS, undefined, { ref: false })]);
  }
}

export { collect, connectClient, type Received, type TestClientOptions } from './mqtt-clients.ts';
