import assert from 'node:assert/strict';
import { beforeEach, test } from 'node:test';
import { beginDrag } from '../../editor/src/store/editor-store.ts';
import { loadSample, node, select, state, undoSteps } from './fixture.ts';

beforeEach(() => {
  loadSample();
});

test('a load starts with no undo history', () => {
  assert.equal(undoSteps(), 0);
  assert.equal(state().history.future.length, 0);
});

test('adding a node is one step; undo removes it, redo brings it back with its id', () => {
  const id = state().addNode('threshold', { x: 10, y: 20 });
  assert.equal(id, 'threshold');
  assert.equal(node(id)?.data.flow, 'flow1');
  assert.equal(state().selectedNodeId, id);
  assert.equal(undoSteps(), 1);
  state().undo();
  assert.equal(node(id), undefined);
  assert.equal(state().selectedNodeId, undefined, 'the panel does not point at a node that is gone');
  state().redo();
  assert.deepEqual(node(id)?.position, { x: 10, y: 20 });
});

test('a drag is one undo step back to where it began, however many moves it had', () => {
  beginDrag();
  for (let x = 1; x <= 30; x++) state().onNodesChange([{ type: 'position', id: 'th1', position: { x: 250 + x, y: x }, dragging: true }]);
  assert.equal(undoSteps(), 0, 'moves while dragging are not steps');
  state().onNodesChange([{ type: 'position', id: 'th1', position: { x: 300, y: 40 }, dragging: false }]);
  assert.equal(undoSteps(), 1);
  assert.deepEqual(node('th1')?.position, { x: 300, y: 40 });
  state().undo();
  assert.deepEqual(node('th1')?.position, { x: 250, y: 0 });
  state().redo();
  assert.deepEqual(node('th1')?.position, { x: 300, y: 40 });
});

test('dragging several selected nodes is one step', () => {
  select('in1', 'th1');
  beginDrag();
  state().onNodesChange([
    { type: 'position', id: 'in1', position: { x: 10, y: 10 }, dragging: true },
    { type: 'position', id: 'th1', position: { x: 260, y: 10 }, dragging: true },
  ]);
  state().onNodesChange([
    { type: 'position', id: 'in1', position: { x: 20, y: 20 }, dragging: false },
    { type: 'position', id: 'th1', position: { x: 270, y: 20 }, dragging: false },
  ]);
  assert.equal(undoSteps(), 1);
  state().undo();
  assert.deepEqual(node('in1')?.position, { x: 0, y: 0 });
  assert.deepEqual(node('th1')?.position, { x: 250, y: 0 });
});

test('selecting and measuring nodes are not undo steps', () => {
  select('th1');
  state().onNodesChange([{ type: 'dimensions', id: 'th1', dimensions: { width: 210, height: 60 } }]);
  assert.equal(undoSteps(), 0);
});

test('deleting a node takes its wires in the same single step; undo restores both', () => {
  select('th1');
  state().selectNode('th1');
  state().deleteSelection();
  assert.equal(node('th1'), undefined);
  assert.equal(state().edges.length, 0, 'every edge touched th1');
  assert.equal(state().selectedNodeId, undefined);
  assert.equal(undoSteps(), 1);
  state().undo();
  assert.ok(node('th1'));
  assert.equal(state().edges.length, 3);
});

test('deleting a selected edge alone', () => {
  state().onEdgesChange([{ type: 'select', id: 'th1:0->dbg', selected: true }]);
  assert.equal(undoSteps(), 0);
  state().deleteSelection();
  assert.deepEqual(state().edges.map((e) => e.id).sort(), ['in1:0->th1', 'th1:0->out1']);
  state().undo();
  assert.equal(state().edges.length, 3);
});

test('delete with nothing selected records nothing', () => {
  state().deleteSelection();
  assert.equal(undoSteps(), 0);
});

test('connect adds one wire as one step; duplicates, self-wires and wires into output-less nodes are refused', () => {
  const id = state().addNode('debug', { x: 0, y: 300 });
  const before = undoSteps();
  state().connect({ source: 'in1', sourceHandle: 'out-0', target: id, targetHandle: 'in' });
  assert.equal(undoSteps(), before + 1);
  assert.ok(state().edges.some((e) => e.id === `in1:0->${id}` && e.sourceHandle === 'out-0' && e.targetHandle === 'in'));
  state().connect({ source: 'in1', sourceHandle: 'out-0', target: id, targetHandle: 'in' });
  state().connect({ source: 'th1', sourceHandle: 'out-0', target: 'th1', targetHandle: 'in' });
  state().connect({ source: 'th1', sourceHandle: 'out-0', target: 'in1', targetHandle: 'in' });
  assert.equal(undoSteps(), before + 1);
  state().undo();
  assert.ok(!state().edges.some((e) => e.target === id));
});

test('typing into one config field merges into one step; another node is another step', () => {
  const config = node('th1')!.data.config;
  state().updateNode('th1', { config: { ...config, above: 2 } });
  state().updateNode('th1', { config: { ...config, above: 26 } });
  assert.equal(undoSteps(), 1);
  state().updateNode('in1', { config: { ...node('in1')!.data.config, topic: 'x/#' } });
  assert.equal(undoSteps(), 2);
  state().undo();
  assert.equal(node('in1')?.data.config['topic'], 'home/+room/temperature');
  assert.equal(node('th1')?.data.config['above'], 26);
  state().undo();
  assert.equal(node('th1')?.data.config['above'], 25);
  state().redo();
  state().redo();
  assert.equal(node('th1')?.data.config['above'], 26);
  assert.equal(node('in1')?.data.config['topic'], 'x/#');
});

