import assert from 'node:assert/strict';
import { chmod, readFile, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { OperationalError, UserInputError } from '../../../nodes/errors.ts';
import { CredentialStore } from '../../../server/storage/credential-store.ts';
import { readAllFiles, tempDataDir } from './storage-helpers.ts';

const PASSWORD = 'hunter2-Mosquitto-örange-7f3a';
const PASSPHRASE = 'tls key passphrase 9c1e';

// The key-file tests need TOPICFLOW_SECRET unset, whatever the shell running them has.
const savedSecret = process.env['TOPICFLOW_SECRET'];
before(() => {
  delete process.env['TOPICFLOW_SECRET'];
});
after(() => {
  if (savedSecret !== undefined) process.env['TOPICFLOW_SECRET'] = savedSecret;
});

function cannotDecrypt(pattern: RegExp) {
  return (error: unknown) => {
    assert.ok(error instanceof OperationalError, String(error));
    assert.match(error.message, /cannot be decrypted/);
    assert.match(error.message, pattern);
    return true;
  };
}

describe('CredentialStore', () => {
  test('round-trips secrets per broker through the encrypted file', async (t) => {
    const dir = await tempDataDir(t);
    const store = await CredentialStore.open(dir, { secret: 'correct horse' });
    assert.equal(store.get('home'), undefined);
    await store.set('home', { password: PASSWORD });
    await store.set('cloud', { password: 'p2', passphrase: PASSPHRASE });
    assert.deepEqual(store.get('home'), { password: PASSWORD });
    assert.deepEqual(store.describe('cloud'), { hasPassword: true, hasPassphrase: true });
    assert.deepEqual(store.describe('home'), { hasPassword: true, hasPassphrase: false });
    assert.deepEqual(store.describe('none'), { hasPassword: false, hasPassphrase: false });
    assert.deepEqual(store.brokerIds(), ['cloud', 'home']);

    const envelope = JSON.parse(await readFile(join(dir, 'credentials.enc'), 'utf8')) as Record<string, unknown>;
    assert.deepEqual(Object.keys(envelope).sort(), ['data', 'iv', 'tag', 'v']);
    assert.equal(envelope['v'], 1);
    assert.equal(Buffer.from(envelope['iv'] as string, 'base64').length, 12);
    assert.equal((await stat(join(dir, 'credentials.enc'))).mode & 0o777, 0o600);

    const reopened = await CredentialStore.open(dir, { secret: 'correct horse' });
    assert.deepEqual(reopened.get('cloud'), { password: 'p2', passphrase: PASSPHRASE });
    assert.equal(await reopened.delete('cloud'), true);
    assert.equal(await reopened.delete('cloud'), false);
    await reopened.set('home', {});
    assert.deepEqual((await CredentialStore.open(dir, { secret: 'correct horse' })).brokerIds(), []);
  });

  test('every write uses a fresh IV', async (t) => {
    const dir = await tempDataDir(t);
    const store = await CredentialStore.open(dir, { secret: 's' });
    const ivs = new Set<string>();
    for (let i = 0; i < 5; i++) {
      await store.set('home', { password: PASSWORD });
      ivs.add((JSON.parse(await readFile(join(dir, 'credentials.enc'), 'utf8')) as { iv: string }).iv);
    }
    assert.equal(ivs.size, 5);
  });

  test('uses TOPICFLOW_SECRET when no secret is passed', async (t) => {
    const dir = await tempDataDir(t);
    process.env['TOPICFLOW_SECRET'] = 'from the environment';
    t.after(() => delete process.env['TOPICFLOW_SECRET']);
    await (await CredentialStore.open(dir)).set('home', { password: PASSWORD });
    assert.deepEqual((await CredentialStore.open(dir, { secret: 'from the environment' })).get('home'), { password: PASSWORD });
    await assert.rejects(stat(join(dir, 'secret.key')), { code: 'ENOENT' });
  });

  test('a wrong secret is refused with a clear message, and the file is left alone', async (t) => {
    const dir = await tempDataDir(t);
    await (await CredentialStore.open(dir, { secret: 'right' })).set('home', { password: PASSWORD });
    const before = await readFile(join(dir, 'credentials.enc'));
    await assert.rejects(CredentialStore.open(dir, { secret: 'wrong' }), cannotDecrypt(/wrong TOPICFLOW_SECRET\?/));
    assert.deepEqual(await readFile(join(dir, 'credentials.enc')), before);
    await assert.rejects(CredentialStore.open(dir, { secret: '' }), /TOPICFLOW_SECRET is set but empty/);
  });

  test('a tampered or damaged file is refused, never read as empty', async (t) => {
    const dir = await tempDataDir(t);
    await (await CredentialStore.open(dir, { secret: 'k' })).set('home', { password: PASSWORD });
    const file = join(dir, 'credentials.enc');
    const good = JSON.parse(await readFile(file, 'utf8')) as Record<string, string>;
    const flip = (base64: string) => {
      const bytes = Buffer.from(base64, 'base64');
      bytes[0] = bytes[0]! ^ 0x01;
      return bytes.toString('base64');
    };
    const variants: [string, string, RegExp][] = [
      ['data', JSON.stringify({ ...good, data: flip(good['data']!) }), /altered/],
      ['tag', JSON.stringify({ ...good, tag: flip(good['tag']!) }), /altered/],
      ['iv', JSON.stringify({ ...good, iv: flip(good['iv']!) }), /altered/],
      ['short iv', JSON.stringify({ ...good, iv: 'AAAA' }), /damaged/],
      ['version', JSON.stringify({ ...good, v: 2 }), /unknown format version 2/],
      ['not json', '{"v":1,', /not valid JSON/],
    ];
    for (const [what, text, pattern] of variants) {
      await writeFile(file, text);
      await assert.rejects(CredentialStore.open(dir, { secret: 'k' }), cannotDecrypt(pattern), what);
    }
  });

  test('without a secret, creates a 0600 key file and keeps using it', async (t) => {
    const dir = await tempDataDir(t);
    const store = await CredentialStore.open(dir);
    const keyFile = join(dir, 'secret.key');
    assert.equal((await stat(keyFile)).mode & 0o777, 0o600);
    assert.equal(Buffer.from((await readFile(keyFile, 'utf8')).trim(), 'base64').length, 32);
    await store.set('home', { password: PASSWORD });
    assert.deepEqual((await CredentialStore.open(dir)).get('home'), { password: PASSWORD });
    // A secret given later is a different key: refused, with a hint about the key source.
    await assert.rejects(CredentialStore.open(dir, { secret: 'other' }), cannotDecrypt(/TOPICFLOW_SECRET/));
  });

  test('refuses a key file that other users can read, saying to chmod 600', async (t) => {
    const dir = await tempDataDir(t);
    await CredentialStore.open(dir);
    const keyFile = join(dir, 'secret.key');
    for (const mode of [0o644, 0o640, 0o604]) {
      await chmod(keyFile, mode);
      await assert.rejects(CredentialStore.open(dir), (error: unknown) => {
        assert.ok(error instanceof OperationalError);
        assert.ok(error.message.includes(`chmod 600 ${keyFile}`), error.message);
        assert.ok(error.message.includes(`mode 0${mode.toString(8)}`), error.message);
        return true;
      });
    }
    await chmod(keyFile, 0o600);
    await CredentialStore.open(dir);
  });

  test('refuses a damaged key file, and a missing one when credentials exist', async (t) => {
    const dir = await tempDataDir(t);
    await (await CredentialStore.open(dir)).set('home', { password: PASSWORD });
    const keyFile = join(dir, 'secret.key');
    await writeFile(keyFile, 'too short\n', { mode: 0o600 });
    await assert.rejects(CredentialStore.open(dir), /does not hold a 32-byte base64 key/);
    await unlink(keyFile);
    await assert.rejects(CredentialStore.open(dir), (error: unknown) => {
      assert.ok(error instanceof OperationalError);
      assert.match(error.message, /secret\.key is missing .*restore the key file/);
      return true;
    });
    await assert.rejects(stat(keyFile), { code: 'ENOENT' }, 'no new key replaces the lost one');
  });

  test('refuses an empty broker id and secrets that are not text', async (t) => {
    const store = await CredentialStore.open(await tempDataDir(t), { secret: 's' });
    await assert.rejects(store.set('', { password: 'x' }), UserInputError);
    await assert.rejects(store.set('home', { password: 42 } as never), UserInputError);
  });

  test('the password and passphrase never reach the disk in plain text', async (t) => {
    const dir = await tempDataDir(t);
    const withKeyFile = await CredentialStore.open(dir);
    await withKeyFile.set('home', { password: PASSWORD, passphrase: PASSPHRASE });
    await withKeyFile.set('cloud', { password: PASSWORD });
    await withKeyFile.delete('cloud');
    const otherDir = await tempDataDir(t);
    await (await CredentialStore.open(otherDir, { secret: 'x' })).set('home', { password: PASSWORD, passphrase: PASSPHRASE });

    const files = [...(await readAllFiles(dir)), ...(await readAllFiles(otherDir))];
    assert.ok(files.length >= 3, files.map((f) => f.path).join());
    for (const secret of [PASSWORD, PASSPHRASE]) {
      const forms = [Buffer.from(secret, 'utf8'), Buffer.from(secret, 'utf16le'), Buffer.from(Buffer.from(secret).toString('base64'))];
      for (const { path, bytes } of files) {
        for (const form of forms) assert.equal(bytes.indexOf(form), -1, `${path} holds a secret in the clear`);
      }
    }
  });
});
