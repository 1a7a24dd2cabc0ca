/**
 * The deployed flow and its history, crash-safe on disk:
 *
 *     <dataDir>/flows/revisions/<seq, 8 digits>-<rev>.json  { rev, seq, parent, savedAt, note?, nodeCount, document }
 *
 * The newest revision is the current flow. A save is one atomic, flushed write of its
 * revision file (temp file, fsync, rename, fsync of the folder): a crash leaves the file
 * whole or absent, so the store holds the previous flow or the new one, never a torn one.
 * Earlier versions also wrote a current.json naming the current flow; one left by them is
 * still read, and removed by the next save (see load-current.ts).
 */
import { unlinkSync } from 'node:fs';
import { mkdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { deepFreeze } from '../../nodes/document/json-value.ts';
import { OperationalError, UserInputError, ensureError } from '../../nodes/errors.ts';
import { readJsonFile, removeFileSync, removeStaleTempFiles, writeFileAtomicSync } from './atomic-file.ts';
import { StoredDocument, isRecord, nodeCountOf, revisionFileName, revisionId, withDocument, withoutBom } from './flow-store-format.ts';
import { loadCurrent, type Current } from './load-current.ts';
import { scanRevisions, type Revision, type RevisionInfo } from './revision-scan.ts';

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
  /**
   * The JSON text, as UTF-8 bytes, that `document` was parsed from (an HTTP deploy's body):
   * stored as it is instead of serialising the document again. It must parse to exactly
   * `document`; left out, the document is serialised.
   */
  readonly text?: Uint8Array;
}

/** A save based on a rev that is no longer current: the HTTP layer answers 409 with `currentRev`. */
export class StaleRevisionError extends UserInputError {
  constructor(readonly baseRev: string, readonly currentRev: string | undefined) {
    const message = `the flow was changed since revision ${baseRev}; the current revision is ${currentRev ?? 'none'}`;
    super(message, [{ code: 'flow.stale-rev', message }]);
  }
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
  /** An earlier version's current.json still names the current flow (until a save removes it). */
  #currentFile = false;
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
   * Opens (creating if needed) the flow store of a data folder. When the newest revision
   * file, or an earlier version's current.json, cannot be used, the newest revision that
   * parses runs, with a loud warning; a bad file is kept as `<name>.corrupt-<time>`.
   */
  static async open(dataDir: string, options: FlowStoreOptions = {}): Promise<FlowStore> {
    const store = new FlowStore(dataDir, options);
    try {
      await mkdir(store.#revisionsDir, { recursive: true, mode: 0o700 });
      await removeStaleTempFiles(store.#dir);
      await removeStaleTempFiles(store.#revisionsDir);
      const scanned = await scanRevisions(store.#revisionsDir, store.#warn);
      const loaded = await loadCurrent({ dir: store.#dir, revisionsDir: store.#revisionsDir, warn: store.#warn }, scanned);
      store.#current = loaded.current;
      store.#revisions = loaded.revisions;
      store.#nextSeq = loaded.nextSeq;
      store.#currentFile = loaded.currentFile;
      store.#prune();
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

  async #save(document: unknown, { note, baseRev, text }: SaveOptions): Promise<string> {
    if (baseRev !== undefined && baseRev !== this.#current?.rev) throw new StaleRevisionError(baseRev, this.#current?.rev);
    const content = text ? withoutBom(text) : serialise(document);

    // Taken before writing: a failed save must not leave a file a later save would reuse.
    const seq = this.#nextSeq++;
    const parent = this.#current?.rev;
    const rev = revisionId(parent, seq, content);
    const savedAt = new Date().toISOString();
    const nodeCount = nodeCountOf(document);
    const file = revisionFileName(seq, rev);
    const revisionPath = join(this.#revisionsDir, file);

    // Synchronous: the flushed write takes a few milliseconds of disk time, but as async
    // steps each waits for a turn of an event loop that a stream of messages keeps busy,
    // which made a deploy's reply 50–130 ms later under 2,000 msg/s. Meanwhile messages wait
    // in their sockets; none is lost.
    writeFileAtomicSync(revisionPath, withDocument({ rev, seq, parent: parent ?? null, savedAt, note, nodeCount }, content));
    try {
      // An earlier version's current.json would name the previous flow at the next open.
      if (this.#currentFile) removeFileSync(join(this.#dir, 'current.json'));
    } catch (error) {
      // The revision was never current; leave no trace of it (open() would discard it anyway).
      await unlink(revisionPath).catch(() => undefined);
      throw error;
    }
    this.#currentFile = false;
    this.#current = { rev, seq, savedAt, document: StoredDocument.fromText(content) };
    this.#revisions.push({ rev, seq, savedAt, note, nodeCount, file });
    this.#prune();
    return rev;
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

/** The JSON text of a document to save; a value JSON cannot hold is the caller's mistake. */
function serialise(document: unknown): string {
  let content: string | undefined;
  try {
    content = JSON.stringify(document);
  } catch (error) {
    throw new UserInputError(`the flow document is not plain JSON: ${ensureError(error).message}`);
  }
  if (content === undefined) throw new UserInputError('the flow document is not plain JSON');
  return content;
}
