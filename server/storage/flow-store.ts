/**
 * The deployed flow and its history, crash-safe on disk:
 *
 *     <dataDir>/flows/current.json                          { rev, seq, savedAt, parent, note?, nodeCount, document }
 *     <dataDir>/flows/revisions/<seq, 8 digits>-<rev>.json  { rev, seq, parent, savedAt, note?, nodeCount, document }
 *
 * A save writes its revision file first and current.json second, each atomically, so a
 * crash leaves current.json naming either the previous flow or the new one. A revision
 * newer than current.json is a save that never finished; it is discarded at the next open.
 * current.json holds everything its revision file does, so a revision file that is missing
 * (deleted by hand, or left out by a save of an earlier version that wrote the two at once)
 * is written again from it.
 */
import { unlinkSync } from 'node:fs';
import { mkdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { deepFreeze } from '../../nodes/document/json-value.ts';
import { OperationalError, UserInputError, ensureError } from '../../nodes/errors.ts';
import { readJsonFile, removeStaleTempFiles, setAside, writeFileAtomic, writeFileAtomicSync } from './atomic-file.ts';
import { StoredDocument, isRecord, nodeCountOf, revisionFileName, revisionId, withDocument } from './flow-store-format.ts';
import { scanRevisions, type ReadableRevision, type Revision, type RevisionInfo } from './revision-scan.ts';

export { revisionId };

export interface FlowStoreOptions {
  /** How many revisions to keep on disk, the current one included (default 50). */
  readonly keep?: number;
  /** Where recoveries and skipped files are reported (default: stderr). */
  readonly warn?: (line: string) => void;
}

/** The deployed document. Its `document` is deep-frozen: copy it before changing it. */
export interface CurrentFlow {
  readonly rev: string;
  readonly savedAt: string;
  readonly document: unknown;
}

/** What `save` may be told besides the document. */
export interface SaveOptions {
  /** Shown in the revision list, e.g. "rollback to 3f2a…". */
  readonly note?: string;
  /**
   * The rev the new document was based on (a client's If-Match). Checked inside the save
   * queue, so of two clients editing the same rev only the first wins; the other gets a
   * StaleRevisionError. Left out, the save is unconditional.
   */
  readonly baseRev?: string;
}

/** A save based on a rev that is no longer current: the HTTP layer answers 409 with `currentRev`. */
export class StaleRevisionError extends UserInputError {
  constructor(readonly baseRev: string, readonly currentRev: string | undefined) {
    const message = `the flow was changed since revision ${baseRev}; the current revision is ${currentRev ?? 'none'}`;
    super(message, [{ code: 'flow.stale-rev', message }]);
  }
}

interface Current {
  readonly rev: string;
  readonly seq: number;
  readonly savedAt: string;
  readonly document: StoredDocument;
}

export class FlowStore {
  readonly #dir: string;
  readonly #revisionsDir: string;
  readonly #keep: number;
  readonly #warn: (line: string) => void;
  /** Oldest first. */
  #revisions: Revision[] = [];
  #current: Current | undefined;
  #nextSeq = 1;
  /** The newest revision that parsed at open, document included: what a broken current.json falls back to. */
  #fallback: ReadableRevision | undefined;
  /** The tail of the save queue: each save starts when the one before it has settled. */
  #queue: Promise<unknown> = Promise.resolve();

  private constructor(dataDir: string, options: FlowStoreOptions) {
    this.#dir = join(dataDir, 'flows');
    this.#revisionsDir = join(this.#dir, 'revisions');
    this.#keep = options.keep ?? 50;
    this.#warn = options.warn ?? ((line) => void process.stderr.write(`warn  ${line}\n`));
    if (!Number.isInteger(this.#keep) || this.#keep < 1) {
      throw new UserInputError(`flow store: keep must be a whole number of at least 1, not ${String(options.keep)}`);
    }
  }

  /**
   * Opens (creating if needed) the flow store of a data folder. A current.json that is
   * missing or does not parse while revisions exist is replaced by the newest revision that
   * parses, with a loud warning; the bad file is kept as `current.json.corrupt-<time>`.
   */
  static async open(dataDir: string, options: FlowStoreOptions = {}): Promise<FlowStore> {
    const store = new FlowStore(dataDir, options);
    try {
      await mkdir(store.#revisionsDir, { recursive: true, mode: 0o700 });
      await removeStaleTempFiles(store.#dir);
      await removeStaleTempFiles(store.#revisionsDir);
      const scanned = await scanRevisions(store.#revisionsDir, store.#warn);
      store.#revisions = scanned.revisions;
      store.#nextSeq = scanned.nextSeq;
      store.#fallback = scanned.newest;
      await store.#loadCurrent();
      store.#prune();
      store.#fallback = undefined;
    } catch (error) {
      if (error instanceof OperationalError || error instanceof UserInputError) throw error;
      const cause = ensureError(error);
      throw new OperationalError(`cannot open the flow store in ${store.#dir}: ${cause.message}`, { cause });
    }
    return store;
  }

  /** The deployed flow, or undefined when nothing was ever saved. */
  current(): CurrentFlow | undefined {
    const current = this.#current;
    if (!current) return undefined;
    return {
      rev: current.rev,
      savedAt: current.savedAt,
      get document() {
        return current.document.value;
      },
    };
  }

  /** The kept revisions, newest first; the first is the current one. */
  revisions(): RevisionInfo[] {
    return this.#revisions
      .map(({ rev, savedAt, note, nodeCount }) => ({ rev, savedAt, ...(note === undefined ? {} : { note }), nodeCount }))
      .reverse();
  }

  /** The document of a kept revision, or undefined for a rev unknown or pruned. */
  async get(rev: string): Promise<unknown | undefined> {
    if (this.#current?.rev === rev) return this.#current.document.value;
    const entry = this.#revisions.find((r) => r.rev === rev);
    if (!entry) return undefined;
    const path = join(this.#revisionsDir, entry.file);
    const read = await readJsonFile(path);
    if (!read.ok && read.reason === 'missing') return undefined;
    if (!read.ok || !isRecord(read.value) || read.value['rev'] !== rev || !('document' in read.value)) {
      throw new OperationalError(`revision ${rev} cannot be read: ${path} is damaged`);
    }
    return deepFreeze(read.value['document']);
  }

  /**
   * Saves `document` as the new current flow and returns its rev. Saves run one at a time
   * in call order; when this resolves the flow is on disk. The document must be plain JSON.
   */
  save(document: unknown, options: SaveOptions = {}): Promise<string> {
    const run = this.#queue.then(() => this.#save(document, options));
    // The queue must go on after a failed save; the failure reaches this caller only.
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async #save(document: unknown, { note, baseRev }: SaveOptions): Promise<string> {
    if (baseRev !== undefined && baseRev !== this.#current?.rev) throw new StaleRevisionError(baseRev, this.#current?.rev);
    let content: string | undefined;
    try {
      content = JSON.stringify(document);
    } catch (error) {
      throw new UserInputError(`the flow document is not plain JSON: ${ensureError(error).message}`);
    }
    if (content === undefined) throw new UserInputError('the flow document is not plain JSON');

    // Taken before writing: a failed save must not leave a file a later save would reuse.
    const seq = this.#nextSeq++;
    const parent = this.#current?.rev;
    const rev = revisionId(parent, seq, content);
    const savedAt = new Date().toISOString();
    const nodeCount = nodeCountOf(document);
    const file = revisionFileName(seq, rev);
    const revisionPath = join(this.#revisionsDir, file);

    const fields = withDocument({ rev, seq, parent: parent ?? null, savedAt, note, nodeCount }, content);
    // Synchronous: the two flushed writes take a few milliseconds of disk time, but as async
    // steps each waits for a turn of an event loop that a stream of messages keeps busy,
    // which made a deploy's reply 50–130 ms later under 2,000 msg/s. Meanwhile messages wait
    // in their sockets; none is lost.
    writeFileAtomicSync(revisionPath, fields);
    try {
      writeFileAtomicSync(join(this.#dir, 'current.json'), fields);
    } catch (error) {
      // The revision was never current; leave no trace of it (open() would discard it anyway).
      await unlink(revisionPath).catch(() => undefined);
      throw error;
    }
    this.#current = { rev, seq, savedAt, document: StoredDocument.fromText(content) };
    this.#revisions.push({ rev, seq, savedAt, note, nodeCount, file });
    this.#prune();
    return rev;
  }

  async #loadCurrent(): Promise<void> {
    const path = join(this.#dir, 'current.json');
    const read = await readJsonFile(path);
    const value = read.ok ? read.value : undefined;
    if (isRecord(value) && typeof value['rev'] === 'string' && typeof value['savedAt'] === 'string' && 'document' in value) {
      const rev = value['rev'];
      const seq = typeof value['seq'] === 'number' ? value['seq'] : this.#revisions.find((r) => r.rev === rev)?.seq;
      this.#current = { rev, seq: seq ?? this.#nextSeq - 1, savedAt: value['savedAt'], document: StoredDocument.fromValue(value['document']) };
      this.#nextSeq = Math.max(this.#nextSeq, this.#current.seq + 1);
      if (seq !== undefined) await this.#discardUnfinished(seq);
      if (seq !== undefined && !this.#revisions.some((r) => r.rev === rev)) await this.#rewriteRevision(value, rev, seq);
      return;
    }
    if (!read.ok && read.reason === 'missing' && this.#revisions.length === 0) return;

    const problem = read.ok
      ? 'it is not a saved flow'
      : read.reason === 'missing'
        ? 'it is missing'
        : `it does not parse: ${read.error.message}`;
    const aside = read.ok || read.reason === 'corrupt' ? await setAside(path) : undefined;
    const kept = aside ? `; the bad file is ${aside}` : '';
    const recovered = this.#fallback;
    if (!recovered) {
      this.#warn(`FLOW STORE RECOVERY: ${path} cannot be used (${problem}) and no revision could be read; starting with NO flow${kept}`);
      return;
    }
    this.#current = { ...recovered, document: StoredDocument.fromValue(recovered.document) };
    const { rev, seq, savedAt } = recovered;
    await writeFileAtomic(path, withDocument({ rev, seq, savedAt }, JSON.stringify(recovered.document)));
    this.#warn(
      `FLOW STORE RECOVERY: ${path} cannot be used (${problem}); running revision ${recovered.rev} ` +
        `saved ${recovered.savedAt} (${join(this.#revisionsDir, revisionFileName(recovered.seq, recovered.rev))}) instead${kept}. ` +
        'Check that this is the flow you expect.',
    );
  }

  /** Writes the revision file of current.json again, when it is missing. */
  async #rewriteRevision(current: Record<string, unknown>, rev: string, seq: number): Promise<void> {
    const savedAt = current['savedAt'] as string;
    const parent = typeof current['parent'] === 'string' ? current['parent'] : null;
    const note = typeof current['note'] === 'string' ? current['note'] : undefined;
    const nodeCount = nodeCountOf(current['document']);
    const file = revisionFileName(seq, rev);
    await writeFileAtomic(join(this.#revisionsDir, file), withDocument({ rev, seq, parent, savedAt, note, nodeCount }, JSON.stringify(current['document'])));
    this.#revisions.push({ rev, seq, savedAt, note, nodeCount, file });
    this.#revisions.sort((a, b) => a.seq - b.seq);
    this.#warn(`flow store: revision ${rev} had no file; written again from current.json`);
  }

  /** Removes revisions newer than current.json: saves interrupted between their two writes. */
  async #discardUnfinished(currentSeq: number): Promise<void> {
    let highestLeft = currentSeq;
    for (const entry of this.#revisions.filter((r) => r.seq > currentSeq)) {
      this.#warn(`flow store: discarding revision ${entry.rev}, a save interrupted before it became current`);
      try {
        await unlink(join(this.#revisionsDir, entry.file));
      } catch (error) {
        this.#warn(`flow store: cannot delete ${entry.file}: ${ensureError(error).message}`);
        highestLeft = Math.max(highestLeft, entry.seq);
      }
    }
    this.#revisions = this.#revisions.filter((r) => r.seq <= currentSeq);
    // A save that never happened gives its number back, so revision numbers stay dense;
    // a file that could not be deleted keeps its number from being used twice.
    this.#nextSeq = highestLeft + 1;
  }

  /** Deletes the oldest revisions beyond `keep`; a failed delete is retried at the next save. */
  #prune(): void {
    while (this.#revisions.length > this.#keep) {
      const oldest = this.#revisions[0]!;
      try {
        // Synchronous for the reason the writes are (see #save); an unlink is not flushed.
        unlinkSync(join(this.#revisionsDir, oldest.file));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
          this.#warn(`flow store: cannot delete old revision ${oldest.file}: ${ensureError(error).message}`);
          return;
        }
      }
      this.#revisions.shift();
    }
  }
}
