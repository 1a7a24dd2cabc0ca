/**
 * current.json in both its formats: this version's pointer to the revision file, and the
 * whole copy of the revision that earlier versions wrote (still read, and replaced by a
 * pointer at the next save). A pointer whose revision cannot be read falls back to the
 * newest revision that can, loudly. And the current document is kept as text until read.
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

const paths = (dir: string, seq: number, rev: string) => ({
  current: join(dir, 'flows', 'current.json'),
  revision: join(dir, 'flows', 'revisions', `${String(seq).padStart(8, '0')}-${rev}.json`),
});

/**
 * Rewrites current.json as an earlier version left it: the same object as the revision file
 * (`{ rev, seq, parent, savedAt, note?, nodeCount, document }`), which it wrote to both.
 */
async function writeOldStyleCurrent(dir: string, seq: number, rev: string): Promise<void> {
  const { current, revision } = paths(dir, seq, rev);
  await copyFile(revision, current);
}

test('an old-style current.json (a whole copy) is read, and the next save replaces it with a pointer', async (t) => {
  const dir = await tempDataDir(t);
  const { store } = await open(dir);
  const first = await store.save(doc('first'));
  const second = await store.save(doc('second'));
  await writeOldStyleCurrent(dir, 2, second);

  const { store: reopened, warnings } = await open(dir);
  assert.deepEqual(warnings, []);
  assert.equal(reopened.current()?.rev, second);
  assert.deepEqual(reopened.current()?.document, doc('second'));
  assert.deepEqual(reopened.revisions().map((r) => r.rev), [second, first]);

  const third = await reopened.save(doc('third'));
  const pointer = JSON.parse(await readFile(paths(dir, 3, third).current, 'utf8')) as Record<string, unknown>;
  assert.equal(pointer['file'], `00000003-${third}.json`);
  assert.ok(!('document' in pointer));
  const { store: last, warnings: quiet } = await open(dir);
  assert.deepEqual(quiet, []);
  assert.deepEqual(last.current()?.document, doc('third'));
});

test('an old-style current.json whose revision file is missing: the file is written again from it', async (t) => {
  const dir = await tempDataDir(t);
  const { store } = await open(dir);
  const first = await store.save(doc('first'));
  const second = await store.save(doc('second'), { note: 'the one in flight' });
  await writeOldStyleCurrent(dir, 2, second);
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
  assert.deepEqual((await readdir(join(dir, 'flows', 'revisions'))).sort(), [`00000001-${first}.json`, `00000002-${second}.json`, `00000003-${third}.json`]);
  assert.deepEqual((await open(dir)).warnings, []);
});

for (const [damage, harm] of [
  ['missing', (path: string) => unlink(path)],
  ['torn', (path: string) => writeFile(path, '{"rev":"')],
] as const) {
  test(`current.json naming a revision file that is ${damage}: the newest readable revision runs, loudly`, async (t) => {
    const dir = await tempDataDir(t);
    const { store } = await open(dir);
    const first = await store.save(doc('first'));
    const second = await store.save(doc('second'));
    await harm(paths(dir, 2, second).revision);

    const { store: recovered, warnings } = await open(dir);
    assert.equal(recovered.current()?.rev, first);
    assert.deepEqual(recovered.current()?.document, doc('first'));
    assert.deepEqual(recovered.revisions().map((r) => r.rev), [first]);
    const loud = warnings.find((w) => w.startsWith('FLOW STORE RECOVERY'));
    assert.ok(loud?.includes(`00000002-${second}.json, is missing or damaged`) && loud.includes(`running revision ${first}`), warnings.join('\n'));
    assert.ok((await readdir(join(dir, 'flows'))).some((f) => f.startsWith('current.json.corrupt-')), 'the old pointer is kept aside');

    // current.json now names the recovered revision: the next start is quiet, and saves go on.
    const { store: next, warnings: quiet } = await open(dir);
    assert.deepEqual(quiet, []);
    assert.equal(next.current()?.rev, first);
    const third = await next.save(doc('third'));
    assert.deepEqual(next.revisions().map((r) => r.rev), [third, first]);
  });
}

test('a pointer whose file name does not match its rev and seq is not taken for one', async (t) => {
  const dir = await tempDataDir(t);
  const { store } = await open(dir);
  const first = await store.save(doc('first'));
  const second = await store.save(doc('second'));
  const { current } = paths(dir, 2, second);
  const pointer = JSON.parse(await readFile(current, 'utf8')) as Record<string, unknown>;
  await writeFile(current, JSON.stringify({ ...pointer, file: `00000001-${first}.json` }));

  const { store: recovered, warnings } = await open(dir);
  assert.equal(recovered.current()?.rev, second, 'the newest readable revision');
  assert.match(warnings.join('\n'), /FLOW STORE RECOVERY: .*not a saved flow/);
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
