import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { HIDE_ENV, INSTALL_LINE, SKIP_LOG_ENV, hasChromium, hasMosquitto, requireOrSkip, suiteNeeds } from './requirements.ts';

describe('test requirements', () => {
  const saved: Record<string, string | undefined> = {};
  let dir = '';
  let log = '';

  beforeEach(async () => {
    for (const key of ['CI', HIDE_ENV, SKIP_LOG_ENV]) saved[key] = process.env[key];
    dir = await mkdtemp(join(tmpdir(), 'topicflow-req-'));
    log = join(dir, 'skipped.jsonl');
    // Our own log file, so these pretend skips never reach the real runner's summary.
    process.env[SKIP_LOG_ENV] = log;
    process.env[HIDE_ENV] = 'mosquitto,chromium';
    process.env['CI'] = 'false';
  });
  afterEach(async () => {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    await rm(dir, { recursive: true, force: true });
  });

  test('TOPICFLOW_TEST_HIDE makes an installed program count as missing', () => {
    assert.equal(hasMosquitto(), false);
    assert.equal(hasChromium(), false);
  });

  test('outside CI, a suite needing a missing program is skipped and logged', async () => {
    const options = suiteNeeds('mosquitto', 'interop suite');
    assert.equal(options.skip, `mosquitto is not installed; install it with: ${INSTALL_LINE}`);
    const lines = (await readFile(log, 'utf8')).trim().split('\n');
    assert.deepEqual(lines.map((l) => JSON.parse(l)), [{ suite: 'interop suite', requirement: 'mosquitto' }]);
  });

  test('under CI, a suite needing a missing program throws instead of skipping', async () => {
    for (const ci of ['true', '1']) {
      process.env['CI'] = ci;
      assert.throws(() => suiteNeeds('chromium', 'editor e2e'), /CI=true and chromium is not installed.*"editor e2e"/);
    }
    assert.equal(existsSync(log), false, 'a CI failure must not be recorded as a skip');
  });

  test('requireOrSkip skips one test outside CI and fails it under CI', async () => {
    const skipped: (string | undefined)[] = [];
    const t = { skip: (message?: string) => void skipped.push(message) };
    assert.equal(requireOrSkip(t, 'chromium', 'one test'), false);
    assert.deepEqual(skipped, [`chromium is not installed; install it with: ${INSTALL_LINE}`]);
    assert.match(await readFile(log, 'utf8'), /"suite":"one test","requirement":"chromium"/);

    process.env['CI'] = 'true';
    assert.throws(() => requireOrSkip(t, 'mosquitto', 'one test'), /refusing to skip/);
    assert.equal(skipped.length, 1);
  });

  test('with nothing hidden, the answer follows what is installed', () => {
    delete process.env[HIDE_ENV];
    // Whatever this machine has, the two entry points must agree with hasMosquitto().
    const present = hasMosquitto();
    assert.equal(suiteNeeds('mosquitto', 'present').skip === undefined, present);
    assert.equal(requireOrSkip({ skip: () => undefined }, 'mosquitto', 'present'), present);
  });
});
