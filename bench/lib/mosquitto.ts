import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect as tcpConnect, createServer, type AddressInfo } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { spawnChild, type Child } from './children.ts';

/** Mosquitto for the bench: spawned on a free port of 127.0.0.1, stopped at the end. */

export const MOSQUITTO = '/usr/sbin/mosquitto';
const READY_TIMEOUT_MS = 5000;
const MAX_BIND_ATTEMPTS = 3;

export interface BenchBroker {
  readonly url: string;
  readonly port: number;
  readonly child: Child;
  stop(): Promise<void>;
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

/**
 * The broker configuration. Queues are raised from the defaults (1000 queued QoS 1 messages
 * per client) so that a burst of the throughput phase is slowed by the broker, not dropped by
 * it; both the engine and the relay run against the same settings.
 */
export function mosquittoConfig(port: number, nodelay = false): string {
  return [
    `user ${userInfo().username}`,
    'persistence false',
    'log_dest stderr',
    'log_type error',
    'log_type warning',
    'log_type notice',
    'log_type information',
    'allow_anonymous true',
    // Mosquitto's default is Nagle on; with it, a QoS 1 relay's reply waits ~40 ms for a delayed ACK.
    ...(nodelay ? ['set_tcp_nodelay true'] : []),
    'max_queued_messages 100000',
    `listener ${port} 127.0.0.1`,
    '',
  ].join('\n');
}

/** Start Mosquitto and resolve once it says it runs and its port accepts connections. */
export async function startBroker(options: { binary?: string; nodelay?: boolean } = {}): Promise<BenchBroker> {
  const binary = options.binary ?? MOSQUITTO;
  const dir = await mkdtemp(join(tmpdir(), 'topicflow-bench-mosquitto-'));
  for (let attempt = 1; attempt <= MAX_BIND_ATTEMPTS; attempt++) {
    const port = await freePort();
    const conf = join(dir, 'mosquitto.conf');
    await writeFile(conf, mosquittoConfig(port, options.nodelay));
    const child = spawnChild('mosquitto', binary, ['-c', conf]);
    try {
      await child.waitFor(/mosquitto version \S+ running/, READY_TIMEOUT_MS);
      for (let i = 0; i < 50 && !(await accepts(port)); i++) await sleep(20);
    } catch (error) {
      await child.stop();
      if (attempt < MAX_BIND_ATTEMPTS && /address already in use/i.test(child.log())) continue;
      await rm(dir, { recursive: true, force: true });
      throw error;
    }
    return {
      url: `mqtt://127.0.0.1:${port}`,
      port,
      child,
      stop: async () => {
        await child.stop();
        await rm(dir, { recursive: true, force: true });
      },
    };
  }
  throw new Error('unreachable: the last attempt rethrows');
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = tcpConnect({ port, host: '127.0.0.1', timeout: 500 });
    const done = (ok: boolean) => () => (socket.destroy(), resolve(ok));
    socket.once('connect', done(true)).once('error', done(false)).once('timeout', done(false));
  });
}