test('renaming a node: an empty name falls back to none', () => {
  state().updateNode('th1', { name: '' });
  assert.equal(node('th1')?.data.name, undefined);
  state().undo();
  assert.equal(node('th1')?.data.name, 'Too warm');
});

test('a new edit clears the redo list', () => {
  state().addNode('debug', { x: 0, y: 0 });
  state().undo();
  assert.equal(state().history.future.length, 1);
  state().addNode('inject', { x: 0, y: 0 });
  assert.equal(state().history.future.length, 0);
});

test('renaming a broker moves its nodes along; undo puts both back', () => {
  state().upsertBroker({ id: 'house', url: 'mqtt://10.0.0.2:1883' }, 'home');
  assert.deepEqual(state().brokers.map((b) => b.id), ['house']);
  assert.equal(node('in1')?.data.config['broker'], 'house');
  assert.equal(node('out1')?.data.config['broker'], 'house');
  assert.equal(undoSteps(), 1);
  state().undo();
  assert.deepEqual(state().brokers.map((b) => b.id), ['home']);
  assert.equal(node('in1')?.data.config['broker'], 'home');
});

test('adding and removing brokers are steps', () => {
  state().upsertBroker({ id: 'cloud', url: 'mqtts://broker.example:8883' });
  assert.equal(state().brokers.length, 2);
  state().removeBroker('cloud');
  assert.equal(state().brokers.length, 1);
  state().undo();
  assert.equal(state().brokers.length, 2);
  state().undo();
  assert.equal(state().brokers.length, 1);
});

test('tabs: add shows the new tab; undoing the add goes back to a tab that exists', () => {
  const id = state().addTab();
  assert.equal(state().activeTab, id);
  assert.equal(state().tabs.length, 2);
  assert.equal(state().tabs[1]?.label, 'Flow 2');
  state().undo();
  assert.equal(state().tabs.length, 1);
  assert.equal(state().activeTab, 'flow1');
  state().redo();
  assert.equal(state().tabs.length, 2);
});

test('tabs: a node added on a tab belongs to it; renaming merges typing; removing takes its nodes, undo restores them', () => {
  const tab = state().addTab('Garden');
  const id = state().addNode('inject', { x: 0, y: 0 });
  assert.equal(node(id)?.data.flow, tab);
  state().renameTab(tab, 'Gard');
  state().renameTab(tab, 'Garden lights');
  assert.equal(undoSteps(), 3, 'add tab, add node, one rename');
  state().removeTab(tab);
  assert.equal(state().tabs.length, 1);
  assert.equal(node(id), undefined);
  assert.equal(state().activeTab, 'flow1');
  state().undo();
  assert.equal(state().tabs.find((t) => t.id === tab)?.label, 'Garden lights');
  assert.equal(node(id)?.data.flow, tab);
});

test('the last tab cannot be removed', () => {
  state().removeTab('flow1');
  assert.equal(state().tabs.length, 1);
  assert.equal(undoSteps(), 0);
});

test('switching tabs clears the selection so hidden nodes cannot be deleted', () => {
  select('th1');
  state().selectNode('th1');
  const tab = state().addTab();
  state().setActiveTab(tab);
  assert.ok(!state().nodes.some((n) => n.selected));
  assert.equal(state().selectedNodeId, undefined);
  state().deleteSelection();
  assert.ok(node('th1'));
});

test('select all picks the nodes of the active tab only, and is not a step', () => {
  const tab = state().addTab();
  const id = state().addNode('debug', { x: 0, y: 0 });
  state().setActiveTab('flow1');
  const steps = undoSteps();
  state().selectAll();
  assert.deepEqual(state().nodes.filter((n) => n.selected).map((n) => n.id).sort(), ['dbg', 'in1', 'out1', 'th1']);
  assert.equal(node(id)?.data.flow, tab);
  assert.equal(undoSteps(), steps);
});

test('replacing the document (an import) is one step', () => {
  state().replaceDocument({ format: 'topicflow/1', brokers: [], nodes: [{ id: 'x', type: 'debug', config: {} }], edges: [] });
  assert.deepEqual(state().nodes.map((n) => n.id), ['x']);
  state().undo();
  assert.equal(state().nodes.length, 4);
});

test('setting positions (auto layout) is one step', () => {
  state().setNodePositions({ in1: { x: 5, y: 5 }, th1: { x: 6, y: 6 } });
  assert.equal(undoSteps(), 1);
  state().undo();
  assert.deepEqual(node('in1')?.position, { x: 0, y: 0 });
});

test('a drag that moved nothing does not swallow later edits into the next move', () => {
  beginDrag(); // grabbed, let go without a position change: no drop event follows
  state().updateNode('th1', { config: { ...node('th1')!.data.config, above: 40 } });
  state().onNodesChange([{ type: 'position', id: 'in1', position: { x: 10, y: 0 }, dragging: false }]); // an arrow key
  state().undo();
  assert.deepEqual(node('in1')?.position, { x: 0, y: 0 });
  assert.equal(node('th1')?.data.config['above'], 40, 'undoing the move keeps the config edit');
});
