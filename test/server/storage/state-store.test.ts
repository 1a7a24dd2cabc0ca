import assert from 'node:assert/strict';
import { readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { StateStore } from '../../../server/storage/state-store.ts';
import { tempDataDir } from './storage-helpers.ts';

async function openCollecting(dataDir: string): Promise<{ store: StateStore; warnings: string[] }> {
  const warnings: string[] = [];
  return { store: await StateStore.open(dataDir, { warn: (line) => warnings.push(line) }), warnings };
}

const states = {
  th1: { hash: 'a1b2', state: { 'home/kitchen/temperature': 'ON', 'home/office/temperature': 'OFF' } },
  inject1: { hash: 'c3d4', state: 17 },
};

describe('StateStore', () => {
  test('a first start has no state and says nothing', async (t) => {
    const { store, warnings } = await openCollecting(await tempDataDir(t));
    assert.deepEqual(store.load(), {});
    assert.deepEqual(warnings, []);
  });

  test('round-trips node states through the file', async (t) => {
    const dir = await tempDataDir(t);
    const { store } = await openCollecting(dir);
    await store.save(states);
    assert.deepEqual(store.load(), states);
    const onDisk = JSON.parse(await readFile(join(dir, 'node-state.json'), 'utf8')) as Record<string, unknown>;
    assert.equal(onDisk['v'], 1);
    assert.deepEqual(onDisk['nodes'], states);
    const { store: reopened, warnings } = await openCollecting(dir);
    assert.deepEqual(reopened.load(), states);
    assert.deepEqual(warnings, []);
    // load() hands out copies: changing one leaves the store as it was.
    (reopened.load()['th1'] as { hash: string }).hash = 'changed';
    assert.equal(reopened.load()['th1']?.hash, 'a1b2');
  });

  test('an unchanged save does not rewrite the file', async (t) => {
    const dir = await tempDataDir(t);
    const { store } = await openCollecting(dir);
    await store.save(states);
    const file = join(dir, 'node-state.json');
    const inode = (await stat(file)).ino;
    await store.save({ ...states });
    assert.equal((await stat(file)).ino, inode, 'same file, not replaced');
    await store.save({ th1: states.th1 });
    assert.notEqual((await stat(file)).ino, inode);
    assert.deepEqual(store.load(), { th1: states.th1 });
  });

  test('a state that is not plain JSON is left out with a warning; the others are kept', async (t) => {
    const dir = await tempDataDir(t);
    const { store, warnings } = await openCollecting(dir);
    await store.save({ ...states, odd: { hash: 'e5', state: { count: 1n } }, empty: { hash: 'f6', state: undefined } });
    assert.deepEqual(store.load(), states);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /node odd: state not saved/);
  });

  test('a node id of "__proto__" is kept as a plain key', async (t) => {
    const dir = await tempDataDir(t);
    const { store } = await openCollecting(dir);
    await store.save(JSON.parse('{"__proto__":{"hash":"h","state":1}}') as Record<string, { hash: string; state: unknown }>);
    const loaded = (await openCollecting(dir)).store.load();
    assert.deepEqual(Object.keys(loaded), ['__proto__']);
    assert.equal(Object.getPrototypeOf(loaded), Object.prototype);
  });

  test('a corrupt file gives an empty state, a warning, and is kept aside', async (t) => {
    const dir = await tempDataDir(t);
    await writeFile(join(dir, 'node-state.json'), '{"v":1,"nodes":{"th1":');
    const { store, warnings } = await openCollecting(dir);
    assert.deepEqual(store.load(), {});
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /cannot use the saved node state .*node-state\.json.*nodes start fresh/);
    assert.ok((await readdir(dir)).some((name) => name.startsWith('node-state.json.corrupt-')));
    await store.save(states);
    assert.deepEqual((await openCollecting(dir)).store.load(), states);
  });

  test('damaged entries are dropped with a warning naming the nodes', async (t) => {
    const dir = await tempDataDir(t);
    await writeFile(join(dir, 'node-state.json'), JSON.stringify({ v: 1, nodes: { ...states, bad: { state: 1 }, worse: 'x' } }));
    const { store, warnings } = await openCollecting(dir);
    assert.deepEqual(store.load(), states);
    assert.match(warnings.join('\n'), /ignoring damaged entries of node\(s\) bad, worse/);
  });
});
