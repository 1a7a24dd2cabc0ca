/**
 * current.json, which earlier versions of the flow store wrote after each revision file to
 * name the deployed flow: first as a whole copy of the revision
 * (`{ rev, seq, savedAt, parent, note, nodeCount, document }`), then for a while as a
 * pointer to its file (`{ rev, seq, savedAt, file }`). This version writes none (the newest
 * revision is current) but reads both, and the next save removes the file.
 */
import { isRecord, revisionFileName } from './flow-store-format.ts';

/** A current.json written by this version: it names the revision file holding the document. */
export interface CurrentPointer {
  readonly kind: 'pointer';
  readonly rev: string;
  readonly seq: number;
  readonly savedAt: string;
  readonly file: string;
}

/** A current.json of an earlier version: a whole copy of the revision, document included. */
export interface CurrentCopy {
  readonly kind: 'copy';
  readonly rev: string;
  /** Absent in files of the first versions; then taken from the revision of the same rev. */
  readonly seq: number | undefined;
  readonly savedAt: string;
  readonly parent: string | null;
  readonly note: string | undefined;
  readonly document: unknown;
}

/** What a parsed current.json says, in either format; undefined for anything else. */
export function parseCurrentFile(value: unknown): CurrentPointer | CurrentCopy | undefined {
  if (!isRecord(value)) return undefined;
  const { rev, seq, savedAt } = value;
  if (typeof rev !== 'string' || typeof savedAt !== 'string') return undefined;
  if ('document' in value) {
    const parent = typeof value['parent'] === 'string' ? value['parent'] : null;
    const note = typeof value['note'] === 'string' ? value['note'] : undefined;
    return { kind: 'copy', rev, seq: typeof seq === 'number' ? seq : undefined, savedAt, parent, note, document: value['document'] };
  }
  // The file name is derived, so a pointer whose parts disagree is not taken for one.
  if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 1 || value['file'] !== revisionFileName(seq, rev)) return undefined;
  return { kind: 'pointer', rev, seq, savedAt, file: value['file'] };
}
