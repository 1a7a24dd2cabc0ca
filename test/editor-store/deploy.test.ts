import assert from 'node:assert/strict';
import { afterEach, beforeEach, test } from 'node:test';
import type { Problem } from '../../nodes/errors.ts';
import { deployFlow, loadTheirs, overwriteTheirs, problemSummary } from '../../editor/src/lib/deploy.ts';
import { pendingChanges } from '../../editor/src/store/pending-changes.ts';
import { loadSample, node, sampleDocument, state } from './fixture.ts';

interface Call {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: unknown;
}

type Reply = { status: number; body: unknown };
let calls: Call[] = [];
let replies: Record<string, Reply[]> = {};
const realFetch = globalThis.fetch;

/** The API as a script: each `METHOD path` answers its replies in order (the last one repeats). */
function serve(script: Record<string, Reply | Reply[]>) {
  replies = Object.fromEntries(Object.entries(script).map(([k, v]) => [k, Array.isArray(v) ? [...v] : [v]]));
}

beforeEach(() => {
  loadSample();
  calls = [];
  globalThis.fetch = (async (input: string, init: RequestInit = {}) => {
    const method = init.method ?? 'GET';
    const call: Call = { method, path: input, headers: (init.headers ?? {}) as Record<string, string>, body: init.body ? JSON.parse(String(init.body)) : undefined };
    calls.push(call);
    const list = replies[`${method} ${input}`];
    const reply = list && list.length > 1 ? list.shift()! : list?.[0];
    if (!reply) return new Response(JSON.stringify({ error: { code: 'not-found', message: 'no route' } }), { status: 404 });
    return new Response(JSON.stringify(reply.body), { status: reply.status, headers: { 'content-type': 'application/json' } });
  }) as typeof fetch;
});

afterEach(() => {
  globalThis.fetch = realFetch;
});

const valid = (warnings: Problem[] = []): Reply => ({ status: 200, body: { ok: true, errors: [], warnings } });
const deployed = (rev: string, warnings: Problem[] = []): Reply => ({ status: 200, body: { rev, started: ['th1'], stopped: ['th1'], unchanged: 3, durationMs: 4, warnings } });
const pending = () => pendingChanges(state(), state().server);

function editThreshold(above = 30) {
  state().updateNode('th1', { config: { ...node('th1')!.data.config, above } });
}

test('a deploy validates, PUTs with If-Match, then the deployed state is the baseline and undo history stays', async () => {
  editThreshold();
  serve({ 'POST /api/flows/validate': valid(), 'PUT /api/flows': deployed('r2') });
  assert.equal(await deployFlow(), 'deployed');
  assert.deepEqual(calls.map((c) => `${c.method} ${c.path}`), ['POST /api/flows/validate', 'PUT /api/flows']);
  assert.equal(calls[1]!.headers['If-Match'], '"r1"');
  assert.equal((calls[1]!.body as { nodes: { config: { above?: number } }[] }).nodes[1]!.config.above, 30);
  assert.equal(state().server.rev, 'r2');
  assert.equal(state().server.deployState, 'done');
  assert.match(state().server.deployMessage ?? '', /Deployed/);
  assert.deepEqual(pending(), { dirty: false, changedNodes: 0 });
  assert.equal(state().history.past.length, 1);
});

test('validation errors are attached to their nodes and nothing is deployed', async () => {
  editThreshold();
  const error: Problem = { code: 'config.invalid', nodeId: 'th1', path: 'nodes[1].config.above', message: 'above must be a number' };
  serve({ 'POST /api/flows/validate': { status: 200, body: { ok: false, errors: [error, { code: 'broker.bad', brokerId: 'home', message: 'bad url' }], warnings: [] } } });
  assert.equal(await deployFlow(), 'invalid');
  assert.equal(calls.length, 1, 'no PUT');
  assert.deepEqual(state().server.nodeProblems['th1'], [error]);
  assert.equal(state().server.otherProblems.length, 1);
  assert.equal(state().server.deployState, 'failed');
  assert.match(state().server.deployMessage ?? '', /th1: above must be a number \(and 1 more problem\)/);
  assert.equal(pending().dirty, true);
});

test('warnings stop for a confirmation; "deploy anyway" deploys and the same warnings are not asked about again', async () => {
  editThreshold();
  const warning: Problem = { code: 'node.unwired', nodeId: 'dbg', message: 'debug "dbg" is not wired' };
  serve({ 'POST /api/flows/validate': valid([warning]), 'PUT /api/flows': [deployed('r2'), deployed('r3')] });
  assert.equal(await deployFlow(), 'confirm');
  assert.equal(state().server.deployState, 'confirming');
  assert.deepEqual(state().server.warnings, [warning]);
  assert.equal(calls.length, 1);
  assert.equal(await deployFlow({ acceptWarnings: true }), 'deployed');
  editThreshold(31);
  assert.equal(await deployFlow(), 'deployed', 'an accepted warning is not asked about twice');
  assert.equal(state().server.rev, 'r3');
});

