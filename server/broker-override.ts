import type { FlowDocument } from '../nodes/document/schema.ts';
import type { BrokerSecrets } from './mqtt/client-options.ts';

export interface Override {
  readonly document: FlowDocument;
  /** The password from the URL, for every broker entry; it never enters the document. */
  readonly secrets: (brokerId: string) => BrokerSecrets | undefined;
}

/**
 * `--broker URL`: point every broker entry of the document at one broker. A user name in
 * the URL becomes the entries' username; the password is kept aside as a secret.
 */
export function overrideBrokers(document: FlowDocument, brokerUrl: string): Override {
  const url = new URL(brokerUrl);
  const username = url.username ? decodeURIComponent(url.username) : undefined;
  const secrets = secretsInUrl(brokerUrl);
  url.username = '';
  url.password = '';
  const plain = url.toString().replace(/\/$/, '');
  return {
    document: {
      ...document,
      brokers: document.brokers.map((b) => ({ ...b, url: plain, ...(username ? { username } : {}) })),
    },
    secrets: () => secrets,
  };
}

/** The password written in a broker URL (`mqtt://user:pass@host`), as a secret. */
export function secretsInUrl(brokerUrl: string): BrokerSecrets | undefined {
  const url = new URL(brokerUrl);
  return url.password ? { password: decodeURIComponent(url.password) } : undefined;
}
