// @ts-check
// Plain JavaScript on purpose: the bin decides here whether it needs the TypeScript loader at
// all, so this file must load without it.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Where `npm run build` (and `npm install`) put the server's compiled bundle. */
export const SERVER_DIST_DIR = 'server/dist';
/** The list of sources a build was made from, with the mtime and size each had then. */
export const MANIFEST_FILE = 'manifest.json';

/**
 * @typedef {{ entry: string, inputs: Record<string, { mtimeMs: number, size: number }> }} BuildManifest
 */

/**
 * The compiled entry point under `root`, or why it cannot be used: missing, or older than a
 * source it was built from (any source changed, grown, shrunk or deleted since the build).
 * A source added since then can only matter through an import in a source that changed, so
 * checking the build's own inputs is enough. About 150 `stat` calls: a millisecond or two.
 * @param {string} root the project folder
 * @returns {{ ok: true, file: string } | { ok: false, reason: string }}
 */
export function compiledEntry(root) {
  const dist = join(root, SERVER_DIST_DIR);
  /** @type {BuildManifest} */
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(join(dist, MANIFEST_FILE), 'utf8'));
  } catch {
    return { ok: false, reason: `no compiled build in ${SERVER_DIST_DIR}` };
  }
  for (const [source, seen] of Object.entries(manifest.inputs)) {
    let now;
    try {
      now = statSync(join(root, source));
    } catch {
      return { ok: false, reason: `${source} was removed since the build` };
    }
    if (now.mtimeMs !== seen.mtimeMs || now.size !== seen.size) return { ok: false, reason: `${source} changed since the build` };
  }
  return { ok: true, file: join(dist, manifest.entry) };
}
