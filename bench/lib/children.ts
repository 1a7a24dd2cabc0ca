import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Child processes of the bench (Mosquitto, engines, relays, servers). Every one is recorded
 * so that an error, Ctrl+C or a normal exit kills whatever is still running: the bench
 * never leaves a broker or an engine behind.
 */

const MAX_LOG_CHARS = 64_000;
const STOP_GRACE_MS = 3000;

export interface Child {
  readonly name: string;
  readonly process: ChildProcess;
  readonly pid: number;
  /** performance.now() just before spawn. */
  readonly spawnedAt: number;
  /** Output so far (stdout and stderr, the tail). */
  log(): string;
  /** Resolves with the first match of `pattern` in the output; rejects on exit or after `timeoutMs`. */
  waitFor(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray>;
  exited(): boolean;
  /** SIGTERM (SIGINT for those that save on it), then SIGKILL after a grace period. Safe to call twice. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

const live = new Set<ChildProcess>();

function killAll(): void {
  for (const child of live) child.kill('SIGKILL');
  live.clear();
}

process.once('exit', killAll);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.once(signal, () => {
    process.stderr.write(`\nbench: ${signal}, stopping every child process\n`);
    killAll();
    process.exit(130);
  });
}

/** Spawn `command` with its output captured; it is killed when the bench exits in any way. */
export function spawnChild(name: string, command: string, args: readonly string[], options: SpawnOptions = {}): Child {
  const spawnedAt = performance.now();
  const child = spawn(command, [...args], { stdio: ['ignore', 'pipe', 'pipe'], ...options });
  if (child.pid === undefined) throw new Error(`could not start ${name} (${command})`);
  live.add(child);
  let text = '';
  const waiters = new Set<() => void>();
  const append = (chunk: Buffer | string): void => {
    text = (text + chunk.toString()).slice(-MAX_LOG_CHARS);
    for (const check of waiters) check();
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  child.on('error', (error) => append(`spawn error: ${error.message}\n`));
  child.once('exit', () => {
    live.delete(child);
    for (const check of waiters) check();
  });
  const exited = (): boolean => child.exitCode !== null || child.signalCode !== null;
  let stopping: Promise<void> | undefined;
  return {
    name,
    process: child,
    pid: child.pid,
    spawnedAt,
    log: () => text,
    exited,
    waitFor(pattern, timeoutMs) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => finish(new Error(`${name}: no "${pattern.source}" within ${timeoutMs} ms:\n${text}`)), timeoutMs);
        const finish = (error?: Error, match?: RegExpMatchArray): void => {
          clearTimeout(timer);
          waiters.delete(check);
          if (error) reject(error);
          else resolve(match!);
        };
        const check = (): void => {
          const match = pattern.exec(text);
          if (match) finish(undefined, match);
          else if (exited()) finish(new Error(`${name} exited (${child.exitCode ?? child.signalCode}) before "${pattern.source}":\n${text}`));
        };
        waiters.add(check);
        check();
      });
    },
    stop(signal = 'SIGTERM') {
      stopping ??= (async () => {
        for (const s of [signal, 'SIGKILL'] as const) {
          if (exited()) return;
          const gone = new Promise((resolve) => child.once('exit', resolve));
          child.kill(s);
          await Promise.race([gone, sleep(STOP_GRACE_MS, undefined, { ref: false })]);
        }
      })();
      return stopping;
    },
  };
}
