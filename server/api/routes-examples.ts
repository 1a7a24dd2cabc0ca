import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Router } from 'express';
import type { ExampleInfo } from '../../nodes/protocol.ts';
import { NotFoundError } from '../app/http-errors.ts';

export const FLOWS_DIR = fileURLToPath(new URL('../../flows', import.meta.url));

const EXAMPLE_FILE = /^[a-z0-9-]+\.json$/;

/** The example flows shipped in flows/, for the editor's "Examples" in its import dialog. */
export function examplesRoutes(dir = FLOWS_DIR): Router {
  const router = Router();

  router.get('/examples', async (_req, res) => {
    const files = (await readdir(dir)).filter((f) => EXAMPLE_FILE.test(f) && f !== 'topicflow.schema.json').sort();
    const examples: ExampleInfo[] = [];
    for (const file of files) {
      const doc = JSON.parse(await readFile(join(dir, file), 'utf8')) as { name?: string; description?: string; devices?: string[]; nodes?: unknown[] };
      examples.push({ file, name: doc.name ?? file, description: doc.description ?? '', devices: doc.devices ?? [], nodeCount: doc.nodes?.length ?? 0 });
    }
    res.json(examples);
  });

  router.get('/examples/:file', async (req, res) => {
    const file = req.params.file;
    // Only plain names of shipped files: never a path that could leave flows/.
    if (!EXAMPLE_FILE.test(file) || file === 'topicflow.schema.json') throw new NotFoundError(`there is no example "${file}"`);
    const text = await readFile(join(dir, file), 'utf8').catch(() => {
      throw new NotFoundError(`there is no example "${file}"`);
    });
    res.type('json').send(text);
  });

  return router;
}
