import { existsSync } from 'node:fs';
import express, { type Express } from 'express';
import type { FlowRuntime } from '../app/flow-runtime.ts';
import { NotFoundError } from '../app/http-errors.ts';
import type { Logger } from '../log.ts';
import type { CredentialStore } from '../storage/credential-store.ts';
import type { AuthService } from './auth.ts';
import { authRoutes, isAuthorized, requireAuth } from './auth.ts';
import { errorMiddleware } from './error-middleware.ts';
import { editorFiles } from './editor-files.ts';
import { metricsHandler } from './metrics.ts';
import { examplesRoutes } from './routes-examples.ts';
import { flowsRoutes, keepJsonBody } from './routes-flows.ts';
import { importRoutes } from './routes-import.ts';
import { runtimeRoutes } from './routes-runtime.ts';
import { loopbackHostOnly, securityMiddleware } from './security.ts';

export const BODY_LIMIT = '5mb';

export interface AppOptions {
  readonly runtime: FlowRuntime;
  readonly credentials: CredentialStore;
  /** Admin login; undefined when auth is off (loopback only, or --insecure). */
  readonly auth: AuthService | undefined;
  /** Serving beyond loopback without a login, knowingly (`--insecure`). */
  readonly insecure?: boolean;
  /** Folder of the editor's static bundle. */
  readonly editorDir: string;
  readonly logger: Logger;
}

/** The HTTP surface: the API under /api, health and metrics, and the editor's files. */
export function createApp(options: AppOptions): Express {
  const { runtime, auth } = options;
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  // Without a login only loopback Host names are answered (DNS rebinding), unless --insecure.
  if (!auth && !options.insecure) app.use(loopbackHostOnly);
  app.use(...securityMiddleware());

  app.get('/healthz', (_req, res) => {
    const brokers = runtime.pool.stats().map((c) => ({ id: c.brokerId, state: c.stats.state, queued: c.stats.queued }));
    res.json({ ok: true, rev: runtime.current().rev, brokers });
  });
  app.get('/metrics', requireAuth(auth), metricsHandler(runtime));

  const api = express.Router();
  api.use(express.json({ limit: BODY_LIMIT, strict: false, verify: keepJsonBody }));
  api.use(authRoutes(auth));
  api.use(requireAuth(auth));
  api.use(flowsRoutes(runtime, options.credentials));
  api.use(importRoutes(runtime, options.credentials));
  api.use(runtimeRoutes(runtime));
  api.use(examplesRoutes());
  api.use((req) => {
    throw new NotFoundError(`no API route ${req.method} ${req.path}`);
  });
  app.use('/api', api);

  if (existsSync(options.editorDir)) {
    app.use(...editorFiles(options.editorDir, (req) => isAuthorized(auth, req)));
  } else {
    // Until the editor bundle is built, the root says what is running and where the API is.
    app.get('/', (_req, res) => {
      res.type('html').send(
        '<!doctype html><meta charset="utf-8"><title>topicflow</title>' +
          '<h1>topicflow is running</h1><p>The flow runs; the API is under <code>/api</code> ' +
          '(<a href="/api/flows">/api/flows</a>, <a href="/api/topics">/api/topics</a>, <a href="/healthz">/healthz</a>, <a href="/metrics">/metrics</a>).</p>',
      );
    });
  }
  app.use(errorMiddleware(options.logger));
  return app;
}
