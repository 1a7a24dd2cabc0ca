/**
 * The newest revision is the current flow; a current.json left by an earlier version (a
 * whole copy of the revision, or a pointer to its file) still names it until the next save
 * removes the file. What cannot be read gives way to the newest revision that can, loudly.
 * And the current document is kept as the text it was saved from until it is read.
 */
import assert from 'node:assert/strict';
import { copyFile, readFile, readdir, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { FlowStore, revisionId } from '../../../server/storage/flow-store.ts';
import { tempDataDir } from './storage-helpers.ts';

const doc = (name: string) => ({ format: 'topicflow/1', name, nodes: [{ id: 'n', type: 'debug', config: {} }], edges: [] });

async function open(dir: string): Promise<{ store: FlowStore; warnings: string[] }> {
  const warnings: string[] = [];
  return { store: await FlowStore.open(dir, { warn: (line) => warnings.push(line) }), warnings };
}

const revisionFile = (seq: number, rev: string) => `${String(seq).padStart(8, '0')}-${rev}.json`;
const paths = (dir: string, seq: number, rev: string) => ({
  current: join(dir, 'flows', 'current.json'),
  revision: join(dir, 'flows', 'revisions', revisionFile(seq, rev)),
});

/** current.json as the first versions wrote it: the same object as the revision file. */
async function writeCopyCurrent(dir: string, seq: number, rev: string): Promise<void> {
  const { current, revision } = paths(dir, seq, rev);
  await copyFile(revision, current);
}

/** current.json as the versions just before this one wrote it: a pointer to the revision file. */
async function writePointerCurrent(dir: string, seq: number, rev: string, file = revisionFile(seq, rev)): Promise<void> {
  await writeFile(paths(dir, seq, rev).current, JSON.stringify({ rev, seq, savedAt: '2026-12-06T08:00:00.000Z', file }));
}

for (const [format, write] of [
  ['a whole copy', writeCopyCurrent],
  ['a pointer', writePointerCurrent],
] as const) {
  test(`an earlier version's current.json (${format}) names the current flow until the next save removes it`, async (t) => {
    const dir = await tempDataDir(t);
    const { store } = await open(dir);
    const first = await store.save(doc('first'));
    const unfinished = await store.save(doc('cut off before its current.json'));
    await write(dir, 1, first);

    const { store: reopened, warnings } = await open(dir);
    assert.equal(reopened.current()?.rev, first);
    assert.deepEqual(reopened.current()?.document, doc('first'));
    assert.deepEqual(reopened.revisions().map((r) => r.rev), [first]);
    assert.deepEqual(warnings, [`flow store: discarding revision ${unfinished}, a save interrupted before it became current`]);

    const third = await reopened.save(doc('third'));
    assert.deepEqual(await readdir(join(dir, 'flows')), ['revisions']);
    const { store: last, warnings: quiet } = await open(dir);
    assert.deepEqual(quiet, []);
    assert.equal(last.current()?.rev, third);
    assert.deepEqual(last.revisions().map((r) => r.rev), [third, first]);
  });
}

test('an old-style current.json whose revision file is missing: the file is written again from it', async (t) => {
  const dir = await tempDataDir(t);
  const { store } = await open(dir);
  const first = await store.save(doc('first'));
  const second = await store.save(doc('second'), { note: 'the one in flight' });
  await writeCopyCurrent(dir, 2, second);
  const { revision } = paths(dir, 2, second);
  const written = await readFile(revision, 'utf8');
  await unlink(revision);

  const { store: reopened, warnings } = await open(dir);
  assert.equal(reopened.current()?.rev, second);
  assert.deepEqual(reopened.current()?.document, doc('second'));
  assert.deepEqual(
    reopened.revisions().map(({ rev, note }) => ({ rev, note })),
    [{ rev: second, note: 'the one in flight' }, { rev: first, note: undefined }],
  );
  assert.equal(await readFile(revision, 'utf8'), written, 'the same bytes as the save wrote');
  assert.match(warnings.join('\n'), new RegExp(`revision ${second} had no file`));
  assert.doesNotMatch(warnings.join('\n'), /corrupt|damaged|RECOVERY/i);

  const third = await reopened.save(doc('third'));
  assert.deepEqual((await readdir(join(dir, 'flows', 'revisions'))).sort(), [revisionFile(1, first), revisionFile(2, second), revisionFile(3, third)]);
  assert.deepEqual((await open(dir)).warnings, []);
});

for (const [damage, harm] of [
  ['missing', (path: string) => unlink(path)],
  ['torn', (path: string) => writeFile(path, '{"rev":"')],
] as const) {
  test(`a pointer naming a revision file that is ${damage}: the newest readable revision runs, loudly`, async (t) => {
    const dir = await tempDataDir(t);
    const { store } = await open(dir);
    const first = await store.save(doc('first'));
    const second = await store.save(doc('second'));
    await writePointerCurrent(dir, 2, second);
    await harm(paths(dir, 2, second).revision);

    const { store: recovered, warnings } = await open(dir);
    assert.equal(recovered.current()?.rev, first);
    assert.deepEqual(recovered.current()?.document, doc('first'));
    assert.deepEqual(recovered.revisions().map((r) => r.rev), [first]);
    const loud = warnings.find((w) => w.startsWith('FLOW STORE RECOVERY'));
    assert.ok(loud?.includes(`${revisionFile(2, second)}, is missing or damaged`) && loud.includes(`running revision ${first}`), warnings.join('\n'));
    assert.ok((await readdir(join(dir, 'flows'))).some((f) => f.startsWith('current.json.corrupt-')), 'the pointer is kept aside');

    const { store: next, warnings: quiet } = await open(dir);
    assert.deepEqual(quiet, []);
    assert.equal(next.current()?.rev, first);
    const third = await next.save(doc('third'));
    assert.deepEqual(next.revisions().map((r) => r.rev), [third, first]);
  });
}

test('a damaged newest revision file: the one before it runs, loudly', async (t) => {
  const dir = await tempDataDir(t);
  const { store } = await open(dir);
  const first = await store.save(doc('first'));
  const second = await store.save(doc('second'));
  await writeFile(paths(dir, 2, second).revision, '');

  const { store: recovered, warnings } = await open(dir);
  assert.equal(recovered.current()?.rev, first);
  assert.ok(warnings.some((w) => w.startsWith('FLOW STORE RECOVERY: the newest revision file, number 2,') && w.includes(`running revision ${first}`)), warnings.join('\n'));
  assert.ok(warnings.some((w) => w.includes(`skipping damaged revision file`) && w.includes(second)), warnings.join('\n'));
});

test('a pointer whose file name does not match its rev and seq is not taken for one', async (t) => {
  const dir = await tempDataDir(t);
  const { store } = await open(dir);
  const first = await store.save(doc('first'));
  const second = await store.save(doc('second'));
  await writePointerCurrent(dir, 2, second, revisionFile(1, first));

  const { store: recovered, warnings } = await open(dir);
  assert.equal(recovered.current()?.rev, second, 'the newest readable revision');
  assert.match(warnings.join('\n'), /FLOW STORE RECOVERY: .*not a saved flow/);
});

test('a document saved with the text it came in is stored as that text, byte order mark dropped', async (t) => {
  const dir = await tempDataDir(t);
  const { store } = await open(dir);
  const first = await store.save(doc('first'));
  const text = `${JSON.stringify(doc('späť'), null, 2)}\n`;
  const rev = await store.save(doc('späť'), { text: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]) });
  assert.equal(rev, revisionId(first, 2, text), 'the rev hashes the stored text');
  assert.deepEqual(store.current()?.document, doc('späť'));
  const stored = await readFile(paths(dir, 2, rev).revision, 'utf8');
  assert.ok(stored.endsWith(`"document":${text}}`), stored);

  const { store: reopened, warnings } = await open(dir);
  assert.deepEqual(warnings, []);
  assert.deepEqual(reopened.current()?.document, doc('späť'));
  assert.deepEqual(await reopened.get(first), doc('first'));
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
