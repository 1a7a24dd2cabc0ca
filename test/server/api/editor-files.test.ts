import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import bcrypt from 'bcryptjs';
import { cookieFrom, http } from '../../support/http.ts';
import { startTestServer, type TestServer } from '../../support/test-server.ts';

const SCRIPT = `console.log(${JSON.stringify('topicflow '.repeat(2000))});\n`;
const STYLE = `body { color: #123456; }\n`.repeat(200);

let dir: string;
let server: TestServer;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'topicflow-editor-files-'));
  await writeFile(join(dir, 'index.html'), '<!doctype html><html><head><title>topicflow</title></head><body></body></html>');
  await writeFile(join(dir, 'app.js'), SCRIPT);
  await writeFile(join(dir, 'app.js.br'), brotliCompressSync(SCRIPT));
  await writeFile(join(dir, 'app.js.gz'), gzipSync(SCRIPT));
  // app.css has no compressed copies, as after an older build.
  await writeFile(join(dir, 'app.css'), STYLE);
  server = await startTestServer({ editorDir: dir });
});
after(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

/** GET with this Accept-Encoding; fetch decodes the body, the headers say what was sent. */
async function get(path: string, acceptEncoding: string) {
  const reply = await fetch(`${server.server.url}${path}`, { headers: { 'Accept-Encoding': acceptEncoding } });
  return { status: reply.status, encoding: reply.headers.get('content-encoding'), type: reply.headers.get('content-type'), vary: reply.headers.get('vary'), length: Number(reply.headers.get('content-length')), text: await reply.text() };
}

describe("the editor's files", () => {
  it('go out brotli-compressed to a browser that takes brotli, gzip to one that takes gzip, plain otherwise', async () => {
    const br = await get('/app.js', 'gzip, deflate, br');
    assert.equal(br.encoding, 'br');
    assert.equal(br.text, SCRIPT);
    assert.ok(br.length < SCRIPT.length / 10, `sent ${br.length} bytes of ${SCRIPT.length}`);
    assert.equal(br.type, 'text/javascript; charset=utf-8');
    assert.equal(br.vary, 'Accept-Encoding');

    const gz = await get('/app.js', 'gzip');
    assert.equal(gz.encoding, 'gzip');
    assert.equal(gz.text, SCRIPT);

    const plain = await get('/app.js', 'identity');
    assert.equal(plain.encoding, null);
    assert.equal(plain.text, SCRIPT);
    assert.equal(plain.length, Buffer.byteLength(SCRIPT));
    assert.match(plain.type ?? '', /javascript/);
  });

  it('a file without compressed copies, and the page itself, are served as they are', async () => {
    const css = await get('/app.css', 'br, gzip');
    assert.equal(css.status, 200);
    assert.equal(css.encoding, null);
    assert.equal(css.text, STYLE);
    const page = await get('/', 'br, gzip');
    assert.equal(page.status, 200);
    assert.match(page.text, /<title>topicflow<\/title>/);
  });

  it('the compressed copies are not reachable under other names than their own', async () => {
    const missing = await get('/app.mjs', 'br');
    assert.equal(missing.status, 404);
  });
});

const PRELOAD = '<link rel="preload" href="/api/flows" as="fetch" crossorigin="anonymous" />';

describe('the editor page', () => {
  it('asks the browser to fetch the flow while the bundle loads, when no login is needed', async () => {
    const page = await http(`${server.server.url}/`);
    assert.equal(page.status, 200);
    assert.ok(page.text.includes(`${PRELOAD}\n  </head>`), page.text);
    assert.equal((await http(`${server.server.url}/index.html`)).text, page.text);
    // The preloaded reply is the flow itself.
    assert.equal((await http(`${server.server.url}/api/flows`)).status, 200);
  });

  it('with a login, only for a request that is logged in (a preload would be a refused request)', async () => {
    const password = 'correct horse battery';
    const secured = await startTestServer({
      editorDir: dir,
      env: { TOPICFLOW_ADMIN_USER: 'admin', TOPICFLOW_ADMIN_HASH: bcrypt.hashSync(password, 4) },
    });
    try {
      const anonymous = await http(`${secured.server.url}/`);
      assert.equal(anonymous.status, 200);
      assert.ok(!anonymous.text.includes('rel="preload"'), anonymous.text);
      const login = await http(`${secured.server.url}/api/login`, { method: 'POST', body: { username: 'admin', password } });
      const cookie = cookieFrom(login, 'topicflow_session');
      assert.ok(cookie, 'login sets the session cookie');
      const loggedIn = await http(`${secured.server.url}/`, { headers: { cookie } });
      assert.ok(loggedIn.text.includes(PRELOAD), loggedIn.text);
    } finally {
      await secured.close();
    }
  });
});
