import type { RequestHandler } from 'express';
import helmet from 'helmet';
import { AuthError } from '../app/http-errors.ts';

/** Methods that change something; only these are checked for a foreign Origin. */
const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Response headers for a same-origin single-page app. The policy is spelled out in full
 * (no helmet defaults) so that nothing is implied: in particular helmet's default
 * `upgrade-insecure-requests` would make browsers fetch the editor's own files over https
 * when it is opened as http://192.168.x.y:port, which is how most people reach it.
 */
const CONTENT_SECURITY_POLICY = {
  useDefaults: false,
  directives: {
    defaultSrc: ["'self'"],
    baseUri: ["'self'"],
    scriptSrc: ["'self'"],
    scriptSrcAttr: ["'none'"],
    // React Flow positions nodes and edges with inline style attributes.
    styleSrc: ["'self'", "'unsafe-inline'"],
    imgSrc: ["'self'", 'data:', 'blob:'],
    fontSrc: ["'self'", 'data:'],
    // ws: and wss: because socket.io's websocket is not covered by 'self' in every browser.
    connectSrc: ["'self'", 'ws:', 'wss:'],
    objectSrc: ["'none'"],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
  },
};

/**
 * Headers and the cross-site check, for `app.use(...securityMiddleware())` before any route.
 *
 * HSTS is off: this server speaks plain HTTP, browsers ignore the header over HTTP anyway,
 * and HSTS pins a host name for every port, so sent on https://localhost it would break
 * every other local http service for a year. A reverse proxy that terminates TLS for a real
 * host name is the right place to add it.
 */
export function securityMiddleware(): RequestHandler[] {
  const headers = helmet({
    contentSecurityPolicy: CONTENT_SECURITY_POLICY,
    strictTransportSecurity: false,
    // DENY rather than helmet's SAMEORIGIN: the editor is never framed, even by itself.
    xFrameOptions: { action: 'deny' },
  });
  return [headers, originCheck];
}

/**
 * Refuse state-changing requests sent by a page of another site (CSRF). Browsers send
 * `Origin` on every cross-origin POST/PUT/PATCH/DELETE, so comparing it with `Host` is
 * enough; `Sec-Fetch-Site` covers the rare browser that leaves Origin out. Requests with
 * neither header come from curl and scripts, which a web page cannot forge, so they pass.
 */
export const originCheck: RequestHandler = (req, _res, next) => {
  if (!STATE_CHANGING.has(req.method)) return next();
  const reason = crossSiteReason(req.get('origin'), req.get('host'), req.get('sec-fetch-site'));
  if (reason) throw new AuthError(reason, 403);
  next();
};

/**
 * Why a request (or socket.io handshake) with these headers comes from another site, or
 * undefined when it comes from this one or from no browser page at all.
 */
export function crossSiteReason(origin: string | undefined, host: string | undefined, fetchSite: string | undefined): string | undefined {
  if (origin !== undefined) {
    const shown = origin.length > 200 ? `${origin.slice(0, 200)}…` : origin;
    // Sandboxed frames, file:// pages and some redirects send the opaque origin "null".
    if (origin === 'null') return 'cross-site request refused (Origin null)';
    if (!sameHost(origin, host)) return `cross-site request refused (Origin ${shown} is not ${host ?? 'this server'})`;
    return undefined;
  }
  // same-site still means another page: another app on this host or a sibling subdomain.
  if (fetchSite === 'cross-site' || fetchSite === 'same-site') return `cross-site request refused (Sec-Fetch-Site: ${fetchSite})`;
  return undefined;
}

/** Whether the Origin's host[:port] is the Host header's, default ports normalised by the Origin's scheme. */
function sameHost(origin: string, host: string | undefined): boolean {
  if (!host) return false;
  try {
    const from = new URL(origin);
    if (from.protocol !== 'http:' && from.protocol !== 'https:') return false;
    // Parsing Host with the Origin's scheme makes `example:80` and `example` compare equal over http.
    const to = new URL(`${from.protocol}//${host}`);
    return from.host === to.host && to.pathname === '/' && !to.username && !to.password;
  } catch {
    return false;
  }
}

const LOOPBACK_HOST = /^(localhost|127\.\d{1,3}\.\d{1,3}\.\d{1,3}|\[::1\])(:\d{1,5})?$/i;

/**
 * Why a request without a login must be refused for its Host header, or undefined. With no
 * login, topicflow answers only to loopback names: a web page that rebinds its own domain to
 * 127.0.0.1 (DNS rebinding) sends its own domain as Host and is turned away.
 */
export function hostRefusal(host: string | undefined): string | undefined {
  if (host && LOOPBACK_HOST.test(host)) return undefined;
  return `Host "${host ?? ''}" is not this machine's loopback name; without a login topicflow answers only on localhost/127.0.0.1 (set an admin login to serve other names)`;
}

/** Express guard for {@link hostRefusal}. */
export const loopbackHostOnly: RequestHandler = (req, _res, next) => {
  const reason = hostRefusal(req.headers.host);
  if (reason) throw new AuthError(reason, 403);
  next();
};
