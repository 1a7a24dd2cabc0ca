import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import bcrypt from 'bcryptjs';
import { io as connect } from 'socket.io-client';
import { UserInputError } from '../../../nodes/errors.ts';
import { loadAuth } from '../../../server/api/auth-settings.ts';
import { AuthService, cookieValues, SESSION_TTL_MS } from '../../../server/api/auth.ts';
import { AuthError } from '../../../server/app/http-errors.ts';
import { hashPasswordCommand } from '../../../server/cli/hash-password.ts';
import { startServer, type RunningServer } from '../../../server/server.ts';
import { cookieFrom, http, setCookies } from '../../support/http.ts';

const PASSWORD = 'correct horse battery';
// Cost 4 keeps each check at a millisecond; production hashes use 12.
const HASH = bcrypt.hashSync(PASSWORD, 4);
const ADMIN_ENV = { TOPICFLOW_ADMIN_USER: 'admin', TOPICFLOW_ADMIN_HASH: HASH };
const quiet = { info() {}, warn() {}, error() {} };

async function start(env: NodeJS.ProcessEnv): Promise<{ server: RunningServer; close(): Promise<void> }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'topicflow-auth-'));
  const server = await startServer({ dataDir, host: '127.0.0.1', port: 0, logger: quiet, env }).catch((error) => {
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  });
  return { server, close: async () => (await server.close(), rmSync(dataDir, { recursive: true, force: true })) };
}

const login = (url: string, password = PASSWORD, username = 'admin') =>
  http(`${url}/api/login`, { method: 'POST', body: { username, password } });

/** Resolves with the socket once connected; rejects with the server's refusal. */
function socketConnects(url: string, options: { cookie?: string; token?: string } = {}) {
  const socket = connect(url, {
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    ...(options.cookie ? { extraHeaders: { cookie: options.cookie } } : {}),
    ...(options.token ? { auth: { token: options.token } } : {}),
  });
  return new Promise<typeof socket>((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (error) => (socket.close(), reject(error)));
  });
}

