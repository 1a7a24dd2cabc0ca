/** Helpers shared by the storage tests: throwaway data folders and dead process ids. */
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';

/** A fresh folder under the system temp folder, removed when the test ends. */
export async function tempDataDir(t: TestContext, prefix = 'topicflow-storage-'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/**
 * The pid of a process that has exited: a real one, so the storage code sees a writer
 * that is certainly gone (a made-up number might belong to a live process).
 */
export async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
  const pid = child.pid;
  await new Promise<void>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', () => resolve());
  });
  if (pid === undefined) throw new Error('could not start a short-lived process');
  return pid;
}

/** Every file under `dir` (recursively) with its bytes. */
export async function readAllFiles(dir: string): Promise<{ path: string; bytes: Buffer }[]> {
  const names = await readdir(dir, { recursive: true, withFileTypes: true });
  const files = names.filter((entry) => entry.isFile());
  // `parentPath` is the Node 20.12+ name; `path` is the older one, still present on Node 20.
  return Promise.all(
    files.map(async (entry) => {
      const path = join((entry as { parentPath?: string }).parentPath ?? entry.path, entry.name);
      return { path, bytes: await readFile(path) };
    }),
  );
}

/** The names of the temp files `writeFileAtomic` leaves behind when a writer dies. */
export async function tempFilesIn(dir: string): Promise<string[]> {
  return (await readdir(dir)).filter((name) => name.startsWith('.') && name.endsWith('.tmp'));
}
