/**
 * current.json holds everything its revision file does: a missing revision file (deleted,
 * or left out by a save of the previous version, which wrote both files at once) is written
 * again at open. And the current document is kept as text until it is read.
 */
import assert from 'node:assert/strict';
import { readFile, readdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { FlowStore } from '../../../server/storage/flow-store.ts';
import { tempDataDir } from './storage-helpers.ts';

const doc = (name: string) => ({ format: 'topicflow/1', name, nodes: [{ id: 'n', type: 'debug', config: {} }], edges: [] });

async function open(dir: string): Promise<{ store: FlowStore; warnings: string[] }> {
  const warnings: string[] = [];
  return { store: await FlowStore.open(dir, { warn: (line) => warnings.push(line) }), warnings };
}

test('current.json whose revision file is missing: the file is written again from it', async (t) => {
  const dir = await tempDataDir(t);
  const { store } = await open(dir);
  const first = await store.save(doc('first'));
  const second = await store.save(doc('second'), { note: 'the one in flight' });
  const revisionFile = join(dir, 'flows', 'revisions', `00000002-${second}.json`);
  const written = await readFile(revisionFile, 'utf8');
  await unlink(revisionFile);

  const { store: reopened, warnings } = await open(dir);
  assert.equal(reopened.current()?.rev, second);
  assert.deepEqual(reopened.current()?.document, doc('second'));
  assert.deepEqual(
    reopened.revisions().map(({ rev, note }) => ({ rev, note })),
    [{ rev: second, note: 'the one in flight' }, { rev: first, note: undefined }],
  );
  assert.equal(await readFile(revisionFile, 'utf8'), written, 'the same bytes as the save wrote');
  assert.match(warnings.join('\n'), new RegExp(`revision ${second} had no file`));
  assert.doesNotMatch(warnings.join('\n'), /corrupt|damaged|RECOVERY/i);

  const third = await reopened.save(doc('third'));
  assert.deepEqual((await readdir(join(dir, 'flows', 'revisions'))).sort(), [`00000001-${first}.json`, `00000002-${second}.json`, `00000003-${third}.json`]);
  assert.deepEqual((await open(dir)).warnings, []);
});

test('the current document is parsed when read, frozen, and equal to what was saved', async (t) => {
  const { store } = await open(await tempDataDir(t));
  const input = doc('lazy');
  const rev = await store.save(input);
  input.name = 'changed by the caller afterwards';
  const current = store.current()!;
  assert.deepEqual(current.document, doc('lazy'));
  assert.ok(Object.isFrozen(current.document));
  assert.equal(store.current()!.document, current.document, 'parsed once');
  assert.equal(await store.get(rev), current.document);
});
