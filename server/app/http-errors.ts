import type { Problem } from '../../nodes/errors.ts';

/** The write was based on an older revision than the one running (HTTP 409). */
export class ConflictError extends Error {
  override readonly name = 'ConflictError';
  constructor(message: string, readonly currentRev: string | null) {
    super(message);
  }
}

/** The thing asked for does not exist (HTTP 404). */
export class NotFoundError extends Error {
  override readonly name = 'NotFoundError';
}

/** The document was valid but could not be started; the previous flow keeps running (HTTP 422). */
export class DeployFailedError extends Error {
  override readonly name = 'DeployFailedError';
  constructor(message: string, readonly problems: readonly Problem[] = []) {
    super(message);
  }
}

/** Login required or refused (HTTP 401), or too many attempts (HTTP 429 with retryAfter). */
export class AuthError extends Error {
  override readonly name = 'AuthError';
  constructor(message: string, readonly status: 401 | 403 | 429 = 401, readonly retryAfterSeconds?: number) {
    super(message);
  }
}
