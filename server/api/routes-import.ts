import { Router } from 'express';
import { z } from 'zod';
import { dotted } from '../../nodes/document/validate.ts';
import { UserInputError } from '../../nodes/errors.ts';
import type { FlowRuntime } from '../app/flow-runtime.ts';
import { parseImportBody, runImport } from '../import/import-service.ts';
import type { CredentialStore } from '../storage/credential-store.ts';

/**
 * `POST /api/import`: convert a Node-RED export or read a topicflow document, merge it into the
 * deployed flow (or `base`), and answer with the converted document, the report, the merged
 * document and its validation. It never deploys: the editor shows the preview and deploys the
 * merged document with `PUT /api/flows` (If-Match: `merged.baseRev`).
 *
 * Body: `{ "source": <export or document>, "mode": "preview" | "merge" | "replace", "base"?: <document> }`,
 * or the export or document itself (mode `preview`).
 */
export function importRoutes(runtime: FlowRuntime, credentials: CredentialStore): Router {
  const router = Router();
  router.post('/import', async (req, res) => {
    let request;
    try {
      request = parseImportBody(req.body);
    } catch (error) {
      if (!(error instanceof z.ZodError)) throw error;
      throw new UserInputError(
        'the import request is not valid',
        error.issues.map((i) => ({ code: 'body.invalid', path: dotted(i.path), message: `${dotted(i.path) || 'body'}: ${i.message}` })),
      );
    }
    res.json(await runImport(request, runtime.current(), credentials));
  });
  return router;
}
