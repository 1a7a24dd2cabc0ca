#!/usr/bin/env node
// Entry of `npx topicflow` and `npm start`. It runs the compiled bundle that `npm install` (and
// `npm run build`) made, when that is up to date with the sources: no TypeScript loader in the
// process, which starts it in a fraction of the time and with ~30 MB less memory. After an
// edit or a `git pull`, until the next build, it runs the TypeScript sources through tsx, so
// nothing ever runs older code than the checkout holds.
import { fileURLToPath, pathToFileURL } from 'node:url';
import { compiledEntry } from './compiled-entry.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const compiled = compiledEntry(root);
// TOPICFLOW_SHOW_LOADER=1 says which one runs (tests use it; so can a puzzled developer).
const show = process.env['TOPICFLOW_SHOW_LOADER'] === '1';
if (compiled.ok) {
  if (show) process.stderr.write('topicflow: running the compiled build\n');
  await import(pathToFileURL(compiled.file).href);
} else {
  if (show) process.stderr.write(`topicflow: running the sources through tsx (${compiled.reason})\n`);
  const { register } = await import('tsx/esm/api');
  register();
  await import('../cli/main.ts');
}
