import assert from 'node:assert/strict';
import { mkdir, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { OperationalError } from '../../../nodes/errors.ts';
import {
  createFileAtomic,
  readJsonFile,
  removeFileSync,
  removeStaleTempFiles,
  tempFileWriter,
  writeFileAtomic,
} from '../../../server/storage/atomic-file.ts';
import { deadPid, tempDataDir } from './storage-helpers.ts';

describe('writeFileAtomic', () => {
  test('creates, then replaces the content, leaving no temp file', async (t) => {
    const dir = await tempDataDir(t);
    const file = join(dir, 'flow.json');
    await writeFileAtomic(file, '{"a":1}');
    assert.equal(await readFile(file, 'utf8'), '{"a":1}');
    await writeFileAtomic(file, new Uint8Array([0x7b, 0x7d]));
    assert.equal(await readFile(file, 'utf8'), '{}');
    assert.deepEqual(await readdir(dir), ['flow.json']);
  });

  test('gives a new file the requested mode', async (t) => {
    const dir = await tempDataDir(t);
    const file = join(dir, 'secret');
    await writeFileAtomic(file, 'x', { mode: 0o600 });
    assert.equal((await stat(file)).mode & 0o777, 0o600);
  });

  test('a failed write is an OperationalError naming the file, and leaves nothing behind', async (t) => {
    const dir = await tempDataDir(t);
    const file = join(dir, 'no-such-folder', 'flow.json');
    await assert.rejects(writeFileAtomic(file, 'x'), (error: unknown) => {
      assert.ok(error instanceof OperationalError);
      assert.match(error.message, /cannot write .*no-such-folder.*flow\.json/);
      return true;
    });
    assert.deepEqual(await readdir(dir), []);
  });
});

describe('createFileAtomic', () => {
  test('creates a file once and refuses to replace it', async (t) => {
    const dir = await tempDataDir(t);
    const file = join(dir, 'key');
    await createFileAtomic(file, 'first', { mode: 0o600 });
    await assert.rejects(createFileAtomic(file, 'second'), { code: 'EEXIST' });
    assert.equal(await readFile(file, 'utf8'), 'first');
    assert.equal((await stat(file)).mode & 0o777, 0o600);
    assert.deepEqual(await readdir(dir), ['key']);
  });
});

describe('readJsonFile', () => {
  test('tells parsed, missing and corrupt apart', async (t) => {
    const dir = await tempDataDir(t);
    await writeFile(join(dir, 'good.json'), '{"rev":"abc"}');
    await writeFile(join(dir, 'empty.json'), '');
    await writeFile(join(dir, 'torn.json'), '{"rev":"ab');
    assert.deepEqual(await readJsonFile(join(dir, 'good.json')), { ok: true, value: { rev: 'abc' } });
    const missing = await readJsonFile(join(dir, 'none.json'));
    assert.equal(missing.ok, false);
    assert.equal(!missing.ok && missing.reason, 'missing');
    for (const name of ['empty.json', 'torn.json']) {
      const result = await readJsonFile(join(dir, name));
      assert.equal(!result.ok && result.reason, 'corrupt', name);
      assert.ok(!result.ok && result.error instanceof Error);
    }
  });

  test('a path that cannot be read as a file is an OperationalError', async (t) => {
    const dir = await tempDataDir(t);
    await mkdir(join(dir, 'folder.json'));
    await assert.rejects(readJsonFile(join(dir, 'folder.json')), OperationalError);
  });
});

describe('removeStaleTempFiles', () => {
  test('removes temp files of dead writers only', async (t) => {
    const dir = await tempDataDir(t);
    const dead = await deadPid();
    const stale = `.current.json.${dead}-0badf00d.tmp`;
    const mine = `.current.json.${process.pid}-00c0ffee.tmp`;
    for (const name of [stale, mine, 'current.json', '.hidden']) await writeFile(join(dir, name), 'x');
    assert.equal(tempFileWriter(stale), dead);
    assert.equal(tempFileWriter('current.json'), undefined);
    assert.deepEqual(await removeStaleTempFiles(dir), [stale]);
    assert.deepEqual((await readdir(dir)).sort(), ['.current.json.' + process.pid + '-00c0ffee.tmp', '.hidden', 'current.json'].sort());
    assert.deepEqual(await removeStaleTempFiles(join(dir, 'absent')), []);
  });
});

describe('removeFileSync', () => {
  test('deletes a file; one already gone is no error; a folder is an OperationalError naming it', async (t) => {
    const dir = await tempDataDir(t);
    const file = join(dir, 'current.json');
    await writeFile(file, '{}');
    removeFileSync(file);
    assert.deepEqual(await readdir(dir), []);
    removeFileSync(file);
    const folder = join(dir, 'a-folder');
    await mkdir(folder);
    assert.throws(() => removeFileSync(folder), (error: unknown) => error instanceof OperationalError && error.message.includes(folder));
    assert.deepEqual(await readdir(dir), ['a-folder']);
  });
});
