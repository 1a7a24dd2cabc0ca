/**
 * Broker secrets (passwords, TLS key passphrases), kept apart from flow documents and
 * encrypted at rest in `<dataDir>/credentials.enc`:
 *
 *     { "v": 1, "iv": base64 (12 bytes), "tag": base64 (16 bytes), "data": base64 }
 *
 * AES-256-GCM over the JSON `{ "brokers": { "<id>": { "password"?, "passphrase"? } } }`, a
 * fresh random IV for every write, the GCM tag checked on every read. The key is
 * - TOPICFLOW_SECRET (or the `secret` option) when set: any string, stretched to 32 bytes
 *   with scrypt (N=16384, r=8, p=1) and the fixed salt below. scrypt rather than HKDF
 *   because a person picks this string, and a stolen credentials file must not be cheap
 *   to try guesses against. The salt is fixed so the same secret opens the file on any
 *   machine it is copied to; it is not stored with the file.
 * - else `<dataDir>/secret.key`: 32 random bytes (base64), created on first use with mode
 *   0600; an existing key file that group or others can read is refused.
 */
import { createCipheriv, createDecipheriv, randomBytes, scrypt } from 'node:crypto';
import { mkdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { OperationalError, UserInputError, ensureError } from '../../nodes/errors.ts';
import type { BrokerSecrets } from '../mqtt/client-options.ts';
import { createFileAtomic, readJsonFile, writeFileAtomic } from './atomic-file.ts';

export interface CredentialStoreOptions {
  /** The passphrase the key is derived from; default: the TOPICFLOW_SECRET environment variable. */
  readonly secret?: string;
}

const SCRYPT_SALT = 'topicflow/credentials/v1';
/** Binds the ciphertext to this file format, so a blob from another use of the key is refused. */
const AAD = Buffer.from('topicflow credentials v1');
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;

interface Key {
  readonly bytes: Buffer;
  /** For error messages: where a wrong key would have come from. */
  readonly source: 'secret' | 'key-file';
}

function deriveKey(secret: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(secret, SCRYPT_SALT, KEY_BYTES, { N: 16384, r: 8, p: 1 }, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException).code === 'ENOENT';
}

/** Reads secret.key, refusing one that others can read; undefined when there is none. */
async function readKeyFile(path: string): Promise<Buffer | undefined> {
  let mode: number;
  try {
    mode = (await stat(path)).mode;
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw new OperationalError(`cannot read the key file ${path}: ${ensureError(error).message}`, { cause: error });
  }
  // Windows has no such permission bits; its ACLs are the data folder's business.
  if (process.platform !== 'win32' && (mode & 0o077) !== 0) {
    throw new OperationalError(
      `the key file ${path} can be read by other users (mode ${(mode & 0o777).toString(8).padStart(4, '0')}); ` +
        `restrict it with: chmod 600 ${path}`,
    );
  }
  const text = (await readFile(path, 'utf8')).trim();
  const bytes = Buffer.from(text, 'base64');
  if (bytes.length !== KEY_BYTES || bytes.toString('base64') !== text) {
    throw new OperationalError(`the key file ${path} does not hold a ${KEY_BYTES}-byte base64 key`);
  }
  return bytes;
}

async function loadKey(dataDir: string, secret: string | undefined, hasCredentials: boolean): Promise<Key> {
  if (secret !== undefined) {
    // An empty value is almost always a template left unfilled; using it would encrypt
    // every password with a key anyone can guess.
    if (secret === '') throw new OperationalError('TOPICFLOW_SECRET is set but empty; give it a value, or unset it to use a key file');
    return { bytes: await deriveKey(secret), source: 'secret' };
  }
  const path = join(dataDir, 'secret.key');
  const existing = await readKeyFile(path);
  if (existing) return { bytes: existing, source: 'key-file' };
  if (hasCredentials) {
    // A new key could never open the file that is there; say what is missing instead.
    throw new OperationalError(
      `${join(dataDir, 'credentials.enc')} exists but ${path} is missing and TOPICFLOW_SECRET is not set: ` +
        'restore the key file or set the secret the credentials were saved with',
    );
  }
  try {
    await createFileAtomic(path, `${randomBytes(KEY_BYTES).toString('base64')}\n`, { mode: 0o600 });
  } catch (error) {
    // Another process created it first; use theirs.
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  return { bytes: (await readKeyFile(path))!, source: 'key-file' };
}

function decodeField(value: unknown, bytes?: number): Buffer | undefined {
  if (typeof value !== 'string') return undefined;
  const buffer = Buffer.from(value, 'base64');
  return bytes === undefined || buffer.length === bytes ? buffer : undefined;
}

function toSecrets(value: unknown): BrokerSecrets | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { password, passphrase } = value as Record<string, unknown>;
  if ((password !== undefined && typeof password !== 'string') || (passphrase !== undefined && typeof passphrase !== 'string')) {
    return undefined;
  }
  const secrets: { password?: string; passphrase?: string } = {};
  if (password !== undefined) secrets.password = password;
  if (passphrase !== undefined) secrets.passphrase = passphrase;
  return Object.freeze(secrets);
}

export class CredentialStore {
  readonly #file: string;
  readonly #key: Key;
  #secrets: ReadonlyMap<string, BrokerSecrets>;
  #queue: Promise<unknown> = Promise.resolve();

  private constructor(file: string, key: Key, secrets: ReadonlyMap<string, BrokerSecrets>) {
    this.#file = file;
    this.#key = key;
    this.#secrets = secrets;
  }

  /**
   * Opens the credentials of a data folder, creating the key file if it is needed and
   * missing. A file that the key cannot decrypt (wrong secret, or altered) is an
   * OperationalError, never an empty store that would later overwrite it.
   */
  static async open(dataDir: string, options: CredentialStoreOptions = {}): Promise<CredentialStore> {
    await mkdir(dataDir, { recursive: true, mode: 0o700 });
    const file = join(dataDir, 'credentials.enc');
    const read = await readJsonFile(file);
    const key = await loadKey(dataDir, options.secret ?? process.env['TOPICFLOW_SECRET'], read.ok || read.reason === 'corrupt');
    const store = new CredentialStore(file, key, new Map());
    if (read.ok) store.#secrets = store.#decrypt(read.value);
    else if (read.reason === 'corrupt') throw store.#unreadable('the file is not valid JSON');
    return store;
  }

  /** The secrets saved for a broker entry, or undefined when there are none. */
  get(brokerId: string): BrokerSecrets | undefined {
    return this.#secrets.get(brokerId);
  }

  /** What is saved for a broker, without the secrets themselves (what the API may show). */
  describe(brokerId: string): { hasPassword: boolean; hasPassphrase: boolean } {
    const secrets = this.#secrets.get(brokerId);
    return { hasPassword: secrets?.password !== undefined, hasPassphrase: secrets?.passphrase !== undefined };
  }

  /** The ids of the brokers that have secrets saved, sorted. */
  brokerIds(): string[] {
    return [...this.#secrets.keys()].sort();
  }

  /**
   * Replaces the secrets of a broker (fields left out are removed; no fields at all
   * removes the broker) and writes the file. Writes run one at a time in call order.
   */
  async set(brokerId: string, secrets: BrokerSecrets): Promise<void> {
    if (typeof brokerId !== 'string' || brokerId === '') throw new UserInputError('a broker id is required to save its credentials');
    const clean = toSecrets(secrets);
    if (!clean) throw new UserInputError(`broker "${brokerId}": password and passphrase must be text`);
    return this.#update((next) => {
      if (clean.password === undefined && clean.passphrase === undefined) next.delete(brokerId);
      else next.set(brokerId, clean);
    });
  }

  /** Removes the secrets of a broker; resolves to whether there were any. */
  async delete(brokerId: string): Promise<boolean> {
    let had = false;
    await this.#update((next) => {
      had = next.delete(brokerId);
    });
    return had;
  }

  #update(change: (next: Map<string, BrokerSecrets>) => void): Promise<void> {
    const run = this.#queue.then(async () => {
      const next = new Map(this.#secrets);
      change(next);
      await writeFileAtomic(this.#file, this.#encrypt(next), { mode: 0o600 });
      // Only once the file holds them: a failed write leaves memory matching the disk.
      this.#secrets = next;
    });
    this.#queue = run.catch(() => undefined);
    return run;
  }

  #encrypt(secrets: ReadonlyMap<string, BrokerSecrets>): string {
    const plain = Buffer.from(JSON.stringify({ brokers: Object.fromEntries(secrets) }), 'utf8');
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.#key.bytes, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(AAD);
    const data = Buffer.concat([cipher.update(plain), cipher.final()]);
    plain.fill(0);
    const envelope = { v: 1, iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), data: data.toString('base64') };
    return `${JSON.stringify(envelope)}\n`;
  }

  #decrypt(envelope: unknown): Map<string, BrokerSecrets> {
    const fields = (typeof envelope === 'object' && envelope !== null ? envelope : {}) as Record<string, unknown>;
    if (fields['v'] !== 1) throw this.#unreadable(`unknown format version ${JSON.stringify(fields['v'])}`);
    const iv = decodeField(fields['iv'], IV_BYTES);
    const tag = decodeField(fields['tag'], TAG_BYTES);
    const data = decodeField(fields['data']);
    if (!iv || !tag || !data) throw this.#unreadable('the file is damaged (iv, tag or data missing or of the wrong size)');
    let plain: Buffer;
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.#key.bytes, iv, { authTagLength: TAG_BYTES });
      decipher.setAAD(AAD);
      decipher.setAuthTag(tag);
      plain = Buffer.concat([decipher.update(data), decipher.final()]);
    } catch {
      // GCM says only "unable to authenticate"; a wrong key and an altered file look alike.
      const hint =
        this.#key.source === 'secret' ? 'wrong TOPICFLOW_SECRET?' : 'wrong secret.key, or TOPICFLOW_SECRET unset since they were saved?';
      throw this.#unreadable(`the key does not match or the file was altered (${hint})`);
    }
    let brokers: unknown;
    try {
      brokers = (JSON.parse(plain.toString('utf8')) as { brokers?: unknown } | null)?.brokers;
    } catch {
      throw this.#unreadable('the decrypted content is not JSON');
    } finally {
      plain.fill(0);
    }
    const result = new Map<string, BrokerSecrets>();
    for (const [id, value] of Object.entries(typeof brokers === 'object' && brokers !== null ? brokers : {})) {
      const secrets = toSecrets(value);
      if (!secrets) throw this.#unreadable(`the entry of broker "${id}" is damaged`);
      result.set(id, secrets);
    }
    return result;
  }

  #unreadable(why: string): OperationalError {
    return new OperationalError(
      `the broker credentials in ${this.#file} cannot be decrypted: ${why}. ` +
        'Start with the key they were saved with, or move the file away and enter the broker passwords again.',
    );
  }
}
