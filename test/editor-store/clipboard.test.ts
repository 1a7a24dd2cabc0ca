import assert from 'node:assert/strict';
import { beforeEach, test } from 'node:test';
import { loadSample, node, select, state, undoSteps } from './fixture.ts';

beforeEach(() => {
  loadSample();
});

test('copy and paste: new ids, the wires between the copied nodes only, offset positions, one step', () => {
  select('in1', 'th1');
  state().copySelection();
  assert.equal(undoSteps(), 0, 'copying is not an edit');
  state().paste();
  assert.equal(undoSteps(), 1);
  const pasted = state().nodes.filter((n) => n.selected);
  assert.deepEqual(pasted.map((n) => n.id).sort(), ['in1-2', 'th1-2']);
  assert.deepEqual(node('in1-2')?.position, { x: 40, y: 40 });
  assert.deepEqual(node('in1-2')?.data.config, node('in1')?.data.config);
  assert.notEqual(node('in1-2')?.data.config, node('in1')?.data.config, 'a deep copy, not shared');
  assert.ok(!node('in1')?.selected, 'the originals are deselected');
  const newEdges = state().edges.filter((e) => e.source.endsWith('-2') || e.target.endsWith('-2'));
  assert.deepEqual(newEdges.map((e) => e.id), ['in1-2:0->th1-2'], 'th1 → out1 and th1 → dbg left the copy');
  assert.equal(newEdges[0]?.sourceHandle, 'out-0');
  state().undo();
  assert.equal(state().nodes.length, 4);
  assert.equal(state().edges.length, 3);
});

test('pasting twice places the second copy further along with fresh ids', () => {
  select('th1');
  state().copySelection();
  state().paste();
  state().paste();
  assert.deepEqual(node('th1-2')?.position, { x: 290, y: 40 });
  assert.deepEqual(node('th1-3')?.position, { x: 330, y: 80 });
  assert.equal(undoSteps(), 2);
});

test('the clipboard is a snapshot: editing the original after copying does not change what is pasted', () => {
  select('th1');
  state().copySelection();
  state().updateNode('th1', { config: { above: 99 } });
  state().paste();
  assert.equal(node('th1-2')?.data.config['above'], 25);
});

test('paste goes onto the tab being shown', () => {
  select('dbg');
  state().copySelection();
  const tab = state().addTab();
  state().paste();
  assert.equal(node('dbg-2')?.data.flow, tab);
});

test('paste with an empty clipboard does nothing', () => {
  state().paste();
  select();
  state().copySelection();
  state().paste();
  assert.equal(undoSteps(), 0);
  assert.equal(state().nodes.length, 4);
});
