import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { Router, type Request, type RequestHandler, type Response } from 'express';
import type { Socket } from 'socket.io';
import { z } from 'zod';
import { UserInputError } from '../../nodes/errors.ts';
import { AuthError } from '../app/http-errors.ts';
import { parseBody } from './request-schemas.ts';
import { crossSiteReason } from './security.ts';

export const SESSION_COOKIE = 'topicflow_session';
export const SESSION_TTL_MS = 7 * 24 * 60 * 60 * 1000;

/** What `GET /api/session` answers. */
export interface SessionReply {
  authRequired: boolean;
  loggedIn: boolean;
  user?: string;
}

export interface AuthOptions {
  readonly user: string;
  /** bcrypt hash of the admin password. */
  readonly hash: string;
  /** Sessions kept at once; logging in beyond it ends the least recently used. */
  readonly maxSessions?: number;
  /** Failed (or in-flight) logins allowed per client within `failureWindowMs`. */
  readonly maxFailures?: number;
  readonly failureWindowMs?: number;
  /** Clock, for tests. */
  readonly now?: () => number;
}

interface Session {
  readonly user: string;
  expiresAt: number;
  readonly ended: Set<() => void>;
}

/** Clients whose failures are remembered; beyond it the oldest entry is forgotten. */
const MAX_TRACKED_CLIENTS = 10_000;
export const BCRYPT_HASH = /^\$2[aby]\$(0[4-9]|[12]\d|3[01])\$[./A-Za-z0-9]{53}$/;
const TOKEN = /^[A-Za-z0-9_-]{20,100}$/;

/** The admin login: password check with a per-client rate limit, and in-memory session tokens. */
export class AuthService {
  readonly user: string;
  private readonly hash: string;
  private readonly maxSessions: number;
  private readonly maxFailures: number;
  private readonly failureWindowMs: number;
  private readonly now: () => number;
  /** Keyed by the token's sha256, so a lookup's timing says nothing about the token itself. */
  private readonly sessions = new Map<string, Session>();
  private readonly attempts = new Map<string, { count: number; since: number }>();

  constructor(options: AuthOptions) {
    if (!BCRYPT_HASH.test(options.hash)) throw new UserInputError(notBcrypt('the admin hash'));
    this.user = options.user;
    this.hash = options.hash;
    this.maxSessions = options.maxSessions ?? 100;
    this.maxFailures = options.maxFailures ?? 5;
    this.failureWindowMs = options.failureWindowMs ?? 15 * 60 * 1000;
    this.now = options.now ?? Date.now;
  }

  /**
   * Check a login and open a session. Throws AuthError 401 for a wrong user or password
   * (one message for both) and 429 with retryAfterSeconds once `clientKey` (the client's
   * address) has used up its attempts; a success clears its count.
   */
  async login(user: string, password: string, clientKey: string): Promise<{ token: string; user: string }> {
    const now = this.now();
    let entry = this.attempts.get(clientKey);
    if (entry && now - entry.since >= this.failureWindowMs) entry = undefined;
    if (entry && entry.count >= this.maxFailures) {
      throw new AuthError('too many failed logins; wait before trying again', 429, Math.max(1, Math.ceil((entry.since + this.failureWindowMs - now) / 1000)));
    }
    // Counted before bcrypt runs, so a burst of parallel guesses cannot all slip past the limit.
    entry ??= { count: 0, since: now };
    entry.count += 1;
    this.attempts.delete(clientKey);
    this.attempts.set(clientKey, entry);
    if (this.attempts.size > MAX_TRACKED_CLIENTS) this.attempts.delete(this.attempts.keys().next().value!);

    // With one account there is no dummy hash to pick: bcrypt always runs against the real
    // hash, so an unknown user name costs exactly as long as a wrong password.
    const userOk = sameText(user, this.user);
    // Loaded on the first login, not at start: a server without a login never needs it.
    const { default: bcrypt } = await import('bcryptjs');
    const passwordOk = await bcrypt.compare(password, this.hash);
    if (!userOk || !passwordOk) throw new AuthError('wrong user name or password', 401);

    this.attempts.delete(clientKey);
    for (const [key, session] of this.sessions) if (session.expiresAt <= now) this.end(key);
    while (this.sessions.size >= this.maxSessions) this.end(this.sessions.keys().next().value!);
    const token = randomBytes(32).toString('base64url');
    this.sessions.set(digest(token), { user: this.user, expiresAt: now + SESSION_TTL_MS, ended: new Set() });
    return { token, user: this.user };
  }

  /** The user a token belongs to, or undefined; each use extends the session by SESSION_TTL_MS. */
  check(token: string | undefined): string | undefined {
    if (!token || !TOKEN.test(token)) return undefined;
    const key = digest(token);
    const session = this.sessions.get(key);
    if (!session) return undefined;
    const now = this.now();
    if (session.expiresAt <= now) {
      this.end(key);
      return undefined;
    }
    session.expiresAt = now + SESSION_TTL_MS;
    // Re-inserting moves it to the end of the Map's order, so eviction drops the least recently used.
    this.sessions.delete(key);
    this.sessions.set(key, session);
    return session.user;
  }

  /** End the session of a token; anything watching it (live sockets) is told. */
  logout(token: string): void {
    this.end(digest(token));
  }

  /** Call `listener` when the token's session ends (logout or eviction); returns the unsubscribe. */
  onEnd(token: string, listener: () => void): () => void {
    const session = this.sessions.get(digest(token));
    session?.ended.add(listener);
    return () => void session?.ended.delete(listener);
  }

