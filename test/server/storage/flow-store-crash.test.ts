/**
 * kill -9 at a random moment during back-to-back saves must leave the flow store holding
 * the last save that finished or the one in flight, whole, and nothing mistaken for a
 * revision. The writer is a real process (crash-writer.ts) so the kill is a real one.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { FlowStore, revisionId } from '../../../server/storage/flow-store.ts';
import { makeCrashDocument } from './crash-documents.ts';
import { tempDataDir, tempFilesIn } from './storage-helpers.ts';

const ROOT = join(import.meta.dirname, '../../..');
const WRITER = join(import.meta.dirname, 'crash-writer.ts');
const RUNS = 30;
/** Small, so the writer prunes (deletes) files too while it is being killed. */
const KEEP = 8;
const FIRST_SAVE_TIMEOUT_MS = 15_000;

interface Printed {
  readonly seq: number;
  readonly rev: string;
}

/** Starts the writer, SIGKILLs it 20–200 ms after its first save, and returns what it printed. */
async function runWriterAndKill(dataDir: string): Promise<{ printed: Printed[]; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', WRITER, dataDir, String(KEEP)], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  // 'close' comes after the pipes are drained, so every line written before the kill is in.
  const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
  try {
    const deadline = Date.now() + FIRST_SAVE_TIMEOUT_MS;
    while (!stdout.includes('\n')) {
      if (child.exitCode !== null || Date.now() > deadline) {
        throw new Error(`the writer printed no rev (exit ${child.exitCode}); stderr:\n${stderr}`);
      }
      await sleep(5);
    }
    await sleep(20 + Math.floor(Math.random() * 181));
    assert.equal(child.exitCode, null, `the writer stopped by itself before the kill; stderr:\n${stderr}`);
  } finally {
    child.kill('SIGKILL');
    await closed;
  }
  assert.equal(child.signalCode, 'SIGKILL');
  const complete = stdout.slice(0, stdout.lastIndexOf('\n'));
  const printed = complete.split('\n').map((line) => {
    const [seq, rev] = line.split(' ');
    return { seq: Number(seq), rev: rev ?? '' };
  });
  return { printed, stderr };
}

const revOf = (parent: string | undefined, seq: number) => revisionId(parent, seq, JSON.stringify(makeCrashDocument(seq)));

test(`flow store survives kill -9 during saves (${RUNS} runs)`, { timeout: 120_000 }, async (t) => {
  const dir = await tempDataDir(t, 'topicflow-crash-');
  const flowsDir = join(dir, 'flows');
  const revisionsDir = join(flowsDir, 'revisions');
  let verifiedRev: string | undefined;
  let inFlightWon = 0;
  let tempLeftovers = 0;
  let saves = 0;

  for (let run = 1; run <= RUNS; run++) {
    const { printed, stderr } = await runWriterAndKill(dir);
    const context = `run ${run}; writer stderr:\n${stderr}`;
    saves += printed.length;

    // Every rev the writer printed hashes the one before it, across runs too.
    let parent = verifiedRev;
    for (const { seq, rev } of printed) {
      assert.equal(rev, revOf(parent, seq), `printed rev of save ${seq}, ${context}`);
      parent = rev;
    }
    const last = printed.at(-1)!;

    tempLeftovers += (await tempFilesIn(flowsDir)).length + (await tempFilesIn(revisionsDir)).length;
    const warnings: string[] = [];
    const store = await FlowStore.open(dir, { keep: KEEP, warn: (line) => warnings.push(line) });
    assert.deepEqual(
      warnings.filter((w) => /corrupt|damaged|RECOVERY/i.test(w)),
      [],
      `no file may be torn, ${context}`,
    );

    const current = store.current();
    assert.ok(current, `a flow after the crash, ${context}`);
    const seq = (current.document as { seq: number }).seq;
    if (current.rev === last.rev) {
      assert.equal(seq, last.seq, context);
    } else {
      // The save in flight finished its rename before the kill, but not its print.
      assert.equal(seq, last.seq + 1, `current is neither the last printed save nor the next, ${context}`);
      assert.equal(current.rev, revOf(last.rev, seq), `the in-flight save's rev matches its content, ${context}`);
      inFlightWon++;
    }
    assert.deepEqual(current.document, makeCrashDocument(seq), `the document matches its rev, ${context}`);

    // The history holds only whole revisions, newest is current, and nothing else is in the folder.
    const history = store.revisions();
    assert.ok(history.length >= 1 && history.length <= KEEP, context);
    assert.equal(history[0]!.rev, current.rev, context);
    for (const entry of history) {
      const document = (await store.get(entry.rev)) as { seq: number };
      assert.deepEqual(document, makeCrashDocument(document.seq), `revision ${entry.rev}, ${context}`);
    }
    assert.deepEqual(await tempFilesIn(flowsDir), [], `stale temp files removed, ${context}`);
    assert.deepEqual(await tempFilesIn(revisionsDir), [], `stale temp files removed, ${context}`);
    assert.equal((await readdir(revisionsDir)).length, history.length, `only revisions in revisions/, ${context}`);
    verifiedRev = current.rev;
  }
  t.diagnostic(`${saves} saves printed; in-flight save was current after ${inFlightWon} kills; temp files left by ${tempLeftovers} kills`);
});
