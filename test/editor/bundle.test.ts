/**
 * The editor bundle: English is the only language of zod's messages in it (build.ts leaves the
 * other locales out), and it stays within the size budget of issue 6 (400 KB gzip).
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { buildEditor } from '../../editor/build.ts';

const BUDGET_GZIP_KB = 400;

describe('editor bundle', () => {
  let dir: string;
  let js: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'topicflow-bundle-'));
    await buildEditor({ outdir: dir });
    js = await readFile(join(dir, 'app.js'), 'utf8');
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("carries zod's English messages and no other language's", () => {
    assert.ok(js.includes('Invalid input'), 'the English messages are in');
    // ASCII words of the German, Spanish, French and Polish messages (esbuild escapes the rest).
    for (const other of ['erwartet', 'se esperaba', 'attendu', 'Nieprawid']) assert.ok(!js.includes(other), `no "${other}"`);
  });

  it(`stays within ${BUDGET_GZIP_KB} KB gzip`, () => {
    const kb = gzipSync(js).length / 1024;
    assert.ok(kb <= BUDGET_GZIP_KB, `app.js is ${kb.toFixed(1)} KB gzip`);
  });
});