  private end(key: string): void {
    const session = this.sessions.get(key);
    if (!session) return;
    this.sessions.delete(key);
    for (const listener of session.ended) listener();
  }
}

/** The message for a hash that is not bcrypt, naming where it came from. */
export function notBcrypt(what: string): string {
  return `${what} is not a bcrypt hash: it should look like $2b$12$ followed by 53 characters. Make one with \`topicflow hash-password\`, and put it in single quotes in a shell so the $ signs survive.`;
}

const loginBody = z.object({
  username: z.string().min(1).max(200),
  // bcrypt reads 72 bytes; the cap only stops a megabyte "password" from costing anything.
  password: z.string().min(1).max(1024),
});

/** `POST /login`, `POST /logout`, `GET /session`; mount at /api after express.json, before requireAuth. */
export function authRoutes(auth: AuthService | undefined): Router {
  const router = Router();

  router.post('/login', async (req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    if (!auth) return void res.json({ ok: true });
    const { username, password } = parseBody(loginBody, req.body);
    const { token, user } = await auth.login(username, password, req.ip ?? req.socket.remoteAddress ?? 'unknown');
    setSessionCookie(res, req, token);
    res.json({ ok: true, user });
  });

  router.post('/logout', (req, res) => {
    for (const token of presentedTokens(req)) auth?.logout(token);
    res.append('Set-Cookie', `${SESSION_COOKIE}=; Max-Age=0; Path=/; HttpOnly; SameSite=Strict`);
    res.json({ ok: true });
  });

  router.get('/session', (req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    if (!auth) return void res.json({ authRequired: false, loggedIn: true } satisfies SessionReply);
    const cookieToken = cookieValues(req.get('cookie'), SESSION_COOKIE).find((t) => auth.check(t));
    // The editor asks this on every load, so the cookie's lifetime slides with the session's.
    if (cookieToken) setSessionCookie(res, req, cookieToken);
    const user = authenticate(auth, req);
    res.json((user ? { authRequired: true, loggedIn: true, user } : { authRequired: true, loggedIn: false }) satisfies SessionReply);
  });

  return router;
}

/** Whether `req` may use the API: no login is set up, or it carries a valid session. */
export function isAuthorized(auth: AuthService | undefined, req: Request): boolean {
  return !auth || authenticate(auth, req) !== undefined;
}

/** Let requests with a valid session cookie or `Authorization: Bearer` token through; 401 otherwise. Passes everything when auth is off. */
export function requireAuth(auth: AuthService | undefined): RequestHandler {
  return (req, res, next) => {
    if (!auth) return next();
    const user = authenticate(auth, req);
    if (!user) {
      res.setHeader('WWW-Authenticate', 'Bearer realm="topicflow"');
      throw new AuthError('log in first', 401);
    }
    res.locals['user'] = user;
    next();
  };
}

type HandshakeSocket = Pick<Socket, 'handshake' | 'disconnect' | 'once'>;

/**
 * socket.io middleware: refuses handshakes from another site's page (a websocket is not
 * bound by CORS), and, with auth on, any without the session cookie or `auth.token`.
 * A socket is disconnected when its session ends.
 */
export function socketAuth(auth: AuthService | undefined): (socket: HandshakeSocket, next: (error?: Error) => void) => void {
  return (socket, next) => {
    const { headers } = socket.handshake;
    const fetchSite = headers['sec-fetch-site'];
    if (crossSiteReason(headers.origin, headers.host, typeof fetchSite === 'string' ? fetchSite : undefined)) return next(new Error('unauthorized'));
    if (!auth) return next();
    const offered = socket.handshake.auth?.['token'];
    const tokens = [...cookieValues(headers.cookie, SESSION_COOKIE), ...(typeof offered === 'string' ? [offered] : [])];
    const token = tokens.find((t) => auth.check(t));
    if (!token) return next(new Error('unauthorized'));
    const stop = auth.onEnd(token, () => socket.disconnect(true));
    socket.once('disconnect', stop);
    next();
  };
}

/** The tokens a request offers: its session cookie(s) and a Bearer token. */
function presentedTokens(req: Request): string[] {
  const bearer = /^Bearer\s+(\S+)$/i.exec(req.get('authorization') ?? '')?.[1];
  return [...cookieValues(req.get('cookie'), SESSION_COOKIE), ...(bearer ? [bearer] : [])];
}

function authenticate(auth: AuthService, req: Request): string | undefined {
  for (const token of presentedTokens(req)) {
    const user = auth.check(token);
    if (user) return user;
  }
  return undefined;
}

function setSessionCookie(res: Response, req: Request, token: string): void {
  const secure = req.secure ? '; Secure' : '';
  res.append('Set-Cookie', `${SESSION_COOKIE}=${token}; Max-Age=${SESSION_TTL_MS / 1000}; Path=/; HttpOnly; SameSite=Strict${secure}`);
}

/**
 * Every value of cookie `name` in a Cookie header. Several are possible when a sibling
 * subdomain sets its own, so each is tried; values outside the token alphabet are skipped.
 */
export function cookieValues(header: string | undefined, name: string): string[] {
  if (!header) return [];
  const values: string[] = [];
  for (const pair of header.split(';')) {
    const at = pair.indexOf('=');
    if (at < 0 || pair.slice(0, at).trim() !== name) continue;
    const value = pair.slice(at + 1).trim().replace(/^"(.*)"$/, '$1');
    if (TOKEN.test(value)) values.push(value);
  }
  return values;
}

/** Equal strings, compared without leaking how much of them matched. */
function sameText(a: string, b: string): boolean {
  return timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());
}

function digest(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}
