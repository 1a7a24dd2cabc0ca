import { existsSync } from 'node:fs';
import { extname, join } from 'node:path';
import express, { type RequestHandler } from 'express';

/** Files the editor build also writes as `.br` and `.gz` (editor/build.ts, COMPRESSED_FILES). */
const PRECOMPRESSED = new Set(['/app.js', '/app.css']);
const ENCODING_SUFFIX = { br: '.br', gzip: '.gz' } as const;
const CONTENT_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

/**
 * The editor's static files. The bundle goes out brotli- or gzip-compressed when the browser
 * takes it: made once by the build, so serving costs nothing (the 930 KB app.js is ~270 KB as
 * brotli, which matters to a tablet on Wi-Fi talking to a Raspberry Pi).
 */
export function editorFiles(dir: string): RequestHandler[] {
  const pickCompressed: RequestHandler = (req, res, next) => {
    const path = req.path;
    if ((req.method !== 'GET' && req.method !== 'HEAD') || !PRECOMPRESSED.has(path)) return next();
    res.setHeader('Vary', 'Accept-Encoding');
    // Brotli first whenever it is taken at all: browsers list gzip before br at equal weight.
    const encoding = req.acceptsEncodings('br') ? 'br' : req.acceptsEncodings('gzip') ? 'gzip' : undefined;
    if (!encoding) return next();
    const suffix = ENCODING_SUFFIX[encoding];
    // An older build without compressed copies is served as it is.
    if (!existsSync(join(dir, path + suffix))) return next();
    req.url = path + suffix;
    res.setHeader('Content-Encoding', encoding);
    res.setHeader('Content-Type', CONTENT_TYPES[extname(path)]!);
    next();
  };
  return [pickCompressed, express.static(dir, { index: 'index.html', maxAge: '1h' })];
}
