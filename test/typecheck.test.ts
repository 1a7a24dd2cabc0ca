import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { it } from 'node:test';

const ROOT = join(import.meta.dirname, '..');

for (const project of ['.', 'editor']) {
it(`${project === '.' ? 'the server, nodes and tests' : 'the editor'} type-check (tsc --noEmit, strict)`, { timeout: 120_000 }, async () => {
  const tsc = join(ROOT, 'node_modules', '.bin', 'tsc');
  const result = await new Promise<{ code: number; output: string }>((resolve) => {
    execFile(tsc, ['--noEmit', '-p', join(ROOT, project)], { cwd: ROOT, timeout: 110_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, output: `${stdout}${stderr}` });
    });
  });
  assert.equal(result.code, 0, result.output);
});
}
