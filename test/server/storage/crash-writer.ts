/**
 * Run by the crash test: `node --import tsx crash-writer.ts DATA_DIR KEEP`. Opens the flow
 * store and saves documents back to back, printing `<seq> <rev>` once each save resolves,
 * until the test kills it with SIGKILL. Bounded in count and time so a test that forgets
 * it still sees it end.
 */
import { FlowStore } from '../../../server/storage/flow-store.ts';
import { makeCrashDocument } from './crash-documents.ts';

const MAX_SAVES = 20_000;
const MAX_MS = 15_000;

const [dataDir, keepText] = process.argv.slice(2);
if (!dataDir || !keepText) {
  process.stderr.write('usage: crash-writer.ts DATA_DIR KEEP\n');
  process.exit(2);
}
const store = await FlowStore.open(dataDir, { keep: Number(keepText), warn: (line) => void process.stderr.write(`${line}\n`) });
const current = store.current()?.document as { seq?: number } | undefined;
let seq = (current?.seq ?? 0) + 1;
const deadline = Date.now() + MAX_MS;
for (let i = 0; i < MAX_SAVES && Date.now() < deadline; i++, seq++) {
  const rev = await store.save(makeCrashDocument(seq), { note: `crash test save ${seq}` });
  // On Linux a write to a pipe is synchronous: once this returns, the line survives SIGKILL.
  process.stdout.write(`${seq} ${rev}\n`);
}
