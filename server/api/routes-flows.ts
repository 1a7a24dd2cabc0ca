import type { IncomingMessage } from 'node:http';
import { Router } from 'express';
import type { FlowsReply, ValidateReply } from '../../nodes/protocol.ts';
import type { FlowRuntime } from '../app/flow-runtime.ts';
import type { CredentialStore } from '../storage/credential-store.ts';
import { credentialsBody, parseBody, rollbackBody } from './request-schemas.ts';

/** The bytes of each UTF-8 JSON request body, as received (see keepJsonBody). */
const receivedJson = new WeakMap<IncomingMessage, Uint8Array>();

/**
 * `verify` of the API's JSON body parser: keeps a UTF-8 body's bytes beside the request, so
 * a deploy stores the text it received instead of serialising the parsed document again.
 */
export function keepJsonBody(req: IncomingMessage, _res: unknown, body: Buffer, encoding: string | null): void {
  if (encoding !== null && /^utf-?8$/i.test(encoding)) receivedJson.set(req, body);
}

/** `/api/flows…` and `/api/credentials…`: the document, deploys, revisions and broker secrets. */
export function flowsRoutes(runtime: FlowRuntime, credentials: CredentialStore): Router {
  const router = Router();

  router.get('/flows', (_req, res) => {
    const { rev, document } = runtime.current();
    const brokers = Array.isArray((document as { brokers?: unknown })?.brokers) ? (document as { brokers: { id?: unknown }[] }).brokers : [];
    const secrets: FlowsReply['credentials'] = {};
    for (const b of brokers) if (typeof b.id === 'string') secrets[b.id] = credentials.describe(b.id);
    const reply: FlowsReply = { rev, document, credentials: secrets };
    if (rev) res.setHeader('ETag', `"${rev}"`);
    res.json(reply);
  });

  router.put('/flows', async (req, res) => {
    const ifMatch = req.get('If-Match')?.replace(/^W\//, '').replace(/^"|"$/g, '');
    res.json(await runtime.deploy(req.body, ifMatch, undefined, receivedJson.get(req)));
  });

  router.post('/flows/validate', (req, res) => {
    const result = runtime.validate(req.body);
    const reply: ValidateReply = { ok: result.ok, errors: [...result.errors], warnings: [...result.warnings] };
    res.json(reply);
  });

  router.get('/flows/revisions', (_req, res) => {
    res.json(runtime.revisions());
  });

  router.post('/flows/rollback', async (req, res) => {
    const { rev } = parseBody(rollbackBody, req.body);
    res.json(await runtime.rollback(rev));
  });

  router.put('/credentials/:brokerId', async (req, res) => {
    const secrets = parseBody(credentialsBody, req.body);
    await credentials.set(req.params.brokerId, secrets);
    res.json(credentials.describe(req.params.brokerId));
  });

  router.delete('/credentials/:brokerId', async (req, res) => {
    await credentials.delete(req.params.brokerId);
    res.json(credentials.describe(req.params.brokerId));
  });

  return router;
}
