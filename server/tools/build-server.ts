/**
 * Compiles the server (CLI, engine, API, and the nodes/ it uses) into ES modules under
 * server/dist, which `server/bin/topicflow.js` runs instead of the TypeScript sources: no
 * TypeScript loader at run time, so the server starts faster and with less memory (measured in
 * the commit that introduced it). Our own code is bundled with the packages every command
 * needs, split into one chunk per CLI command so `run` loads no HTTP stack.
 *
 *     node --import tsx server/tools/build-server.ts     # also part of `npm run build` and `npm install`
 */
import { mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { basename, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'esbuild';
import { ZOD_LOCALES_STUB } from '../../editor/build.ts';
import { MANIFEST_FILE, SERVER_DIST_DIR, compiledEntry, type BuildManifest } from '../bin/compiled-entry.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const ENTRY = 'server/cli/main.ts';
/** Where the server's sources live (`start` imports editor/build.ts to rebuild a stale editor). */
const SOURCE_DIRS = ['server', 'nodes', 'editor'];
/**
 * The packages every command loads, bundled with our code: one file parses far faster than the
 * hundreds of files they are in node_modules, which Node resolves, reads and (CommonJS) scans
 * one by one. Measured on `topicflow run` (CPU until running, compiled, 3 runs): 1 rule
 * 520-740 -> 300-360 ms and 90 -> 74 MB; 1,000 rules 850-1,060 -> 770-810 ms. The HTTP stack
 * stays in node_modules: bundling it gained no memory and only `start` loads it.
 */
const BUNDLED_PACKAGES: ReadonlySet<string> = new Set(['mqtt', 'zod', 'jsonata']);
/** Bundled CommonJS packages (mqtt) call require() for Node's modules; an ES module has no require of its own. */
const REQUIRE_SHIM = "import { createRequire as __topicflowCreateRequire } from 'node:module'; const require = __topicflowCreateRequire(import.meta.url);";
const DEPENDENCY_FILES = ['package.json', 'package-lock.json'];
const OLD_BUILD_MS = 10 * 60_000;
const THIS_SCRIPT = 'server/tools/build-server.ts';
const BUILD_OUTPUTS = [`${SERVER_DIST_DIR}/`, 'editor/dist/'];

export interface ServerBuildReport {
  readonly ms: number;
  readonly files: number;
  readonly bytes: number;
}

/** True when server/dist is missing or older than a source it was built from. */
export function serverIsStale(root = ROOT): boolean {
  return !compiledEntry(root).ok;
}

/**
 * Bundle the server into a folder of its own under `<root>/server/dist`, then point the
 * manifest at it. The manifest is written last and atomically, so a process starting meanwhile
 * runs the old build or the sources, never half of the new one; and two builds at once (two
 * test runs) never delete each other's files.
 */
export async function buildServer(root = ROOT): Promise<ServerBuildReport> {
  const begin = performance.now();
  const esbuild = await import('esbuild');
  const dist = join(root, SERVER_DIST_DIR);
  const folder = `build-${Date.now().toString(36)}-${process.pid}`;
  const outdir = join(dist, folder);
  // Stat the sources before bundling: one edited during the build then looks changed, and the
  // build it went into is never taken for fresh.
  const before = statSources(root);
  const result = await esbuild.build({
    absWorkingDir: root,
    entryPoints: [join(root, ENTRY)],
    bundle: true,
    splitting: true,
    banner: { js: REQUIRE_SHIM },
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outdir,
    entryNames: '[name]-[hash]',
    sourcemap: true,
    metafile: true,
    write: false,
    logLevel: 'warning',
    // English alone, as in the editor: the server's messages are English too.
    plugins: [sourceLocationOfImportMeta(outdir), quietDebug(root), bundleOnly(BUNDLED_PACKAGES), ZOD_LOCALES_STUB],
  });
  mkdirSync(outdir, { recursive: true });
  let bytes = 0;
  for (const file of result.outputFiles) {
    writeFileSync(file.path, file.contents);
    bytes += file.contents.length;
  }
  const entry = Object.entries(result.metafile.outputs).find(([, output]) => output.entryPoint === ENTRY)?.[0];
  if (!entry) throw new Error(`esbuild produced no output for ${ENTRY}`);
  const inputs: BuildManifest['inputs'] = {};
  for (const input of Object.keys(result.metafile.inputs)) {
    if (input.includes('node_modules/')) continue;
    // A module this script makes up (quiet-debug): the build is stale when the script changes.
    const seen = before.get(input.startsWith('quiet-debug:') ? THIS_SCRIPT : input);
    if (!seen) throw new Error(`${input} is outside the folders the build watches (${SOURCE_DIRS.join(', ')})`);
    inputs[input.startsWith('quiet-debug:') ? THIS_SCRIPT : input] = seen;
  }
  // The bundled packages come from node_modules: a changed lock file means they may have changed.
  for (const file of DEPENDENCY_FILES) {
    const seen = before.get(file);
    if (seen) inputs[file] = seen;
  }
  const manifest: BuildManifest = { entry: `${folder}/${basename(entry)}`, inputs };
  const temp = join(dist, `${MANIFEST_FILE}.${process.pid}.tmp`);
  writeFileSync(temp, `${JSON.stringify(manifest, null, 1)}\n`);
  renameSync(temp, join(dist, MANIFEST_FILE));
  removeOldBuilds(dist, folder);
  return { ms: performance.now() - begin, files: result.outputFiles.length, bytes };
}

/** mtime and size of every source file the server may import, by project-relative path. */
function statSources(root: string): Map<string, { mtimeMs: number; size: number }> {
  const out = new Map<string, { mtimeMs: number; size: number }>();
  for (const dir of SOURCE_DIRS) {
    for (const entry of readdirSync(join(root, dir), { recursive: true, encoding: 'utf8' })) {
      const path = `${dir}/${entry.split(sep).join('/')}`;
      if (BUILD_OUTPUTS.some((out) => path.startsWith(out))) continue;
      const stat = statSync(join(root, path));
      if (stat.isFile()) out.set(path, { mtimeMs: stat.mtimeMs, size: stat.size });
    }
  }
  for (const file of DEPENDENCY_FILES) {
    const stat = statSync(join(root, file), { throwIfNoEntry: false });
    if (stat) out.set(file, { mtimeMs: stat.mtimeMs, size: stat.size });
  }
  return out;
}

/**
 * Earlier builds, once they are old enough that no process can still be starting from one (a
 * running one has loaded every chunk it needs: only the CLI's command dispatch imports lazily).
 */
function removeOldBuilds(dist: string, current: string): void {
  const cutoff = Date.now() - OLD_BUILD_MS;
  for (const name of readdirSync(dist)) {
    if (name === current || name === MANIFEST_FILE) continue;
    const path = join(dist, name);
    if (statSync(path).mtimeMs < cutoff) rmSync(path, { force: true, recursive: true });
  }
}

/** A package our sources import stays in node_modules unless it is in `bundled`; what a bundled package imports is bundled with it. */
function bundleOnly(bundled: ReadonlySet<string>): Plugin {
  return {
    name: 'bundle-only',
    setup(build) {
      build.onResolve({ filter: /^[^./]/ }, (args) => {
        if (args.importer.includes(`${sep}node_modules${sep}`)) return undefined;
        if (args.path.startsWith('node:')) return { path: args.path, external: true };
        const name = args.path.startsWith('@') ? args.path.split('/').slice(0, 2).join('/') : args.path.split('/')[0]!;
        return bundled.has(name) ? undefined : { path: args.path, external: true };
      });
    },
  };
}

/**
 * What bundled code gets for `require('debug')`: the real package when DEBUG is set as the
 * process starts (so `DEBUG=mqttjs* topicflow run …` logs as it always did), otherwise a logger
 * that does nothing. mqtt.js and mqtt-packet call their loggers about a dozen times per packet;
 * switched off, each call still built an argument array and ran an `enabled` getter.
 */
const QUIET_DEBUG = `
function off() {}
off.enabled = false;
off.namespace = '';
off.log = off;
off.destroy = off;
off.extend = function () { return off; };
function createDebug() { return off; }
createDebug.enable = off;
createDebug.disable = function () { return ''; };
createDebug.enabled = function () { return false; };
createDebug.default = createDebug;
module.exports = process.env.DEBUG ? require('debug') : createDebug;
`;

function quietDebug(root: string): Plugin {
  const namespace = 'quiet-debug';
  return {
    name: namespace,
    setup(build) {
      build.onResolve({ filter: /^debug$/ }, (args) => {
        if (args.namespace !== namespace) return { path: 'debug', namespace };
        // The stand-in's own require: the real package, bundled as before (run only if required).
        return { path: createRequire(join(root, 'node_modules/mqtt/package.json')).resolve('debug') };
      });
      build.onLoad({ filter: /.*/, namespace }, () => ({ contents: QUIET_DEBUG, loader: 'js', resolveDir: root }));
    },
  };
}

/**
 * Modules find files next to their source (flows/, editor/dist) through `import.meta.url`. In
 * a bundle that would be the chunk's URL, so each source's `import.meta.url` is rewritten to
 * the URL of the source file itself, expressed relative to the chunk (all chunks sit in
 * `outdir`): every path computed from it stays what it is when the sources run.
 */
function sourceLocationOfImportMeta(outdir: string): Plugin {
  return {
    name: 'source-location-of-import-meta',
    setup(build) {
      build.onLoad({ filter: /\.[jt]s$/ }, async (args) => {
        if (args.path.includes(`${sep}node_modules${sep}`)) return undefined;
        const source = await readFile(args.path, 'utf8');
        if (!source.includes('import.meta.url')) return undefined;
        const fromChunk = relative(outdir, args.path).split(sep).join('/');
        return {
          contents: source.replaceAll('import.meta.url', `new URL(${JSON.stringify(fromChunk)}, import.meta.url).href`),
          loader: args.path.endsWith('.ts') ? 'ts' : 'js',
        };
      });
    },
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const report = await buildServer();
  process.stdout.write(`server built in ${report.ms.toFixed(0)} ms: ${report.files} files, ${(report.bytes / 1024).toFixed(0)} KB in ${SERVER_DIST_DIR}\n`);
}
