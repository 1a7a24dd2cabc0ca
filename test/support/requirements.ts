/**
 * External programs some suites need (Debian's mosquitto, chromium), and the one rule for
 * when they are missing: under CI (`CI=true`) the suite fails loudly; elsewhere it is skipped
 * and recorded so `npm test` can end by naming it and the install line that enables it.
 *
 * A whole describe() block — the usual case — passes {@link suiteNeeds} as its options:
 *
 *     describe('mosquitto interop', suiteNeeds('mosquitto', 'mosquitto interop'), () => { … });
 *
 * node:test in Node 20 gives suite functions no `skip()` of their own, and a describe() body
 * that returns early still reports as passed, so the decision has to be made in the options.
 * Under CI, `suiteNeeds` throws while the test file loads, which the runner reports as a
 * failed file with our message. A single test uses {@link requireOrSkip} on its context.
 */
import { accessSync, appendFileSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** An external program a suite may need. */
export type Requirement = 'mosquitto' | 'chromium';

/** The single command that installs every optional test dependency on Debian/Ubuntu. */
export const INSTALL_LINE = 'apt-get install -y mosquitto mosquitto-clients chromium';

/** The file (one JSON object per line) the test runner reads skipped suites from. */
export const SKIP_LOG_ENV = 'TOPICFLOW_SKIP_LOG';

/** One line of the skip log. */
export interface SkipRecord {
  suite: string;
  requirement: Requirement;
}

/** True when tests run under CI, where nothing may be skipped for a missing program. */
export function isCi(): boolean {
  return process.env['CI'] === 'true' || process.env['CI'] === '1';
}

/** Path of the mosquitto broker binary, or undefined when it is not installed. */
export function mosquittoPath(): string | undefined {
  // Debian puts the broker in /usr/sbin, which is often missing from a normal user's PATH.
  return findExecutable('mosquitto', ['/usr/sbin/mosquitto']);
}

/** Path of the chromium binary, or undefined when it is not installed. */
export function chromiumPath(): string | undefined {
  return findExecutable('chromium', ['/usr/bin/chromium']);
}

/**
 * Comma-separated requirements to treat as missing (`mosquitto,chromium`), so the skip and
 * CI paths — and the runner's summary — can be tested on a machine that has everything.
 */
export const HIDE_ENV = 'TOPICFLOW_TEST_HIDE';

function hidden(what: Requirement): boolean {
  return (process.env[HIDE_ENV] ?? '').split(',').map((s) => s.trim()).includes(what);
}

/** Whether a mosquitto broker binary is installed (and not hidden by TOPICFLOW_TEST_HIDE). */
export function hasMosquitto(): boolean {
  return !hidden('mosquitto') && mosquittoPath() !== undefined;
}

/** Whether Debian's chromium is installed (and not hidden by TOPICFLOW_TEST_HIDE). */
export function hasChromium(): boolean {
  return !hidden('chromium') && chromiumPath() !== undefined;
}

/** Whether `what` is installed on this machine. */
export function has(what: Requirement): boolean {
  return what === 'mosquitto' ? hasMosquitto() : hasChromium();
}

/** The message shown when `what` is missing: what to install. */
export function missingMessage(what: Requirement): string {
  return `${what} is not installed; install it with: ${INSTALL_LINE}`;
}

/**
 * Options for describe()/test() of a block that needs `what`.
 *
 * Installed → `{}`. Missing under CI → throws (the file fails, naming the install line).
 * Missing otherwise → `{ skip: reason }`, and the suite is appended to the skip log.
 */
export function suiteNeeds(what: Requirement, suiteName: string): { skip?: string } {
  if (has(what)) return {};
  failUnderCi(what, suiteName);
  recordSkip({ suite: suiteName, requirement: what });
  return { skip: missingMessage(what) };
}

/** The part of a test context this module uses, so any context-like object fits. */
export interface Skippable {
  skip(message?: string): void;
}

/**
 * For use inside one test: returns true when `what` is installed. When it is missing, throws
 * under CI (failing the test) and otherwise calls `t.skip()`, records the skip, and returns
 * false — the caller then returns at once: `if (!requireOrSkip(t, 'mosquitto', 'x')) return;`
 */
export function requireOrSkip(t: Skippable, what: Requirement, suiteName: string): boolean {
  if (has(what)) return true;
  failUnderCi(what, suiteName);
  recordSkip({ suite: suiteName, requirement: what });
  t.skip(missingMessage(what));
  return false;
}

function failUnderCi(what: Requirement, suiteName: string): void {
  if (isCi()) {
    throw new Error(`CI=true and ${missingMessage(what)} (needed by "${suiteName}"); refusing to skip`);
  }
}

/** Appends to the runner's skip log; without the env variable (a file run by hand) it does nothing. */
function recordSkip(record: SkipRecord): void {
  const file = process.env[SKIP_LOG_ENV];
  if (!file) return;
  // One short write with O_APPEND per line, so concurrent test files do not interleave.
  appendFileSync(file, JSON.stringify(record) + '\n');
}

/** First executable among the fixed candidates, then the PATH directories. */
function findExecutable(name: string, candidates: string[]): string | undefined {
  const onPath = (process.env['PATH'] ?? '').split(delimiter).filter(Boolean).map((dir) => join(dir, name));
  for (const file of [...candidates, ...onPath]) {
    try {
      accessSync(file, constants.X_OK);
      return file;
    } catch {
      // Not here (or not executable): keep looking in the next place.
    }
  }
  return undefined;
}
