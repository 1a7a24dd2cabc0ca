import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { io as connect } from 'socket.io-client';
import { UserInputError } from '../../../nodes/errors.ts';
import { crossSiteReason } from '../../../server/api/security.ts';
import { bindRefusal, startServer, type RunningServer } from '../../../server/server.ts';
import { http } from '../../support/http.ts';

const quiet = { info() {}, warn() {}, error() {} };
const flow = (name: string) => ({ format: 'topicflow/1', name, nodes: [] });

describe('serving beyond loopback', () => {
  test('0.0.0.0 without a login is refused before anything listens', async () => {
    const servers = () => process.getActiveResourcesInfo().filter((r) => r === 'TCPServerWrap').length;
    const listening = servers();
    const dataDir = mkdtempSync(join(tmpdir(), 'topicflow-security-'));
    try {
      // Refused before binding: tests never listen beyond loopback.
      await assert.rejects(
        startServer({ dataDir, host: '0.0.0.0', port: 0, logger: quiet, env: {} }),
        (e: Error) => e instanceof UserInputError && /--insecure/.test(e.message),
      );
      // At most: a server closed by an earlier test may still be going away.
      assert.ok(servers() <= listening);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  test('a login or --insecure lifts the refusal; loopback never needs either', () => {
    const cases: [host: string, login: boolean, insecure: boolean, refused: boolean][] = [
      ['0.0.0.0', false, false, true],
      ['192.168.1.20', false, false, true],
      ['::', false, false, true],
      ['0.0.0.0', true, false, false],
      ['0.0.0.0', false, true, false],
      ['127.0.0.1', false, false, false],
      ['127.0.1.1', false, false, false],
      ['::1', false, false, false],
      ['localhost', false, false, false],
    ];
    for (const [host, login, insecure, refused] of cases) {
      assert.equal(bindRefusal(host, login, insecure) !== undefined, refused, `${host} login=${login} insecure=${insecure}`);
    }
  });
});

describe('crossSiteReason', () => {
  const host = '127.0.0.1:1880';
  const cases: [origin: string | undefined, host: string | undefined, fetchSite: string | undefined, refused: boolean][] = [
    [undefined, host, undefined, false], // curl, scripts
    ['http://127.0.0.1:1880', host, 'same-origin', false],
    ['http://HomeServer.local:1880', 'homeserver.local:1880', undefined, false],
    ['http://example.lan', 'example.lan:80', undefined, false],
    ['https://example.lan', 'example.lan:443', undefined, false],
    ['http://[::1]:1880', '[::1]:1880', undefined, false],
    [undefined, host, 'same-origin', false],
    [undefined, host, 'none', false],
    ['http://evil.example', host, undefined, true],
    ['http://127.0.0.1:3000', host, undefined, true], // another app on this machine
    ['http://localhost:1880', host, undefined, true],
    // Behind a proxy that terminates TLS the page is https and the forwarded Host the same name.
    ['https://127.0.0.1:1880', host, undefined, false],
    ['http://example.lan', 'example.lan:443', undefined, true],
    ['null', host, undefined, true],
    ['chrome-extension://abc', host, undefined, true],
    ['http://127.0.0.1:1880, http://evil.example', host, undefined, true],
    ['not a url', host, undefined, true],
    ['http://127.0.0.1:1880', undefined, undefined, true],
    ['http://127.0.0.1:1880', '127.0.0.1:1880/x', undefined, true],
    [undefined, host, 'cross-site', true],
    [undefined, host, 'same-site', true],
  ];
  test('a foreign or opaque Origin, or a cross-site fetch without one, is refused', () => {
    for (const [origin, hostHeader, fetchSite, refused] of cases) {
      const reason = crossSiteReason(origin, hostHeader, fetchSite);
      assert.equal(reason !== undefined, refused, `${origin} / ${hostHeader} / ${fetchSite}: ${reason}`);
      if (reason) assert.match(reason, /^cross-site request refused \((Origin|Sec-Fetch-Site)/);
    }
  });
});

describe('the server against cross-site requests', () => {
  let server: RunningServer;
  let dataDir: string;
  let url: string;
  let self: string;
  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'topicflow-security-'));
    server = await startServer({ dataDir, host: '127.0.0.1', port: 0, logger: quiet, env: {} });
    url = server.url;
    self = `http://127.0.0.1:${server.port}`;
  });
  after(async () => {
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const put = (headers: Record<string, string>, name: string) => http(`${url}/api/flows`, { method: 'PUT', headers, body: flow(name) });

  test('a deploy from another site is refused and the running flow stays', async () => {
    const deployed = await put({ origin: self, 'sec-fetch-site': 'same-origin' }, 'mine');
    assert.equal(deployed.status, 200, deployed.text);
    const rev = deployed.json().rev;
    const reply = await put({ origin: 'http://evil.example' }, 'theirs');
    assert.equal(reply.status, 403);
    assert.deepEqual(reply.json(), {
      error: { code: 'forbidden', message: `cross-site request refused (Origin http://evil.example is not 127.0.0.1:${server.port})` },
    });
    const current = (await http(`${url}/api/flows`)).json();
    assert.equal(current.rev, rev);
    assert.equal(current.document.name, 'mine');
    assert.equal(server.runtime.current().rev, rev);
  });

  test('requests without Origin (curl, scripts) pass; Origin null and Sec-Fetch-Site cross-site do not', async () => {
    assert.equal((await put({}, 'scripted')).status, 200);
    assert.equal((await put({ origin: 'null' }, 'x')).status, 403);
    assert.equal((await put({ 'sec-fetch-site': 'cross-site' }, 'x')).status, 403);
    assert.equal((await put({ origin: `http://localhost:${server.port}` }, 'x')).status, 403);
    assert.equal(server.runtime.current().document && (server.runtime.current().document as { name: string }).name, 'scripted');
  });

  test('every state-changing method is checked, login included; reads are not', async () => {
    const evil = { origin: 'http://evil.example' };
    const writes: [string, string, unknown][] = [
      ['POST', '/api/login', { username: 'admin', password: 'x' }],
      ['POST', '/api/logout', {}],
      ['POST', '/api/flows/validate', flow('v')],
      ['POST', '/api/nodes/x/inject', {}],
      ['PUT', '/api/credentials/b', { password: 'p' }],
      ['DELETE', '/api/credentials/b', undefined],
      ['PATCH', '/api/flows', {}],
    ];
    for (const [method, path, body] of writes) {
      assert.equal((await http(`${url}${path}`, { method, headers: evil, body })).status, 403, `${method} ${path}`);
    }
    const read = await http(`${url}/api/flows`, { headers: evil });
    assert.equal(read.status, 200);
    // No CORS headers: the other site's page still cannot read the reply.
    assert.equal(read.headers['access-control-allow-origin'], undefined);
  });

  test('socket.io refuses a handshake from another site', async () => {
    const attempt = (origin?: string) => {
      const socket = connect(url, { transports: ['websocket'], reconnection: false, forceNew: true, ...(origin ? { extraHeaders: { origin } } : {}) });
      return new Promise<void>((resolve, reject) => {
        socket.once('connect', () => (socket.close(), resolve()));
        socket.once('connect_error', (error) => (socket.close(), reject(error)));
      });
    };
    await assert.rejects(attempt('http://evil.example'), /unauthorized/);
    await attempt(self);
    await attempt();
  });

  test('security headers: a same-origin CSP, nosniff, no framing, no HSTS over http', async () => {
    for (const path of ['/healthz', '/api/session', '/api/nope']) {
      const { headers } = await http(`${url}${path}`);
      const csp = String(headers['content-security-policy']);
      for (const directive of [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "connect-src 'self' ws: wss:",
        "frame-ancestors 'none'",
        "object-src 'none'",
      ]) {
        assert.ok(csp.split(';').includes(directive), `${path}: "${directive}" in ${csp}`);
      }
      assert.doesNotMatch(csp, /upgrade-insecure-requests/);
      assert.equal(headers['x-content-type-options'], 'nosniff');
      assert.equal(headers['x-frame-options'], 'DENY');
      assert.equal(headers['strict-transport-security'], undefined);
      assert.equal(headers['x-powered-by'], undefined);
    }
  });
});

describe('DNS rebinding, with no login', () => {
  let server: RunningServer;
  let dataDir: string;
  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'topicflow-rebind-'));
    server = await startServer({ dataDir, host: '127.0.0.1', port: 0, logger: quiet, env: {} });
  });
  after(async () => {
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('answers loopback Host names only', async () => {
    for (const host of [`127.0.0.1:${server.port}`, `localhost:${server.port}`, 'localhost']) {
      assert.equal((await http(`${server.url}/api/flows`, { headers: { host } })).status, 200, host);
    }
    for (const host of [`attacker.example:${server.port}`, 'rebind.127.0.0.1.nip.io', '127.0.0.1.attacker.example']) {
      const reply = await http(`${server.url}/api/flows`, { headers: { host } });
      assert.equal(reply.status, 403, host);
      assert.match(reply.json<{ error: { message: string } }>().error.message, /loopback/);
    }
  });

  test('refuses a socket.io connection made under a foreign Host name', async () => {
    const refused = await new Promise<string>((resolve) => {
      const socket = connect(server.url, { extraHeaders: { host: `attacker.example:${server.port}` }, reconnection: false, transports: ['websocket'] });
      socket.on('connect', () => {
        socket.close();
        resolve('connected');
      });
      socket.on('connect_error', (error) => {
        socket.close();
        resolve(error.message);
      });
    });
    assert.match(refused, /loopback/);
  });
});
