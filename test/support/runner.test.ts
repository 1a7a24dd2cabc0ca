import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import { HIDE_ENV, INSTALL_LINE, SKIP_LOG_ENV } from './requirements.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

interface RunResult {
  code: number;
  out: string;
}

/** Runs `node --import tsx test/run.ts …` as npm test would, bounded to 90 s. */
function runRunner(args: string[], env: Record<string, string>): Promise<RunResult> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
  // The outer run's skip log belongs to the outer run; the inner runner makes its own.
  delete childEnv[SKIP_LOG_ENV];
  // Set by node --test in every test process; a nested `node --test` seeing it runs nothing.
  delete childEnv['NODE_TEST_CONTEXT'];
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'test/run.ts', ...args],
      { cwd: ROOT, env: childEnv, timeout: 90_000, maxBuffer: 8 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, out: stdout + stderr });
      },
    );
  });
}

describe('npm test runner (test/run.ts)', () => {
  test('runs the matching files, keeps node\'s counts, and names skipped suites with the install line', async () => {
    const { code, out } = await runRunner(['support/brokers.test'], { CI: 'false', [HIDE_ENV]: 'mosquitto' });
    assert.equal(code, 0, out);
    for (const line of [/^ℹ tests \d+$/m, /^ℹ pass \d+$/m, /^ℹ fail 0$/m]) assert.match(out, line);
    assert.match(out, /Skipped 2 suite\(s\) because a program is not installed:/);
    assert.match(out, /- test broker harness \[mosquitto\] \(needs mosquitto\)/);
    assert.match(out, /- mosquitto harness \(needs mosquitto\)/);
    assert.ok(out.trimEnd().endsWith(`Install what they need with: ${INSTALL_LINE}`), out.slice(-400));
    assert.doesNotMatch(out, /embedded broker/, 'the filter must leave other files out');
  });

  test('under CI, a missing program stops the run before any test', async () => {
    const { code, out } = await runRunner(['support/brokers.test'], { CI: 'true', [HIDE_ENV]: 'chromium' });
    assert.equal(code, 1);
    assert.match(out, /CI=true, and tests may not be skipped, but chromium is missing/);
    assert.ok(out.includes(INSTALL_LINE), out);
    assert.doesNotMatch(out, /ℹ tests/);
  });

  test('a filter matching no file is an error, not an empty green run', async () => {
    const { code, out } = await runRunner(['no-such-test-file-xyz'], { CI: 'false' });
    assert.equal(code, 1);
    assert.match(out, /No test files under test\/ match "no-such-test-file-xyz"/);
  });

  test('the exit code is the test run\'s: a failing test fails npm test', async () => {
    // A timeout of 1 ms, which no real file meets, gives a failure without a deliberately
    // failing file in the tree (and shows that extra node arguments pass through).
    const { code, out } = await runRunner(['server/mqtt/embedded-broker.test', '--test-timeout=1'], { CI: 'false' });
    assert.notEqual(code, 0, out);
    assert.match(out, /^ℹ (fail|cancelled) [1-9]\d*$/m);
  });
});
