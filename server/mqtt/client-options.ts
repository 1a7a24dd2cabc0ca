import { readFileSync } from 'node:fs';
import type { IClientOptions } from 'mqtt';
import type { BrokerEntry } from '../../nodes/broker.ts';
import { OperationalError } from '../../nodes/errors.ts';

export interface BrokerSecrets {
  readonly password?: string;
  /** Passphrase of an encrypted TLS client key. */
  readonly passphrase?: string;
}

/**
 * The mqtt.js options for a broker entry. The client id defaults to one unique to this
 * install and entry, so two installs never kick each other off the same broker.
 */
export function clientOptionsFor(
  entry: BrokerEntry,
  installId: string,
  secrets: BrokerSecrets = {},
  shareGroup?: string,
): IClientOptions {
  const base = entry.clientId || `topicflow-${installId}-${entry.id}`;
  const options: IClientOptions = {
    clientId: shareGroup ? `${base}-${shareGroup}` : base,
    clean: entry.clean,
    keepalive: entry.keepalive,
    connectTimeout: 10_000,
  };
  const url = new URL(entry.url);
  const username = entry.username ?? (url.username ? decodeURIComponent(url.username) : undefined);
  if (username) options.username = username;
  const password = secrets.password ?? (url.password ? decodeURIComponent(url.password) : undefined);
  if (password !== undefined) options.password = password;
  if (entry.will) {
    options.will = { topic: entry.will.topic, payload: Buffer.from(entry.will.payload), qos: entry.will.qos, retain: entry.will.retain };
  }
  if (entry.tls) {
    options.rejectUnauthorized = entry.tls.rejectUnauthorized;
    if (entry.tls.ca) options.ca = readTlsFile(entry, 'ca', entry.tls.ca);
    if (entry.tls.cert) options.cert = readTlsFile(entry, 'cert', entry.tls.cert);
    if (entry.tls.key) options.key = readTlsFile(entry, 'key', entry.tls.key);
    if (secrets.passphrase) (options as { passphrase?: string }).passphrase = secrets.passphrase;
  }
  return options;
}

function readTlsFile(entry: BrokerEntry, field: string, path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    throw new OperationalError(`broker "${entry.id}": cannot read tls.${field} file ${path}: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

/** The URL mqtt.js should dial: the entry's URL without credentials, TLS scheme when TLS is set. */
export function dialUrl(entry: BrokerEntry): string {
  const url = new URL(entry.url);
  url.username = '';
  url.password = '';
  if (entry.tls && (url.protocol === 'mqtt:' || url.protocol === 'tcp:')) url.protocol = 'mqtts:';
  return url.toString();
}
