/**
 * With an admin login set, the page asks for it: a wrong password is told on the form, the
 * right one opens the editor (and its API calls and live socket work with the session).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import bcrypt from 'bcryptjs';
import { useBrowser } from '../support/browser.ts';
import { suiteNeeds } from '../support/requirements.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { allNodes, assertEventually, injectThresholdDebug } from './ui.ts';

const SUITE = 'editor: login page';
const PASSWORD = 'correct horse battery';

describe(SUITE, suiteNeeds('chromium', SUITE), () => {
  const browser = useBrowser('login');
  let t: TestServer;
  before(async () => {
    // Cost 4 keeps each check at a millisecond; production hashes use 12.
    t = await startTestServer({ env: { TOPICFLOW_ADMIN_USER: 'admin', TOPICFLOW_ADMIN_HASH: bcrypt.hashSync(PASSWORD, 4) } });
    // Deployed over HTTP with a session of its own: every /api route now wants one.
    const login = await t.api('/api/login', { method: 'POST', body: { username: 'admin', password: PASSWORD } });
    assert.equal(login.status, 200, login.text);
    const cookie = String(login.headers['set-cookie']).split(';')[0]!;
    const put = await t.api('/api/flows', { method: 'PUT', body: injectThresholdDebug('Behind a login'), headers: { cookie } });
    assert.equal(put.status, 200, put.text);
  });
  after(async () => t?.close());

  it('refuses a wrong password on the form and opens the editor with the right one', async (ctx) => {
    const ui = await browser.open(ctx, t.server.url, { waitFor: false });
    const { page } = ui;
    // The refused login is a 401 reply, which the browser logs as a failed resource load.
    ui.allowConsoleError(/status of 401/);

    const user = page.getByLabel(/user/i);
    const password = page.getByLabel(/password/i);
    await user.waitFor({ state: 'visible' });
    assert.equal(await page.locator('.react-flow').count(), 0, 'no editor before logging in');
    await ui.screenshot('1-login-page');

    await user.fill('admin');
    await password.fill('not the password');
    await page.getByRole('button', { name: /log ?in|sign ?in/i }).click();
    await page.getByText(/wrong user name or password/i).waitFor({ state: 'visible' });
    assert.equal(await page.locator('.react-flow').count(), 0, 'a wrong password does not open the editor');
    await ui.screenshot('2-wrong-password');

    await password.fill(PASSWORD);
    await page.getByRole('button', { name: /log ?in|sign ?in/i }).click();
    await page.locator('.react-flow').waitFor({ state: 'visible' });
    await assertEventually(async () => (await allNodes(page).count()) === 3, 'the flow behind the login is on the canvas');
    await ui.screenshot('3-editor');

    // A reload keeps the session (cookie), so the editor opens directly.
    await page.reload();
    await page.locator('.react-flow').waitFor({ state: 'visible' });
    assert.equal(await page.getByLabel(/password/i).count(), 0);
  });
});
