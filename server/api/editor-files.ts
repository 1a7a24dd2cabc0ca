import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import express, { type Request, type RequestHandler } from 'express';

/** Files the editor build also writes as `.br` and `.gz` (editor/build.ts, COMPRESSED_FILES). */
const PRECOMPRESSED = new Set(['/app.js', '/app.css']);
const ENCODING_SUFFIX = { br: '.br', gzip: '.gz' } as const;
const CONTENT_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

/**
 * Tells the browser to fetch the flow while it is still loading the bundle. The editor asks for
 * `/api/flows` the same way as soon as it runs (editor/src/lib/boot.ts) and gets this reply.
 */
const PRELOAD_FLOWS = '<link rel="preload" href="/api/flows" as="fetch" crossorigin="anonymous" />';

/**
 * The editor's static files. The bundle goes out brotli- or gzip-compressed when the browser
 * takes it: made once by the build, so serving costs nothing (the 930 KB app.js is ~270 KB as
 * brotli, which matters to a tablet on Wi-Fi talking to a Raspberry Pi). The page asks the
 * browser to preload the flow when `mayReadFlows(req)` (no login needed, or logged in), so the
 * request and the bundle's download overlap; otherwise the preload would be a refused request.
 */
export function editorFiles(dir: string, mayReadFlows: (req: Request) => boolean): RequestHandler[] {
  const page: RequestHandler = (req, res, next) => {
    if (req.method !== 'GET' || (req.path !== '/' && req.path !== '/index.html')) return next();
    readFile(join(dir, 'index.html'), 'utf8').then((html) => {
      res.setHeader('Cache-Control', 'no-cache');
      res.type('html').send(mayReadFlows(req) ? html.replace('</head>', `    ${PRELOAD_FLOWS}\n  </head>`) : html);
    }, next);
  };
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
  return [page, pickCompressed, express.static(dir, { index: 'index.html', maxAge: '1h' })];
}
