/**
 * The page's first requests, started as soon as the bundle starts running (main.tsx imports
 * this module first, so they go out before React, React Flow and the node schemas are
 * evaluated, and the server answers while they are): the session, and right behind it (when no
 * login is needed) the flow. On a big flow this takes the request round trips and the bundle's
 * evaluation off the time to a drawn canvas. Each prefetched reply is handed out once; later
 * callers fetch afresh. The flow waits for the session: asked for without a login it would
 * answer 401, which the browser reports as an error.
 */
import type { FlowsReply } from '../../../nodes/protocol.ts';
import { api, type SessionReply } from './api.ts';

let session: Promise<SessionReply> | undefined;
let flows: Promise<FlowsReply | undefined> | undefined;

function startBoot(): void {
  session = api.session();
  flows = session.then(
    (reply) => (!reply.authRequired || reply.loggedIn ? api.getFlows() : undefined),
    () => undefined,
  );
  // Not taken (no editor shown) or failed: never an unhandled rejection; the taker still sees it.
  flows.catch(() => undefined);
}

/** The session reply (the prefetched one the first time). */
export function takeSession(): Promise<SessionReply> {
  const reply = session ?? api.session();
  session = undefined;
  return reply;
}

/** The flow (the prefetched one the first time, when there is one). */
export function takeFlows(): Promise<FlowsReply> {
  const early = flows;
  flows = undefined;
  return early ? early.then((reply) => reply ?? api.getFlows()) : api.getFlows();
}

// Only in a page (unit tests import the components under Node).
if (typeof document !== 'undefined') startBoot();
