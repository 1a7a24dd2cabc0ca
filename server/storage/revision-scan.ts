import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { readJsonFile, setAside } from './atomic-file.ts';
import { REVISION_NAME, isRecord, nodeCountOf } from './flow-store-format.ts';

/** One entry of the history, as the rollback list shows it. */
export interface RevisionInfo {
  readonly rev: string;
  readonly savedAt: string;
  readonly note?: string;
  readonly nodeCount: number;
}

/** A revision file of the flow store, as read at open. */
export interface Revision extends RevisionInfo {
  readonly seq: number;
  readonly file: string;
}

/** The newest revision that parsed, document included: the current flow, unless an earlier version's current.json names another. */
export interface ReadableRevision {
  readonly rev: string;
  readonly seq: number;
  readonly savedAt: string;
  readonly document: unknown;
}

export interface ScannedRevisions {
  /** Oldest first. */
  readonly revisions: Revision[];
  /** One past the highest sequence number any revision file's name carries. */
  readonly nextSeq: number;
  readonly newest: ReadableRevision | undefined;
}

/** Reads every revision file's metadata in `dir`; damaged ones are set aside with a warning. */
export async function scanRevisions(dir: string, warn: (line: string) => void): Promise<ScannedRevisions> {
  const found: Revision[] = [];
  let nextSeq = 1;
  let newest: ReadableRevision | undefined;
  for (const file of await readdir(dir)) {
    const match = REVISION_NAME.exec(file);
    if (!match) continue;
    const seq = Number(match[1]);
    const rev = match[2]!;
    nextSeq = Math.max(nextSeq, seq + 1);
    const path = join(dir, file);
    const read = await readJsonFile(path);
    if (!read.ok && read.reason === 'missing') continue;
    const value = read.ok ? read.value : undefined;
    const savedAt = isRecord(value) ? value['savedAt'] : undefined;
    if (!isRecord(value) || value['rev'] !== rev || value['seq'] !== seq || !('document' in value) || typeof savedAt !== 'string') {
      const reason = read.ok ? 'its content does not match its name' : read.error.message;
      const aside = await setAside(path);
      warn(`flow store: skipping damaged revision file ${path} (${reason}); ${aside}`);
      continue;
    }
    const note = typeof value['note'] === 'string' ? value['note'] : undefined;
    found.push({ rev, seq, savedAt, note, nodeCount: nodeCountOf(value['document']), file });
    if (seq > (newest?.seq ?? 0)) newest = { rev, seq, savedAt, document: value['document'] };
  }
  return { revisions: found.sort((a, b) => a.seq - b.seq), nextSeq, newest };
}