describe('loadAuth', () => {
  let dir: string;
  before(() => (dir = mkdtempSync(join(tmpdir(), 'topicflow-auth-load-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const settings = (value: unknown) => writeFileSync(join(dir, 'settings.json'), typeof value === 'string' ? value : JSON.stringify(value));

  test('reads the environment; neither env nor settings.json means auth off', async () => {
    assert.equal((await loadAuth(dir, ADMIN_ENV))?.user, 'admin');
    assert.equal(await loadAuth(dir, {}), undefined);
    assert.equal(await loadAuth(dir, { TOPICFLOW_ADMIN_USER: '', TOPICFLOW_ADMIN_HASH: '' }), undefined);
  });

  test('refuses half a login and a hash that is not bcrypt', async () => {
    await assert.rejects(loadAuth(dir, { TOPICFLOW_ADMIN_USER: 'admin' }), (e: Error) => e instanceof UserInputError && /both/.test(e.message));
    await assert.rejects(loadAuth(dir, { TOPICFLOW_ADMIN_HASH: HASH }), UserInputError);
    // What a shell leaves of an unquoted $2b$12$… hash.
    await assert.rejects(loadAuth(dir, { TOPICFLOW_ADMIN_USER: 'admin', TOPICFLOW_ADMIN_HASH: 'b.abc' }), /not a bcrypt hash.*hash-password.*single quotes/);
  });

  test('reads settings.json, and the environment wins over it', async () => {
    settings({ theme: 'dark', admin: { user: 'ops', hash: HASH } });
    assert.equal((await loadAuth(dir, {}))?.user, 'ops');
    assert.equal((await loadAuth(dir, ADMIN_ENV))?.user, 'admin');
    settings({ theme: 'dark' });
    assert.equal(await loadAuth(dir, {}), undefined);
  });

  test('a malformed settings.json names the file and the field', async () => {
    settings('{ "admin": ');
    await assert.rejects(loadAuth(dir, {}), (e: Error) => e instanceof UserInputError && e.message.includes('settings.json') && /not valid JSON/.test(e.message));
    settings({ admin: { user: 'ops' } });
    await assert.rejects(loadAuth(dir, {}), (e: Error) => e instanceof UserInputError && e.message.includes('settings.json') && e.message.includes('admin.hash'));
    settings({ admin: { user: 'ops', hash: 'hunter2' } });
    await assert.rejects(loadAuth(dir, {}), /admin\.hash: must be a bcrypt hash/);
  });
});

describe('AuthService', () => {
  const service = (options: { now?: () => number; maxSessions?: number } = {}) => new AuthService({ user: 'admin', hash: HASH, ...options });
  const refused = (status: number) => (e: unknown) => e instanceof AuthError && e.status === status;

  test('a right login gives a token; a wrong user or password gets one answer', async () => {
    const auth = service();
    const { token, user } = await auth.login('admin', PASSWORD, 'a');
    assert.equal(user, 'admin');
    assert.match(token, /^[A-Za-z0-9_-]{43}$/);
    assert.equal(auth.check(token), 'admin');
    assert.equal(auth.check(`${token.slice(0, -1)}x`), undefined);
    const wrongUser = await auth.login('root', PASSWORD, 'a').catch((e: Error) => e.message);
    const wrongPassword = await auth.login('admin', 'nope', 'a').catch((e: Error) => e.message);
    assert.equal(wrongUser, wrongPassword);
  });

  test('five failures per client, then 429 with Retry-After until the window passes; a success resets', async () => {
    let now = 1_000_000;
    const auth = service({ now: () => now });
    for (let i = 0; i < 5; i++) await assert.rejects(auth.login('admin', 'wrong', 'ip1'), refused(401));
    await assert.rejects(auth.login('admin', PASSWORD, 'ip1'), (e) => refused(429)(e) && (e as AuthError).retryAfterSeconds === 900);
    await auth.login('admin', PASSWORD, 'ip2'); // another client is not affected
    now += 10 * 60_000;
    await assert.rejects(auth.login('admin', PASSWORD, 'ip1'), (e) => (e as AuthError).retryAfterSeconds === 300);
    now += 5 * 60_000;
    for (let i = 0; i < 4; i++) await assert.rejects(auth.login('admin', 'wrong', 'ip1'), refused(401));
    await auth.login('admin', PASSWORD, 'ip1');
    for (let i = 0; i < 5; i++) await assert.rejects(auth.login('admin', 'wrong', 'ip1'), refused(401));
  });

  test('parallel guesses cannot slip past the limit', async () => {
    const auth = service();
    const burst = await Promise.allSettled(Array.from({ length: 20 }, () => auth.login('admin', 'wrong', 'ip')));
    const statuses = burst.map((r) => (r.status === 'rejected' ? (r.reason as AuthError).status : 200));
    assert.equal(statuses.filter((s) => s === 401).length, 5);
    assert.equal(statuses.filter((s) => s === 429).length, 15);
  });

  test('sessions expire after 7 idle days, each use extends them, logout ends them', async () => {
    let now = 0;
    const auth = service({ now: () => now });
    const { token } = await auth.login('admin', PASSWORD, 'a');
    now += SESSION_TTL_MS - 1;
    assert.equal(auth.check(token), 'admin');
    now += SESSION_TTL_MS - 1;
    assert.equal(auth.check(token), 'admin');
    now += SESSION_TTL_MS;
    assert.equal(auth.check(token), undefined);
    const second = await auth.login('admin', PASSWORD, 'a');
    let ended = 0;
    auth.onEnd(second.token, () => ended++);
    auth.logout(second.token);
    assert.equal(auth.check(second.token), undefined);
    assert.equal(ended, 1);
  });

  test('at most maxSessions; the least recently used goes first', async () => {
    const auth = service({ maxSessions: 2 });
    const a = (await auth.login('admin', PASSWORD, 'x')).token;
    const b = (await auth.login('admin', PASSWORD, 'x')).token;
    auth.check(a);
    const c = (await auth.login('admin', PASSWORD, 'x')).token;
    assert.deepEqual([auth.check(a), auth.check(b), auth.check(c)], ['admin', undefined, 'admin']);
  });

  test('cookie parsing is strict', () => {
    const t = 'A'.repeat(43);
    const cases: [string | undefined, string[]][] = [
      [undefined, []],
      [`topicflow_session=${t}`, [t]],
      [`a=1; topicflow_session="${t}"; b=2`, [t]],
      [`xtopicflow_session=${t}; topicflow_sessionx=${t}`, []],
      [`topicflow_session=${t}; topicflow_session=${'B'.repeat(43)}`, [t, 'B'.repeat(43)]],
      ['topicflow_session=short', []],
      [`topicflow_session=${t};x`, [t]],
      [`topicflow_session=${t}%3B`, []],
    ];
    for (const [header, expected] of cases) assert.deepEqual(cookieValues(header, 'topicflow_session'), expected, String(header));
  });
});

describe('the server with an admin login', () => {
  let s: Awaited<ReturnType<typeof start>>;
  let url: string;
  let cookie: string;
  before(async () => {
    s = await start(ADMIN_ENV);
    url = s.server.url;
    const reply = await login(url);
    cookie = cookieFrom(reply, 'topicflow_session')!;
  });
  after(() => s.close());

  test('login sets an HttpOnly, SameSite=Strict session cookie for a week', async () => {
    const reply = await login(url);
    assert.equal(reply.status, 200);
    assert.deepEqual(reply.json(), { ok: true, user: 'admin' });
    const [line] = setCookies(reply);
    assert.match(line!, /^topicflow_session=[A-Za-z0-9_-]{43};/);
    for (const flag of ['HttpOnly', 'SameSite=Strict', 'Path=/', `Max-Age=${7 * 24 * 3600}`]) assert.ok(line!.split('; ').includes(flag), `${flag} in ${line}`);
    assert.ok(!line!.includes('Secure'), 'no Secure flag over plain http');
    assert.equal(reply.headers['cache-control'], 'no-store');
  });

  test('a wrong password is 401 in the standard error shape; a bad body is 400', async () => {
    const reply = await login(url, 'wrong password');
    assert.equal(reply.status, 401);
    assert.deepEqual(reply.json(), { error: { code: 'unauthorized', message: 'wrong user name or password' } });
    assert.equal(setCookies(reply).length, 0);
    const bad = await http(`${url}/api/login`, { method: 'POST', body: { username: 'admin' } });
    assert.equal(bad.status, 400);
    assert.equal(bad.json().error.code, 'invalid');
  });

  test('every API route and /metrics need the session; /healthz does not', async () => {
    const routes: [string, string, unknown?][] = [
      ['GET', '/api/flows'],
      ['PUT', '/api/flows', {}],
      ['POST', '/api/flows/validate', {}],
      ['GET', '/api/flows/revisions'],
      ['POST', '/api/flows/rollback', { rev: 'r1' }],
      ['POST', '/api/nodes/x/inject', {}],
      ['GET', '/api/topics'],
      ['PUT', '/api/credentials/b', { password: 'p' }],
      ['DELETE', '/api/credentials/b'],
      ['GET', '/api/no-such-route'],
      ['GET', '/metrics'],
    ];
    for (const [method, path, body] of routes) {
      const without = await http(`${url}${path}`, { method, body });
      assert.equal(without.status, 401, `${method} ${path} without a session`);
      assert.deepEqual(without.json(), { error: { code: 'unauthorized', message: 'log in first' } });
      const withCookie = await http(`${url}${path}`, { method, body, headers: { cookie } });
      assert.notEqual(withCookie.status, 401, `${method} ${path} with the cookie`);
      assert.ok(withCookie.status < 500, `${method} ${path}: ${withCookie.status} ${withCookie.text}`);
    }
    const forged = await http(`${url}/api/flows`, { headers: { cookie: `topicflow_session=${'A'.repeat(43)}` } });
    assert.equal(forged.status, 401);
    assert.equal((await http(`${url}/healthz`)).status, 200);
  });

  test('a Bearer token works like the cookie', async () => {
    const token = cookie.split('=')[1]!;
    assert.equal((await http(`${url}/api/flows`, { headers: { authorization: `Bearer ${token}` } })).status, 200);
    assert.equal((await http(`${url}/api/flows`, { headers: { authorization: `Bearer x${token}` } })).status, 401);
  });

  test('/api/session tells the editor whether it is logged in, and slides the cookie', async () => {
    assert.deepEqual((await http(`${url}/api/session`)).json(), { authRequired: true, loggedIn: false });
    const reply = await http(`${url}/api/session`, { headers: { cookie } });
    assert.deepEqual(reply.json(), { authRequired: true, loggedIn: true, user: 'admin' });
    assert.equal(cookieFrom(reply, 'topicflow_session'), cookie);
  });

  test('socket.io refuses a connection without the session and takes the cookie or auth.token', async () => {
    await assert.rejects(socketConnects(url), /unauthorized/);
    await assert.rejects(socketConnects(url, { token: 'A'.repeat(43) }), /unauthorized/);
    const byCookie = await socketConnects(url, { cookie });
    byCookie.close();
    const byToken = await socketConnects(url, { token: cookie.split('=')[1]! });
    byToken.close();
  });

  test('logout ends the session, for HTTP and for live sockets', async () => {
    const own = cookieFrom(await login(url), 'topicflow_session')!;
    const socket = await socketConnects(url, { cookie: own });
    const gone = new Promise((resolve) => socket.once('disconnect', resolve));
    const reply = await http(`${url}/api/logout`, { method: 'POST', headers: { cookie: own } });
    assert.equal(reply.status, 200);
    assert.match(setCookies(reply)[0]!, /^topicflow_session=; Max-Age=0; Path=\/; HttpOnly; SameSite=Strict/);
    assert.equal((await http(`${url}/api/flows`, { headers: { cookie: own } })).status, 401);
    await gone;
    socket.close();
    assert.equal((await http(`${url}/api/flows`, { headers: { cookie } })).status, 200, 'other sessions stay');
  });

  test('the sixth failed login from one address is 429 with Retry-After', async () => {
    const other = await start(ADMIN_ENV);
    try {
      for (let i = 0; i < 5; i++) assert.equal((await login(other.server.url, 'wrong')).status, 401);
      const reply = await login(other.server.url);
      assert.equal(reply.status, 429);
      assert.equal(reply.json().error.code, 'too-many-attempts');
      assert.ok(Number(reply.headers['retry-after']) > 800, `Retry-After ${reply.headers['retry-after']}`);
    } finally {
      await other.close();
    }
  });
});

describe('the server without a login (loopback only)', () => {
  let s: Awaited<ReturnType<typeof start>>;
  before(async () => (s = await start({})));
  after(() => s.close());

  test('says no login is needed, and the API and socket.io work', async () => {
    assert.deepEqual((await http(`${s.server.url}/api/session`)).json(), { authRequired: false, loggedIn: true });
    assert.deepEqual((await login(s.server.url, 'anything')).json(), { ok: true });
    assert.equal((await http(`${s.server.url}/api/flows`)).status, 200);
    assert.equal((await http(`${s.server.url}/metrics`)).status, 200);
    (await socketConnects(s.server.url)).close();
  });
});

describe('hash-password', () => {
  async function run(input: string) {
    const stdin = new PassThrough();
    const stdout = new PassThrough();
    let printed = '';
    stdout.on('data', (chunk: Buffer) => (printed += chunk.toString()));
    stdin.end(input);
    const code = await hashPasswordCommand(stdin, stdout, false);
    return { code, printed };
  }

  test('prints a bcrypt hash of the piped password and the settings to use', async () => {
    const { code, printed } = await run('my long password\nignored second line\n');
    assert.equal(code, 0);
    const hash = printed.split('\n')[0]!;
    assert.match(hash, /^\$2b\$12\$/);
    assert.ok(await bcrypt.compare('my long password', hash));
    assert.ok(printed.includes('TOPICFLOW_ADMIN_USER=admin'));
    assert.ok(printed.includes(`TOPICFLOW_ADMIN_HASH='${hash}'`));
    // The environment is read first, so the data folder is never touched here.
    assert.equal((await loadAuth('/nonexistent', { TOPICFLOW_ADMIN_USER: 'admin', TOPICFLOW_ADMIN_HASH: hash }))?.user, 'admin');
  });

  test('on a terminal: raw mode, nothing echoed, asked twice', async () => {
    const stdin = Object.assign(new PassThrough(), { raw: [] as boolean[], setRawMode(on: boolean) { stdin.raw.push(on); } });
    const stdout = new PassThrough();
    let printed = '';
    stdout.on('data', (chunk: Buffer) => (printed += chunk.toString()));
    const done = hashPasswordCommand(stdin, stdout, true);
    stdin.write('secret pw\u007fW\r');
    while (!printed.includes('Again: ')) await new Promise((r) => setImmediate(r));
    stdin.write('secret pW\r');
    assert.equal(await done, 0);
    assert.deepEqual(stdin.raw, [true, false, true, false]);
    assert.ok(!printed.includes('secret'), printed);
    assert.ok(await bcrypt.compare('secret pW', printed.split('\n').find((l) => l.startsWith('$2b$'))!));
  });

  test('refuses an empty or short password with exit 2', async () => {
    for (const input of ['', '\n', 'short\n', '1234567']) {
      const { code, printed } = await run(input);
      assert.equal(code, 2, JSON.stringify(input));
      assert.doesNotMatch(printed, /\$2b\$/);
    }
  });
});
