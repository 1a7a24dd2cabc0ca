import { copyFile, mkdir, readdir, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants as zlib, gzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';

export const EDITOR_ROOT = fileURLToPath(new URL('.', import.meta.url));
export const EDITOR_DIST = join(EDITOR_ROOT, 'dist');
const SHARED = fileURLToPath(new URL('../nodes', import.meta.url));

/**
 * zod's `z.locales` namespace pulls every language's messages into the bundle (about 260 KB
 * minified, a fifth of it), all parsed and evaluated before the editor can draw anything. The
 * editor only ever shows English messages (zod registers `en` as its default by itself), so the
 * namespace is built with English alone.
 */
export const ZOD_LOCALES_STUB: import('esbuild').Plugin = {
  name: 'zod-english-only',
  setup(build) {
    build.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
      /[\\/]node_modules[\\/]zod[\\/]/.test(args.importer) ? { path: join(args.resolveDir, '..', 'locales', 'en.js'), namespace: 'zod-locales' } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'zod-locales' }, (args) => ({
      contents: `export { default as en } from ${JSON.stringify(args.path)};`,
      resolveDir: dirname(args.path),
      loader: 'js',
    }));
  },
};

/** The bundle's files that are also written gzip- and brotli-compressed (`app.js.gz`, `app.js.br`). */
export const COMPRESSED_FILES = ['app.js', 'app.css'] as const;

export interface BuildReport {
  readonly files: { file: string; bytes: number; gzipBytes: number; brotliBytes: number }[];
  readonly ms: number;
}

/** Bundle the editor (React, React Flow, the shared node schemas) into editor/dist. */
export async function buildEditor(options: { minify?: boolean; outdir?: string } = {}): Promise<BuildReport> {
  const outdir = options.outdir ?? EDITOR_DIST;
  const begin = performance.now();
  // Loaded here, not at the top: the server imports this module only to check freshness.
  const esbuild = await import('esbuild');
  await mkdir(outdir, { recursive: true });
  await esbuild.build({
    entryPoints: [join(EDITOR_ROOT, 'src', 'main.tsx')],
    bundle: true,
    format: 'esm',
    target: 'es2022',
    platform: 'browser',
    minify: options.minify ?? true,
    sourcemap: true,
    outdir,
    entryNames: 'app',
    jsx: 'automatic',
    loader: { '.css': 'css' },
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'warning',
    legalComments: 'none',
    plugins: [ZOD_LOCALES_STUB],
  });
  await copyFile(join(EDITOR_ROOT, 'index.html'), join(outdir, 'index.html'));
  const files = [];
  for (const file of COMPRESSED_FILES) {
    const bytes = readFileSync(join(outdir, file));
    // Compressed once here, so the server sends them as they are (see server/api/editor-files.ts).
    const gzip = gzipSync(bytes, { level: 9 });
    const brotli = brotliCompressSync(bytes, { params: { [zlib.BROTLI_PARAM_QUALITY]: 9, [zlib.BROTLI_PARAM_SIZE_HINT]: bytes.length } });
    await writeFile(join(outdir, `${file}.gz`), gzip);
    await writeFile(join(outdir, `${file}.br`), brotli);
    files.push({ file, bytes: bytes.length, gzipBytes: gzip.length, brotliBytes: brotli.length });
  }
  await writeFile(join(outdir, '.built'), new Date().toISOString());
  return { files, ms: performance.now() - begin };
}

/** True when a source file of the editor (or the shared nodes/) is newer than the bundle. */
export async function editorIsStale(outdir = EDITOR_DIST): Promise<boolean> {
  let built: number;
  try {
    built = (await stat(join(outdir, '.built'))).mtimeMs;
  } catch {
    return true;
  }
  for (const dir of [join(EDITOR_ROOT, 'src'), SHARED]) {
    for (const file of await readdir(dir, { recursive: true })) {
      if ((await stat(join(dir, file))).mtimeMs > built) return true;
    }
  }
  return (await stat(join(EDITOR_ROOT, 'index.html'))).mtimeMs > built;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const report = await buildEditor();
  for (const f of report.files) {
    process.stdout.write(`editor/dist/${f.file}: ${(f.bytes / 1024).toFixed(0)} KB (${(f.gzipBytes / 1024).toFixed(0)} KB gzip, ${(f.brotliBytes / 1024).toFixed(0)} KB brotli)\n`);
  }
  process.stdout.write(`editor built in ${report.ms.toFixed(0)} ms\n`);
}
