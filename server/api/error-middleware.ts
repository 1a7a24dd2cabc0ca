import type { ErrorRequestHandler } from 'express';
import { ensureError, OperationalError, UserInputError } from '../../nodes/errors.ts';
import type { ApiErrorBody } from '../../nodes/protocol.ts';
import { AuthError, ConflictError, DeployFailedError, NotFoundError } from '../app/http-errors.ts';
import type { Logger } from '../log.ts';

/** Status, code and details for an error, by who must act on it. */
export function describeError(error: Error): { status: number; body: ApiErrorBody; retryAfter?: number } {
  const body = (code: string, details?: unknown): ApiErrorBody => ({
    error: { code, message: error.message, ...(details === undefined ? {} : { details }) },
  });
  if (error instanceof UserInputError) return { status: 400, body: body('invalid', error.problems.length ? error.problems : undefined) };
  if (error instanceof ConflictError) return { status: 409, body: body('conflict', { rev: error.currentRev }) };
  if (error instanceof NotFoundError) return { status: 404, body: body('not-found') };
  if (error instanceof DeployFailedError) return { status: 422, body: body('deploy-failed', error.problems) };
  if (error instanceof AuthError) {
    const code = error.status === 429 ? 'too-many-attempts' : error.status === 403 ? 'forbidden' : 'unauthorized';
    return { status: error.status, body: body(code), ...(error.retryAfterSeconds ? { retryAfter: error.retryAfterSeconds } : {}) };
  }
  if (error instanceof OperationalError) return { status: 503, body: body('unavailable') };
  // body-parser's own errors carry a status and a type.
  const parser = error as Error & { status?: number; type?: string };
  if (parser.type === 'entity.parse.failed') return { status: 400, body: { error: { code: 'bad-json', message: `the request body is not valid JSON: ${error.message}` } } };
  if (parser.type === 'entity.too.large') return { status: 413, body: { error: { code: 'too-large', message: 'the request body is larger than the limit (5 MB)' } } };
  if (parser.status && parser.status >= 400 && parser.status < 500) return { status: parser.status, body: body('bad-request') };
  return { status: 500, body: { error: { code: 'internal', message: 'unexpected server error; it has been logged' } } };
}

/** One shape for every error reply: `{ error: { code, message, details? } }`. */
export function errorMiddleware(logger: Logger): ErrorRequestHandler {
  return (raw, _req, res, _next) => {
    const error = ensureError(raw);
    const { status, body, retryAfter } = describeError(error);
    if (status >= 500) logger.error(`${status} ${error.stack ?? error.message}`);
    if (retryAfter) res.setHeader('Retry-After', String(retryAfter));
    res.status(status).json(body);
  };
}
