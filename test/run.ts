/**
 * `npm test`: runs every `test/**\/*.test.ts` on Node's own test runner (through tsx), then
 * names each suite skipped for a missing program and the one line that installs them all.
 *
 *     npm test                      # everything
 *     npm test -- broker threshold  # only files whose path contains "broker" or "threshold"
 *     npm test -- --test-name-pattern=TLS   # arguments starting with -- go to node --test
 *
 * Before the tests it compiles the server (server/dist) if a source changed since the last build.
 * Under CI (`CI=true`) a missing mosquitto or chromium stops the run before any test starts.
 * Output is Node's spec reporter, so its closing `ℹ tests N` / `ℹ pass N` / `ℹ fail N` lines
 * (which CI counts) appear as usual; the exit code is the test run's.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildServer, serverIsStale } from '../server/tools/build-server.ts';
import {
  INSTALL_LINE,
  SKIP_LOG_ENV,
  has,
  isCi,
  type Requirement,
  type SkipRecord,
} from './support/requirements.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const REQUIREMENTS: readonly Requirement[] = ['mosquitto', 'chromium'];
/**
 * Node 20 applies --test-timeout to each test file's whole run as well as to each test, so
 * it must fit the slowest file; a hang still ends as a named failure instead of a stuck run.
 */
const PER_FILE_TIMEOUT_MS = 300_000;
/** The whole run is bounded too, so a wedged child cannot keep CI busy for hours. */
const RUN_TIMEOUT_MS = Number(process.env['TOPICFLOW_TEST_RUN_TIMEOUT_MS'] ?? 30 * 60_000);
const KILL_GRACE_MS = 5000;

/** Every `*.test.ts` under test/, relative to the project root, sorted for a stable order. */
function findTestFiles(): string[] {
  const entries = readdirSync(join(ROOT, 'test'), { recursive: true, encoding: 'utf8' });
  return entries
    .filter((entry) => entry.endsWith('.test.ts'))
    .filter((entry) => !entry.split(sep).some((part) => part === 'node_modules' || part.startsWith('.')))
    .map((entry) => relative(ROOT, join(ROOT, 'test', entry)))
    .sort();
}

/** Reads the skip log written by requirements.ts, one record per distinct suite. */
function readSkips(file: string): SkipRecord[] {
  const seen = new Map<string, SkipRecord>();
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    try {
      const record = JSON.parse(line) as SkipRecord;
      seen.set(`${record.requirement}\0${record.suite}`, record);
    } catch {
      // A line torn by a crashed test process names no suite; the others still count.
      process.stderr.write(`test runner: ignoring unreadable skip-log line: ${line}\n`);
    }
  }
  return [...seen.values()];
}

function printSkipSummary(skips: SkipRecord[]): void {
  if (skips.length === 0) return;
  const lines = [
    '',
    `Skipped ${skips.length} suite(s) because a program is not installed:`,
    ...skips.map((s) => `  - ${s.suite} (needs ${s.requirement})`),
    `Install what they need with: ${INSTALL_LINE}`,
    '',
  ];
  process.stdout.write(lines.join('\n') + '\n');
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const nodeArgs = args.filter((a) => a.startsWith('--'));
  const filters = args.filter((a) => !a.startsWith('--'));

  if (isCi()) {
    const missing = REQUIREMENTS.filter((what) => !has(what));
    if (missing.length > 0) {
      process.stderr.write(
        `CI=true, and tests may not be skipped, but ${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} missing.\n` +
          `Install with: ${INSTALL_LINE}\n`,
      );
      return 1;
    }
  }

  const all = findTestFiles();
  const files = filters.length ? all.filter((f) => filters.some((needle) => f.includes(needle))) : all;
  if (files.length === 0) {
    process.stderr.write(`No test files under test/ match ${filters.map((f) => `"${f}"`).join(', ') || 'anything'}.\n`);
    return 1;
  }

  // Tests that spawn `topicflow` run what users run: the compiled build, made fresh here.
  if (serverIsStale(ROOT)) {
    const build = await buildServer(ROOT);
    process.stdout.write(`compiled the server for the tests in ${build.ms.toFixed(0)} ms\n`);
  }

  const logDir = mkdtempSync(join(tmpdir(), 'topicflow-test-'));
  const skipLog = join(logDir, 'skipped.jsonl');
  writeFileSync(skipLog, '');
  try {
    const code = await runNodeTest(
      [
        '--import', 'tsx', '--test', '--test-concurrency=2',
        // Pinned because Node 20 falls back to TAP when stdout is not a terminal, and TAP has
        // no `ℹ tests N` lines for CI to count.
        '--test-reporter=spec',
        `--test-timeout=${PER_FILE_TIMEOUT_MS}`,
        ...nodeArgs,
        ...files,
      ],
      { ...process.env, [SKIP_LOG_ENV]: skipLog },
    );
    printSkipSummary(readSkips(skipLog));
    return code;
  } finally {
    rmSync(logDir, { recursive: true, force: true });
  }
}

/** Runs node with inherited stdio in its own process group, so a timeout or Ctrl-C reaches every test process. */
function runNodeTest(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: 'inherit', detached: true });
    const signalGroup = (signal: NodeJS.Signals): void => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, signal);
      } catch (error) {
        // ESRCH: the group is already gone, which is what we wanted.
        if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
      }
    };
    const forward = (signal: NodeJS.Signals): void => signalGroup(signal);
    process.on('SIGINT', forward);
    process.on('SIGTERM', forward);

    let killTimer: NodeJS.Timeout | undefined;
    const runTimer = setTimeout(() => {
      process.stderr.write(`\nTest run exceeded ${RUN_TIMEOUT_MS} ms; stopping it.\n`);
      signalGroup('SIGTERM');
      killTimer = setTimeout(() => signalGroup('SIGKILL'), KILL_GRACE_MS);
    }, RUN_TIMEOUT_MS);

    child.once('error', (error) => {
      process.stderr.write(`could not start node: ${error.message}\n`);
    });
    child.once('close', (code, signal) => {
      clearTimeout(runTimer);
      clearTimeout(killTimer);
      process.off('SIGINT', forward);
      process.off('SIGTERM', forward);
      // Test files may have left grandchildren (a broker a test failed to stop) in the group.
      signalGroup('SIGKILL');
      resolve(code ?? (signal ? 1 : 0));
    });
  });
}

process.exitCode = await main();
