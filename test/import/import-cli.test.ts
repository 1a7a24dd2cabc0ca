/**
 * `topicflow import FILE [-o OUT]`: writes a valid flow file, reports every node, puts the
 * broker password in the data folder's credential store, and exits 1 while placeholders
 * would block deploying.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { validateDocument } from '../../nodes/document/validate.ts';
import { CredentialStore } from '../../server/storage/credential-store.ts';
import { CLI, runCli } from '../support/cli.ts';
import { FIXTURE_DIR } from './support/equivalence.ts';
import { broker, mqttIn, node, tab } from './support/nr.ts';

describe('topicflow import', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'topicflow-import-cli-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('converts a fixture into a flow file that validates, and prints the report', async () => {
    const out = join(dir, 'fan.json');
    const { code, output } = await runCli(['import', join(FIXTURE_DIR, 'zigbee2mqtt-fan-threshold.json'), '-o', out, '--data', join(dir, 'data')]);
    assert.equal(code, 0, output);
    assert.match(output, /9 Node-RED node\(s\): \d+ converted, \d+ converted with differences, 0 unsupported/);
    assert.match(output, /threshold f1sw-threshold: ON above 25, sending only changes/);
    assert.match(output, /ok: .*fan\.json can be deployed/);
    assert.ok(validateDocument(JSON.parse(await readFile(out, 'utf8'))).ok);
  });

  it('stores the password in the credential store, writes the flow to stdout, exits 1 for placeholders', async () => {
    const file = join(dir, 'export.json');
    const data = join(dir, 'data2');
    await writeFile(file, JSON.stringify([tab(), broker('b1', { credentials: { user: 'nr', password: 'hunter2' } }), mqttIn('in', 'a/b', ['fn']), node('fn', 'function', [[]], { func: 'return msg;' })]));
    const child = spawn(process.execPath, [CLI, 'import', file, '--data', data], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => void (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => void (stderr += c.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    assert.equal(code, 1, stderr);
    const document = JSON.parse(stdout);
    assert.equal(document.brokers[0].username, 'nr');
    assert.equal(stdout.includes('hunter2') || stderr.includes('hunter2'), false);
    assert.match(stderr, /unsupported +function/);
    assert.match(stderr, /password from the export is in the credential store/);
    assert.match(stderr, /placeholder for Node-RED 'function'/);
    const store = await CredentialStore.open(data);
    assert.equal(store.get('b1')?.password, 'hunter2');
  });

  it('refuses a file that is not JSON or not an export', async () => {
    const file = join(dir, 'bad.json');
    await writeFile(file, '{"hello": 1}');
    const { code, output } = await runCli(['import', file, '-o', join(dir, 'x.json')]);
    assert.equal(code, 2);
    assert.match(output, /neither a topicflow flow/);
    const missing = await runCli(['import']);
    assert.equal(missing.code, 2);
    assert.match(missing.output, /needs a flow file/);
  });
});
