import assert from 'node:assert/strict';
import { copyFile, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { UserInputError } from '../../../nodes/errors.ts';
import { FlowStore, StaleRevisionError, revisionId } from '../../../server/storage/flow-store.ts';
import { makeCrashDocument } from './crash-documents.ts';
import { deadPid, tempDataDir } from './storage-helpers.ts';

const doc = (name: string, nodes = 1) => ({
  format: 'topicflow/1',
  name,
  nodes: Array.from({ length: nodes }, (_, i) => ({ id: `n${i}`, type: 'debug', config: {} })),
  edges: [],
});

async function openCollecting(dataDir: string, keep?: number): Promise<{ store: FlowStore; warnings: string[] }> {
  const warnings: string[] = [];
  const store = await FlowStore.open(dataDir, { ...(keep ? { keep } : {}), warn: (line) => warnings.push(line) });
  return { store, warnings };
}

describe('FlowStore', () => {
  test('a new store has no flow and no history', async (t) => {
    const { store, warnings } = await openCollecting(await tempDataDir(t));
    assert.equal(store.current(), undefined);
    assert.deepEqual(store.revisions(), []);
    assert.equal(await store.get('0123456789ab'), undefined);
    assert.deepEqual(warnings, []);
  });

  test('save makes the document current, lists it, and survives a reopen', async (t) => {
    const dir = await tempDataDir(t);
    const { store } = await openCollecting(dir);
    const first = await store.save(doc('one', 2), { note: 'first deploy' });
    const second = await store.save(doc('two', 3));
    assert.match(first, /^[0-9a-f]{12}$/);
    assert.notEqual(first, second);
    assert.deepEqual(store.current()?.document, doc('two', 3));
    assert.equal(store.current()?.rev, second);
    assert.deepEqual(
      store.revisions().map(({ rev, note, nodeCount }) => ({ rev, note, nodeCount })),
      [
        { rev: second, note: undefined, nodeCount: 3 },
        { rev: first, note: 'first deploy', nodeCount: 2 },
      ],
    );
    assert.deepEqual(await store.get(first), doc('one', 2));
    assert.ok(!Number.isNaN(Date.parse(store.current()!.savedAt)));

    // One file per save: the newest revision is the current flow.
    assert.deepEqual(await readdir(join(dir, 'flows')), ['revisions']);
    const revisionFile = JSON.parse(await readFile(join(dir, 'flows', 'revisions', `00000002-${second}.json`), 'utf8')) as Record<string, unknown>;
    assert.deepEqual(revisionFile['document'], doc('two', 3));
    assert.deepEqual((await readdir(join(dir, 'flows', 'revisions'))).sort(), [`00000001-${first}.json`, `00000002-${second}.json`]);

    const { store: again, warnings } = await openCollecting(dir);
    assert.deepEqual(again.current(), store.current());
    assert.deepEqual(again.revisions(), store.revisions());
    assert.deepEqual(warnings, []);
  });

  test('the same document saved twice gets two revs; the current document is frozen', async (t) => {
    const { store } = await openCollecting(await tempDataDir(t));
    const a = await store.save(doc('same'));
    const b = await store.save(doc('same'));
    assert.notEqual(a, b);
    assert.ok(Object.isFrozen(store.current()!.document));
    assert.throws(() => {
      (store.current()!.document as { name: string }).name = 'changed';
    }, TypeError);
  });

  test('keeps only the newest `keep` revisions on disk', async (t) => {
    const dir = await tempDataDir(t);
    const { store } = await openCollecting(dir, 3);
    const revs: string[] = [];
    for (let i = 1; i <= 5; i++) revs.push(await store.save(doc(`v${i}`)));
    assert.deepEqual(store.revisions().map((r) => r.rev), revs.slice(2).reverse());
    assert.equal((await readdir(join(dir, 'flows', 'revisions'))).length, 3);
    assert.equal(await store.get(revs[0]!), undefined);
    assert.deepEqual(await store.get(revs[2]!), doc('v3'));

    const { store: smaller } = await openCollecting(dir, 2);
    assert.deepEqual(smaller.revisions().map((r) => r.rev), revs.slice(3).reverse());
    assert.equal((await readdir(join(dir, 'flows', 'revisions'))).length, 2);
  });

  test('concurrent saves run one after another, in call order', async (t) => {
    const { store } = await openCollecting(await tempDataDir(t), 100);
    const documents = Array.from({ length: 20 }, (_, i) => makeCrashDocument(i + 1));
    const circular: Record<string, unknown> = {};
    circular['self'] = circular;
    const results = await Promise.allSettled([
      ...documents.slice(0, 10).map((d) => store.save(d)),
      store.save(circular),
      ...documents.slice(10).map((d) => store.save(d)),
    ]);
    assert.equal(results[10]?.status, 'rejected', 'the circular document is refused');
    const revs = results.filter((r) => r.status === 'fulfilled').map((r) => r.value);
    // Each rev hashes its parent's rev: interleaved saves would have shared a parent.
    let parent: string | undefined;
    documents.forEach((d, i) => {
      // A document refused before any write takes no revision number.
      const expected = revisionId(parent, i + 1, JSON.stringify(d));
      assert.equal(revs[i], expected, `save ${i + 1}`);
      parent = expected;
    });
    assert.equal(store.current()?.rev, revs.at(-1));
    assert.deepEqual(store.revisions().map((r) => r.rev), [...revs].reverse());
  });

  test('a save based on a stale rev is refused, even when two race', async (t) => {
    const { store } = await openCollecting(await tempDataDir(t));
    await assert.rejects(store.save(doc('x'), { baseRev: '0123456789ab' }), StaleRevisionError);
    const base = await store.save(doc('base'));
    const [first, second] = await Promise.allSettled([
      store.save(doc('alice'), { baseRev: base }),
      store.save(doc('bob'), { baseRev: base }),
    ]);
    assert.equal(first.status, 'fulfilled');
    assert.equal(second.status, 'rejected');
    const error = (second as PromiseRejectedResult).reason as unknown;
    assert.ok(error instanceof StaleRevisionError);
    assert.equal(error.currentRev, store.current()?.rev);
    assert.equal(error.problems[0]?.code, 'flow.stale-rev');
    assert.deepEqual(store.current()?.document, doc('alice'));
  });

  test('refuses a document that is not plain JSON, and a bad keep', async (t) => {
    const dir = await tempDataDir(t);
    const { store } = await openCollecting(dir);
    await assert.rejects(store.save({ big: 1n }), UserInputError);
    await assert.rejects(store.save(undefined), UserInputError);
    assert.equal(store.current(), undefined);
    await assert.rejects(FlowStore.open(dir, { keep: 0 }), UserInputError);
  });

  test('a corrupt current.json falls back to the newest revision that parses, loudly', async (t) => {
    const dir = await tempDataDir(t);
    const { store } = await openCollecting(dir);
    const revs = [await store.save(doc('a')), await store.save(doc('b')), await store.save(doc('c'))];
    const revisionsDir = join(dir, 'flows', 'revisions');
    await writeFile(join(dir, 'flows', 'current.json'), '{"rev":"torn", "docu');
    await writeFile(join(revisionsDir, `00000003-${revs[2]}.json`), '');

    const { store: recovered, warnings } = await openCollecting(dir);
    assert.equal(recovered.current()?.rev, revs[1]);
    assert.deepEqual(recovered.current()?.document, doc('b'));
    const loud = warnings.find((w) => w.startsWith('FLOW STORE RECOVERY'));
    assert.ok(loud, warnings.join('\n'));
    assert.ok(loud.includes(join(dir, 'flows', 'current.json')), loud);
    assert.ok(loud.includes(revs[1]!), loud);
    assert.ok(warnings.some((w) => w.includes('skipping damaged revision') && w.includes(revs[2]!)), warnings.join('\n'));

    const flowsFiles = await readdir(join(dir, 'flows'));
    assert.ok(flowsFiles.some((f) => /^current\.json\.corrupt-/.test(f)), flowsFiles.join());
    assert.ok((await readdir(revisionsDir)).some((f) => f.startsWith(`00000003-${revs[2]}.json.corrupt-`)));
    assert.deepEqual(recovered.revisions().map((r) => r.rev), [revs[1], revs[0]]);

    // The bad files are out of the way: the next start is quiet, and saves go on from there.
    const { store: next, warnings: quiet } = await openCollecting(dir);
    assert.deepEqual(quiet, []);
    const rev = await next.save(doc('d'));
    assert.deepEqual(next.revisions().map((r) => r.rev), [rev, revs[1], revs[0]]);
  });

  test('a missing current.json with revisions left recovers the newest one', async (t) => {
    const dir = await tempDataDir(t);
    const { store } = await openCollecting(dir);
    const rev = await store.save(doc('only'));
    await writeFile(join(dir, 'flows', 'current.json'), '[]'); // parses, but is not a saved flow
    const { store: recovered, warnings } = await openCollecting(dir);
    assert.equal(recovered.current()?.rev, rev);
    assert.match(warnings.join('\n'), /FLOW STORE RECOVERY: .*not a saved flow.*running revision/);
  });

  test('a corrupt current.json and no usable revision start empty with a warning', async (t) => {
    const dir = await tempDataDir(t);
    const { store } = await openCollecting(dir);
    await store.save(doc('x'));
    await writeFile(join(dir, 'flows', 'current.json'), 'garbage');
    for (const name of await readdir(join(dir, 'flows', 'revisions'))) await writeFile(join(dir, 'flows', 'revisions', name), '{');
    const { store: empty, warnings } = await openCollecting(dir);
    assert.equal(empty.current(), undefined);
    assert.match(warnings.join('\n'), /starting with NO flow/);
  });

  test('a revision saved but never made current is discarded at open', async (t) => {
    const dir = await tempDataDir(t);
    const { store } = await openCollecting(dir);
    const kept = await store.save(doc('kept'));
    const lost = await store.save(doc('lost'));
    // As if an earlier version died between the revision file and its current.json, which
    // was the same object as the revision file.
    await copyFile(join(dir, 'flows', 'revisions', `00000001-${kept}.json`), join(dir, 'flows', 'current.json'));
    const { store: reopened, warnings } = await openCollecting(dir);
    assert.equal(reopened.current()?.rev, kept);
    assert.deepEqual(reopened.revisions().map((r) => r.rev), [kept]);
    assert.match(warnings.join('\n'), new RegExp(`discarding revision ${lost}`));
    const next = await reopened.save(doc('next'));
    assert.deepEqual((await readdir(join(dir, 'flows', 'revisions'))).sort(), [`00000001-${kept}.json`, `00000002-${next}.json`]);
    assert.deepEqual(await readdir(join(dir, 'flows')), ['revisions'], 'the save removed current.json');
    assert.equal((await openCollecting(dir)).store.current()?.rev, next);
  });

  test('temp files are never taken for revisions; a dead writer\'s are removed', async (t) => {
    const dir = await tempDataDir(t);
    const { store } = await openCollecting(dir);
    const rev = await store.save(doc('real'));
    const revisionsDir = join(dir, 'flows', 'revisions');
    const dead = await deadPid();
    const stale = `.00000002-0123456789ab.json.${dead}-deadbeef.tmp`;
    const live = `.00000002-0123456789ab.json.${process.pid}-cafef00d.tmp`;
    await writeFile(join(revisionsDir, stale), '{"rev":"0123456789ab","seq":2,"savedAt":"x","document":{}}');
    await writeFile(join(revisionsDir, live), '{"rev":"0123');
    await writeFile(join(dir, 'flows', `.current.json.${dead}-00000000.tmp`), '{"rev":"0123456789ab"');
    const { store: reopened, warnings } = await openCollecting(dir);
    assert.deepEqual(warnings, []);
    assert.deepEqual(reopened.revisions().map((r) => r.rev), [rev]);
    assert.equal(reopened.current()?.rev, rev);
    assert.deepEqual((await readdir(revisionsDir)).sort(), [live, `00000001-${rev}.json`].sort());
    assert.deepEqual(await readdir(join(dir, 'flows')), ['revisions']);
  });
});
