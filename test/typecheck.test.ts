import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { it } from 'node:test';

const ROOT = join(import.meta.dirname, '..');
const TSC = join(ROOT, 'node_modules', '.bin', 'tsc');

// Two projects: the server side (Node types) and the editor (DOM types, no Node).
for (const [project, what] of [['.', 'the server, nodes and tests'], ['editor', 'the editor']] as const) {
  it(`${what} type-check (tsc --noEmit, strict)`, { timeout: 120_000 }, async () => {
    const result = await new Promise<{ code: number; output: string }>((resolve) => {
      execFile(TSC, ['--noEmit', '-p', join(ROOT, project)], { cwd: ROOT, timeout: 110_000 }, (error, stdout, stderr) => {
        resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, output: `${stdout}${stderr}` });
      });
    });
    assert.equal(result.code, 0, result.output);
  });
}
