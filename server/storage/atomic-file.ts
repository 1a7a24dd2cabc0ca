/**
 * Crash-safe file writes. A file is written under a temporary name in the same folder,
 * flushed to disk, then renamed over the target; the folder is flushed too so the rename
 * itself survives a power cut. A kill -9 at any moment therefore leaves either the old
 * file or the new one, never a torn mix; at worst a temporary file is left behind, and
 * `removeStaleTempFiles` clears those at the next start.
 */
import { randomBytes } from 'node:crypto';
import { link, open, readdir, readFile, rename, unlink, type FileHandle } from 'node:fs/promises';
import { closeSync, fsyncSync, openSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { OperationalError, ensureError } from '../../nodes/errors.ts';

export interface WriteOptions {
  /** Permission bits of a newly written file, e.g. 0o600 for secrets. */
  readonly mode?: number;
}

/** The outcome of `readJsonFile`: the parsed value, or why there is none. */
export type ReadJsonResult =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly reason: 'missing' | 'corrupt'; readonly error: Error };

/**
 * Temp names start with a dot (hidden from a casual `ls`) and carry the writer's pid, so
 * a later start can tell a crashed writer's leftovers from a live writer's file in flight.
 */
const TEMP_NAME = /^\..+\.(\d+)-[0-9a-f]{8}\.tmp$/;

function tempPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
}

/** The pid that wrote a temp file of `writeFileAtomic`, or undefined for any other name. */
export function tempFileWriter(name: string): number | undefined {
  const match = TEMP_NAME.exec(name);
  return match ? Number(match[1]) : undefined;
}

/** Writes `data` to a fresh temp file next to `path` and flushes it; returns the temp path and its open handle. */
async function writeFlushedTemp(path: string, data: string | Uint8Array, options: WriteOptions): Promise<{ temp: string; handle: FileHandle }> {
  const temp = tempPathFor(path);
  // 'wx': never follow or reuse something already at the temp name.
  const handle = await open(temp, 'wx', options.mode ?? 0o666);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } catch (error) {
    await handle.close().catch(() => undefined);
    await unlink(temp).catch(() => undefined);
    throw error;
  }
  return { temp, handle };
}

/** Flushes a folder so that a rename or link inside it is on disk, not only in the cache. */
async function syncFolder(folder: string): Promise<void> {
  const handle = await open(folder, 'r');
  try {
    await syncOpenFolder(handle);
  } finally {
    await handle.close();
  }
}

async function syncOpenFolder(handle: FileHandle): Promise<void> {
  try {
    await handle.sync();
  } catch (error) {
    // Some file systems (and non-Linux kernels) refuse fsync on a folder; the rename is
    // then as durable as that file system can make it, which is all we can ask for.
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EINVAL' && code !== 'EISDIR' && code !== 'EPERM' && code !== 'ENOTSUP') throw error;
  }
}

function writeFailure(path: string, error: unknown): OperationalError {
  const cause = ensureError(error);
  return new OperationalError(`cannot write ${path}: ${cause.message}`, { cause });
}

/**
 * Replaces `path` with `data` atomically and durably: after this resolves the new content
 * is on disk; if the process dies before, `path` still holds its old content (or is still
 * absent). Failures (disk full, no permission) are OperationalErrors naming the file.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array, options: WriteOptions = {}): Promise<void> {
  // Each step waits for an event-loop turn, which a busy flow makes long, so the steps that
  // need not follow one another do not: the folder is opened while the file is written,
  // and the temp file is closed while it is renamed (a file may be renamed while open).
  const folder = open(dirname(path), 'r');
  folder.catch(() => undefined); // its failure is seen where it is awaited, below
  let temp: string | undefined;
  try {
    const written = await writeFlushedTemp(path, data, options);
    temp = written.temp;
    await Promise.all([written.handle.close(), rename(temp, path)]);
    temp = undefined;
    await syncOpenFolder(await folder);
  } catch (error) {
    if (temp) await unlink(temp).catch(() => undefined);
    throw writeFailure(path, error);
  } finally {
    // Closing a read-only folder handle cannot lose data, so the caller does not wait for it.
    void folder.then((handle) => handle.close()).catch(() => undefined);
  }
}

/**
 * `writeFileAtomic` done in one synchronous step: the same writes, flushes and rename, so
 * the same guarantees, without a turn of the event loop between them. For a write whose
 * caller is waiting and whose event loop may be busy with other work (a deploy under a
 * stream of messages), where the few milliseconds of disk time matter less than the turns.
 */
