import type { Problem } from '../../../nodes/errors.ts';
import type { ApiErrorBody, DeployReply, ExampleInfo, FlowsReply, RevisionInfo, SeenTopic, ValidateReply } from '../../../nodes/protocol.ts';

/** An error reply of the API, with its status, code and details. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }

  /** The problems a 400/422 carries (node id, field path, message). */
  get problems(): Problem[] {
    return Array.isArray(this.details) ? (this.details as Problem[]) : [];
  }
}

async function call<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
  const response = await fetch(path, {
    method,
    credentials: 'same-origin',
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  const json: unknown = text ? JSON.parse(text) : undefined;
  if (!response.ok) {
    const error = (json as ApiErrorBody | undefined)?.error;
    throw new ApiError(response.status, error?.code ?? 'http', error?.message ?? `${response.status} ${response.statusText}`, error?.details);
  }
  return json as T;
}

export interface SessionReply {
  authRequired: boolean;
  loggedIn: boolean;
  user?: string;
}

export type { ExampleInfo };

/** Every call the editor makes to the server. */
export const api = {
  session: () => call<SessionReply>('GET', '/api/session'),
  login: (username: string, password: string) => call<{ ok: true; user?: string }>('POST', '/api/login', { username, password }),
  logout: () => call<unknown>('POST', '/api/logout', {}),
  getFlows: () => call<FlowsReply>('GET', '/api/flows'),
  /** Deploy; `rev` is the revision the edit was based on (null: first deploy, '*' overwrite). */
  deploy: (document: unknown, rev: string | null) =>
    call<DeployReply>('PUT', '/api/flows', document, rev ? { 'If-Match': `"${rev}"` } : {}),
  validate: (document: unknown) => call<ValidateReply>('POST', '/api/flows/validate', document),
  revisions: () => call<RevisionInfo[]>('GET', '/api/flows/revisions'),
  rollback: (rev: string) => call<DeployReply>('POST', '/api/flows/rollback', { rev }),
  setCredentials: (brokerId: string, secrets: { password?: string; passphrase?: string }) =>
    call<{ hasPassword: boolean; hasPassphrase: boolean }>('PUT', `/api/credentials/${encodeURIComponent(brokerId)}`, secrets),
  inject: (nodeId: string, payload?: unknown, topic?: string) =>
    call<{ ok: true }>('POST', `/api/nodes/${encodeURIComponent(nodeId)}/inject`, { ...(payload === undefined ? {} : { payload }), ...(topic ? { topic } : {}) }),
  topics: (broker?: string) => call<SeenTopic[]>('GET', `/api/topics${broker ? `?broker=${encodeURIComponent(broker)}` : ''}`),
  examples: () => call<ExampleInfo[]>('GET', '/api/examples'),
  example: (file: string) => call<unknown>('GET', `/api/examples/${encodeURIComponent(file)}`),
  /** Convert a Node-RED export or check a topicflow document for import (never deploys). */
  importFlow: (body: unknown) => call<unknown>('POST', '/api/import', body),
};
