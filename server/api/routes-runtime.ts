import { Router } from 'express';
import type { FlowRuntime } from '../app/flow-runtime.ts';
import { NotFoundError } from '../app/http-errors.ts';
import { injectBody, parseBody } from './request-schemas.ts';

/** `/api/nodes/:id/inject` and `/api/topics`: poking the running flow and seeing the broker. */
export function runtimeRoutes(runtime: FlowRuntime): Router {
  const router = Router();

  router.post('/nodes/:id/inject', (req, res) => {
    const { payload, topic } = parseBody(injectBody, req.body);
    if (!runtime.engine.inject(req.params.id, payload, topic)) {
      throw new NotFoundError(`there is no running node "${req.params.id}" that takes a test message`);
    }
    res.json({ ok: true });
  });

  router.get('/topics', (req, res) => {
    const broker = typeof req.query['broker'] === 'string' ? req.query['broker'] : undefined;
    res.json(runtime.topics.list(broker));
  });

  return router;
}