export function writeFileAtomicSync(path: string, data: string | Uint8Array, options: WriteOptions = {}): void {
  const temp = tempPathFor(path);
  let renamed = false;
  try {
    const fd = openSync(temp, 'wx', options.mode ?? 0o666);
    try {
      writeFileSync(fd, data);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, path);
    renamed = true;
    syncFolderOfSync(path);
  } catch (error) {
    if (!renamed) removeQuietly(temp);
    throw writeFailure(path, error);
  }
}

/**
 * Deletes `path` durably, in one synchronous step: after this returns the file is gone from
 * the disk, not only from the cache. A file already absent is not an error.
 */
export function removeFileSync(path: string): void {
  try {
    try {
      unlinkSync(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    syncFolderOfSync(path);
  } catch (error) {
    const cause = ensureError(error);
    throw new OperationalError(`cannot delete ${path}: ${cause.message}`, { cause });
  }
}

/** Flush the folder holding `path`, so that a rename or unlink in it is on the disk. */
function syncFolderOfSync(path: string): void {
  const folder = openSync(dirname(path), 'r');
  try {
    fsyncFolderSync(folder);
  } finally {
    closeSync(folder);
  }
}

function fsyncFolderSync(fd: number): void {
  try {
    fsyncSync(fd);
  } catch (error) {
    // As in syncOpenFolder: a file system that refuses fsync on a folder is as durable as it gets.
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EINVAL' && code !== 'EISDIR' && code !== 'EPERM' && code !== 'ENOTSUP') throw error;
  }
}

function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Never created, or already gone: either way nothing is left behind.
  }
}

/**
 * Like `writeFileAtomic`, but only creates: if `path` already exists it is left alone and
 * this rejects with an error whose `code` is 'EEXIST'. Two processes racing to create the
 * same file (a key, say) thus agree on one winner, and the loser reads the winner's file.
 */
export async function createFileAtomic(path: string, data: string | Uint8Array, options: WriteOptions = {}): Promise<void> {
  let temp: string | undefined;
  try {
    const written = await writeFlushedTemp(path, data, options);
    temp = written.temp;
    await written.handle.close();
    // link() fails if the target exists, where rename() would silently replace it.
    await link(temp, path);
    await syncFolder(dirname(path));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw error;
    throw writeFailure(path, error);
  } finally {
    if (temp) await unlink(temp).catch(() => undefined);
  }
}

/**
 * Reads and parses a JSON file. A missing file and one that does not parse (empty, torn
 * by some other tool, hand-edited) are answers, not exceptions; a file that cannot be read
 * at all (no permission, a folder) is an OperationalError, since guessing would hide it.
 */
export async function readJsonFile(path: string): Promise<ReadJsonResult> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const cause = ensureError(error);
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { ok: false, reason: 'missing', error: cause };
    throw new OperationalError(`cannot read ${path}: ${cause.message}`, { cause });
  }
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    return { ok: false, reason: 'corrupt', error: ensureError(error) };
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Deletes temp files in `folder` left by writers that are no longer running (a crash
 * between creating and renaming). Files of live processes, this one included, are kept:
 * they may be a write in flight. Returns the names removed.
 */
export async function removeStaleTempFiles(folder: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(folder);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const removed: string[] = [];
  for (const name of names) {
    const pid = tempFileWriter(name);
    if (pid === undefined || pid === process.pid || isAlive(pid)) continue;
    try {
      await unlink(join(folder, name));
      removed.push(name);
    } catch (error) {
      // Another process cleaning the same folder got there first.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  return removed;
}

/**
 * Renames a damaged file to `<path>.corrupt-<time>`, out of the way of the next write but
 * kept for a human to inspect. Returns a phrase for the warning saying where it went; a
 * file that cannot be renamed is left in place, and the phrase says that instead.
 */
export async function setAside(path: string): Promise<string> {
  // A timestamp safe in file names on every OS: 2024-05-01T12-00-00-000Z.
  const aside = `${path}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
  try {
    await rename(path, aside);
    return `kept as ${aside}`;
  } catch (error) {
    return `left in place (could not rename it: ${ensureError(error).message})`;
  }
}
