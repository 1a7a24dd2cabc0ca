/**
 * `npm run build` (also run by `npm install`): compiles the server into server/dist and bundles
 * the editor into editor/dist, printing what each took.
 */
import { buildEditor } from '../../editor/build.ts';
import { buildServer } from './build-server.ts';

const server = await buildServer();
process.stdout.write(`server built in ${server.ms.toFixed(0)} ms (${server.files} files, ${(server.bytes / 1024).toFixed(0)} KB in server/dist)\n`);
const editor = await buildEditor();
for (const f of editor.files) {
  process.stdout.write(`editor/dist/${f.file}: ${(f.bytes / 1024).toFixed(0)} KB (${(f.gzipBytes / 1024).toFixed(0)} KB gzip, ${(f.brotliBytes / 1024).toFixed(0)} KB brotli)\n`);
}
process.stdout.write(`editor built in ${editor.ms.toFixed(0)} ms\n`);
