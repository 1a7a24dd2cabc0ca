import assert from 'node:assert/strict';
import { beforeEach, test } from 'node:test';
import { beginDrag, useEditor } from '../../editor/src/store/editor-store.ts';
import { pendingChanges } from '../../editor/src/store/pending-changes.ts';
import { loadSample, node, select, state } from './fixture.ts';

const pending = () => pendingChanges(state(), state().server);

beforeEach(() => {
  loadSample();
});

test('right after a load nothing is pending', () => {
  assert.deepEqual(pending(), { dirty: false, changedNodes: 0 });
});

test('a config edit counts its node; undo back to the deployed state reads clean; redo counts it again', () => {
  state().updateNode('th1', { config: { ...node('th1')!.data.config, above: 30 } });
  assert.deepEqual(pending(), { dirty: true, changedNodes: 1 });
  state().undo();
  assert.deepEqual(pending(), { dirty: false, changedNodes: 0 });
  state().redo();
  assert.deepEqual(pending(), { dirty: true, changedNodes: 1 });
});

test('editing a value and typing it back is clean again without undo', () => {
  const config = node('th1')!.data.config;
  state().updateNode('th1', { config: { ...config, above: 30 } });
  state().updateNode('th1', { config: { ...config, above: 25 } });
  assert.deepEqual(pending(), { dirty: false, changedNodes: 0 });
});

test('a config with the same values in another key order is not a change', () => {
  const config = node('in1')!.data.config;
  const reordered = Object.fromEntries(Object.entries(config).reverse());
  state().updateNode('in1', { config: reordered });
  assert.deepEqual(pending(), { dirty: false, changedNodes: 0 });
});

test('moving or renaming a node is unsaved but restarts nothing', () => {
  beginDrag();
  state().onNodesChange([{ type: 'position', id: 'in1', position: { x: 50, y: 50 }, dragging: false }]);
  assert.deepEqual(pending(), { dirty: true, changedNodes: 0 });
  state().undo();
  assert.deepEqual(pending(), { dirty: false, changedNodes: 0 });
  state().updateNode('th1', { name: 'Hot' });
  assert.deepEqual(pending(), { dirty: true, changedNodes: 0 });
});

test('selection and measuring are never changes', () => {
  select('in1', 'th1');
  state().onNodesChange([{ type: 'dimensions', id: 'th1', dimensions: { width: 210, height: 60 } }]);
  assert.deepEqual(pending(), { dirty: false, changedNodes: 0 });
});

test('added and deleted nodes count; undoing both is clean', () => {
  state().addNode('debug', { x: 0, y: 400 });
  select('out1');
  state().deleteSelection();
  assert.deepEqual(pending(), { dirty: true, changedNodes: 2 });
  state().undo();
  state().undo();
  assert.deepEqual(pending(), { dirty: false, changedNodes: 0 });
});

test('a wire alone is unsaved, counted as no node restart', () => {
  state().connect({ source: 'in1', sourceHandle: 'out-0', target: 'dbg', targetHandle: 'in' });
  assert.equal(pending().dirty, true);
  state().undo();
  assert.equal(pending().dirty, false);
});

test('broker, tab and document name edits are unsaved changes', () => {
  state().upsertBroker({ id: 'home', url: 'mqtt://10.0.0.9:1883' });
  assert.equal(pending().dirty, true);
  state().undo();
  state().addTab();
  assert.equal(pending().dirty, true);
  state().undo();
  state().setMeta({ name: 'Other' });
  assert.equal(pending().dirty, true);
  state().undo();
  assert.deepEqual(pending(), { dirty: false, changedNodes: 0 });
});

test('after a deploy the deployed document is the baseline and the history stays', () => {
  state().updateNode('th1', { config: { ...node('th1')!.data.config, above: 30 } });
  state().markDeployed(state().document(), 'r2');
  assert.equal(state().server.rev, 'r2');
  assert.deepEqual(pending(), { dirty: false, changedNodes: 0 });
  assert.equal(state().history.past.length, 1, 'undo history survives the deploy');
  state().undo();
  assert.deepEqual(pending(), { dirty: true, changedNodes: 1 }, 'undoing past the deploy is a change against what runs now');
  state().redo();
  assert.deepEqual(pending(), { dirty: false, changedNodes: 0 });
});

test('a deploy clears problems and a pending conflict', () => {
  state().setProblems([{ code: 'config.invalid', nodeId: 'th1', message: 'bad' }, { code: 'broker.x', brokerId: 'home', message: 'b' }]);
  state().setServer({ conflict: { theirRev: 'r9' } });
  assert.equal(state().server.nodeProblems['th1']?.length, 1);
  assert.equal(state().server.otherProblems.length, 1);
  state().markDeployed(state().document(), 'r3');
  assert.deepEqual(state().server.nodeProblems, {});
  assert.deepEqual(state().server.otherProblems, []);
  assert.equal(state().server.conflict, undefined);
});

test('an empty server (no flow deployed yet) with an empty canvas is clean', () => {
  useEditor.getState().loadFromServer(null, null, {});
  assert.deepEqual(pending(), { dirty: false, changedNodes: 0 });
  state().addNode('inject', { x: 0, y: 0 });
  assert.deepEqual(pending(), { dirty: true, changedNodes: 1 });
  state().undo();
  assert.deepEqual(pending(), { dirty: false, changedNodes: 0 });
});
