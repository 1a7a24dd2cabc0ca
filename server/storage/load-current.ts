/**
 * Which flow is current when the flow store opens, and the repairs that takes.
 *
 * The current flow is the newest revision file that can be read: a save's one atomic write
 * is its commit. A current.json left by an earlier version (a whole copy of the revision, or
 * a pointer to its file; see current-file.ts) still names the current flow until the next
 * save removes it: revisions newer than it are saves cut off before they finished and are
 * discarded, and a revision file missing beside an old-style copy is written again from it.
 * A current.json that cannot be used (torn by another tool, hand-edited, or naming a
 * revision that is gone) is set aside, and so is a damaged revision file; when either hid a
 * newer flow, the newest revision that can be read runs, with a loud warning.
 */
import { access, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { ensureError } from '../../nodes/errors.ts';
import { readJsonFile, setAside, writeFileAtomic } from './atomic-file.ts';
import { parseCurrentFile, type CurrentCopy } from './current-file.ts';
import { StoredDocument, isRecord, nodeCountOf, revisionFileName, withDocument } from './flow-store-format.ts';
import type { Revision, ScannedRevisions } from './revision-scan.ts';

/** The current flow as the store keeps it. */
export interface Current {
  readonly rev: string;
  readonly seq: number;
  readonly savedAt: string;
  readonly document: StoredDocument;
}

export interface LoadedCurrent {
  readonly current: Current | undefined;
  /** Oldest first, without the discarded ones. */
  readonly revisions: Revision[];
  readonly nextSeq: number;
  /** A current.json of an earlier version is still there: the next save must remove it. */
  readonly currentFile: boolean;
}

interface Folders {
  /** `<dataDir>/flows`, where an earlier version's current.json is. */
  readonly dir: string;
  readonly revisionsDir: string;
  readonly warn: (line: string) => void;
}

/** The current flow among the revisions found by `scanRevisions`, and what current.json says if there is one. */
export async function loadCurrent(folders: Folders, scanned: ScannedRevisions): Promise<LoadedCurrent> {
  const { dir, revisionsDir, warn } = folders;
  const path = join(dir, 'current.json');
  let revisions = scanned.revisions;
  let nextSeq = scanned.nextSeq;
  const read = await readJsonFile(path);
  const parsed = read.ok ? parseCurrentFile(read.value) : undefined;

  if (parsed?.kind === 'copy') {
    const seq = parsed.seq ?? revisions.find((r) => r.rev === parsed.rev)?.seq ?? nextSeq - 1;
    const current = { rev: parsed.rev, seq, savedAt: parsed.savedAt, document: StoredDocument.fromValue(parsed.document) };
    nextSeq = Math.max(nextSeq, seq + 1);
    if (parsed.seq !== undefined) ({ revisions, nextSeq } = await discardUnfinished(folders, revisions, parsed.seq));
    if (parsed.seq !== undefined && !revisions.some((r) => r.rev === parsed.rev)) revisions = await rewriteRevision(folders, revisions, parsed, parsed.seq);
    return { current, revisions, nextSeq, currentFile: true };
  }

  let problem: string | undefined;
  if (parsed?.kind === 'pointer') {
    ({ revisions, nextSeq } = await discardUnfinished(folders, revisions, parsed.seq));
    const entry = revisions.find((r) => r.rev === parsed.rev && r.seq === parsed.seq);
    const document = entry ? await readDocument(revisionsDir, entry, scanned) : undefined;
    if (document !== undefined) {
      const current = { rev: parsed.rev, seq: parsed.seq, savedAt: parsed.savedAt, document: StoredDocument.fromValue(document) };
      return { current, revisions, nextSeq, currentFile: true };
    }
    problem = `${path} cannot be used (the revision it names, ${join(revisionsDir, parsed.file)}, is missing or damaged)`;
  } else if (read.ok || read.reason === 'corrupt') {
    problem = `${path} cannot be used (${read.ok ? 'it is not a saved flow' : `it does not parse: ${read.error.message}`})`;
  }

  const aside = problem === undefined ? undefined : await setAside(path);
  const kept = aside ? `; the bad file is ${aside}` : '';
  const currentFile = await exists(path);
  // Newest first: the latest revision that can still be read is current.
  for (const entry of [...revisions].reverse()) {
    const document = await readDocument(revisionsDir, entry, scanned);
    if (document === undefined) continue;
    // A revision file newer than this one was damaged (the scan set it aside and said so).
    problem ??= entry.seq < nextSeq - 1 ? `the newest revision file, number ${nextSeq - 1}, is damaged or missing` : undefined;
    if (problem) {
      warn(
        `FLOW STORE RECOVERY: ${problem}; running revision ${entry.rev} ` +
          `saved ${entry.savedAt} (${join(revisionsDir, entry.file)}) instead${kept}. Check that this is the flow you expect.`,
      );
    }
    const current = { rev: entry.rev, seq: entry.seq, savedAt: entry.savedAt, document: StoredDocument.fromValue(document) };
    return { current, revisions: revisions.filter((r) => r.seq <= entry.seq), nextSeq, currentFile };
  }
  if (problem || nextSeq > 1) warn(`FLOW STORE RECOVERY: ${problem ?? 'no revision file can be read'}; no revision could be read; starting with NO flow${kept}`);
  return { current: undefined, revisions, nextSeq, currentFile };
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false; // missing, or set aside just now
  }
}

/** The document of a revision found at open (the newest one was kept by the scan), or undefined if it cannot be read. */
async function readDocument(revisionsDir: string, entry: Revision, scanned: ScannedRevisions): Promise<unknown> {
  if (scanned.newest?.rev === entry.rev && scanned.newest.seq === entry.seq) return scanned.newest.document;
  const read = await readJsonFile(join(revisionsDir, entry.file));
  if (!read.ok || !isRecord(read.value) || read.value['rev'] !== entry.rev || !('document' in read.value)) return undefined;
  return read.value['document'];
}

/** Writes the revision file of an old-style current.json again, when it is missing. */
async function rewriteRevision(folders: Folders, revisions: Revision[], copy: CurrentCopy, seq: number): Promise<Revision[]> {
  const { rev, savedAt, parent, note, document } = copy;
  const nodeCount = nodeCountOf(document);
  const file = revisionFileName(seq, rev);
  await writeFileAtomic(join(folders.revisionsDir, file), withDocument({ rev, seq, parent, savedAt, note, nodeCount }, JSON.stringify(document)));
  folders.warn(`flow store: revision ${rev} had no file; written again from current.json`);
  return [...revisions, { rev, seq, savedAt, note, nodeCount, file }].sort((a, b) => a.seq - b.seq);
}

/** Removes revisions newer than current.json: saves interrupted between their two writes. */
async function discardUnfinished(folders: Folders, revisions: Revision[], currentSeq: number): Promise<{ revisions: Revision[]; nextSeq: number }> {
  let highestLeft = currentSeq;
  for (const entry of revisions.filter((r) => r.seq > currentSeq)) {
    folders.warn(`flow store: discarding revision ${entry.rev}, a save interrupted before it became current`);
    try {
      await unlink(join(folders.revisionsDir, entry.file));
    } catch (error) {
      folders.warn(`flow store: cannot delete ${entry.file}: ${ensureError(error).message}`);
      highestLeft = Math.max(highestLeft, entry.seq);
    }
  }
  // A save that never happened gives its number back, so revision numbers stay dense;
  // a file that could not be deleted keeps its number from being used twice.
  return { revisions: revisions.filter((r) => r.seq <= currentSeq), nextSeq: highestLeft + 1 };
}