test('cancelling at the warnings deploys nothing', async () => {
  editThreshold();
  serve({ 'POST /api/flows/validate': valid([{ code: 'loop', message: 'feedback loop' }]) });
  assert.equal(await deployFlow(), 'confirm');
  const { cancelDeploy } = await import('../../editor/src/lib/deploy.ts');
  cancelDeploy();
  assert.equal(state().server.deployState, 'idle');
  assert.equal(state().server.rev, 'r1');
});

test('a 422 (a node failed to start, rolled back) attaches its problems and says the old flow runs', async () => {
  editThreshold();
  const problem: Problem = { code: 'node.start-failed', nodeId: 'out1', message: 'broker did not connect' };
  serve({ 'POST /api/flows/validate': valid(), 'PUT /api/flows': { status: 422, body: { error: { code: 'deploy-failed', message: 'rolled back', details: [problem] } } } });
  assert.equal(await deployFlow(), 'invalid');
  assert.deepEqual(state().server.nodeProblems['out1'], [problem]);
  assert.equal(state().server.deployState, 'failed');
  assert.match(state().server.deployMessage ?? '', /old flow keeps running/);
  assert.equal(state().server.rev, 'r1');
});

test('a 409 opens the conflict; overwrite re-sends based on their rev', async () => {
  editThreshold();
  serve({
    'POST /api/flows/validate': valid(),
    'PUT /api/flows': [{ status: 409, body: { error: { code: 'conflict', message: 'stale', details: { rev: 'r7' } } } }, deployed('r8')],
  });
  assert.equal(await deployFlow(), 'conflict');
  assert.deepEqual(state().server.conflict, { theirRev: 'r7' });
  assert.equal(state().server.deployState, 'idle');
  assert.equal(await overwriteTheirs(), 'deployed');
  const put = calls.filter((c) => c.method === 'PUT');
  assert.equal(put[1]!.headers['If-Match'], '"r7"');
  assert.equal(state().server.rev, 'r8');
  assert.equal(state().server.conflict, undefined);
});

test('an overwrite that stops at new warnings is still based on their rev after "deploy anyway"', async () => {
  editThreshold();
  const warning: Problem = { code: 'node.unwired', nodeId: 'dbg', message: 'debug "dbg" is not wired' };
  serve({
    'POST /api/flows/validate': [valid(), valid([warning])],
    'PUT /api/flows': [{ status: 409, body: { error: { code: 'conflict', message: 'stale', details: { rev: 'r7' } } } }, deployed('r8')],
  });
  assert.equal(await deployFlow(), 'conflict');
  assert.equal(await overwriteTheirs(), 'confirm');
  assert.equal(await deployFlow({ acceptWarnings: true }), 'deployed');
  const put = calls.filter((c) => c.method === 'PUT');
  assert.equal(put[1]!.headers['If-Match'], '"r7"');
  assert.equal(state().server.overwriteRev, undefined);
});

test('after a 409, "load theirs" shows their flow as deployed, and one undo brings ours back', async () => {
  editThreshold();
  const theirs = sampleDocument();
  theirs.nodes[1]!.config = { above: 40 };
  serve({ 'GET /api/flows': { status: 200, body: { rev: 'r7', document: theirs, credentials: { home: { hasPassword: true, hasPassphrase: false } } } } });
  state().setServer({ conflict: { theirRev: 'r7' } });
  await loadTheirs();
  assert.equal(node('th1')?.data.config['above'], 40);
  assert.equal(state().server.rev, 'r7');
  assert.equal(state().server.conflict, undefined);
  assert.deepEqual(state().server.credentials['home'], { hasPassword: true, hasPassphrase: false });
  assert.deepEqual(pending(), { dirty: false, changedNodes: 0 });
  state().undo();
  assert.equal(node('th1')?.data.config['above'], 30);
  assert.deepEqual(pending(), { dirty: true, changedNodes: 1 });
});

test('a network failure is a failed deploy with its message', async () => {
  editThreshold();
  globalThis.fetch = (async () => {
    throw new TypeError('Failed to fetch');
  }) as typeof fetch;
  assert.equal(await deployFlow(), 'failed');
  assert.equal(state().server.deployState, 'failed');
  assert.match(state().server.deployMessage ?? '', /Failed to fetch/);
});

test('a second deploy while one runs is refused', async () => {
  editThreshold();
  state().setServer({ deployState: 'deploying' });
  assert.equal(await deployFlow(), 'busy');
  assert.equal(calls.length, 0);
});

test('problem summaries name the node and count the rest', () => {
  assert.equal(problemSummary([]), 'the flow has problems');
  assert.equal(problemSummary([{ code: 'x', message: 'broken' }]), 'broken');
  assert.equal(problemSummary([{ code: 'x', nodeId: 'a', message: 'one' }, { code: 'y', message: 'two' }, { code: 'z', message: 'three' }]), 'a: one (and 2 more problems)');
});
