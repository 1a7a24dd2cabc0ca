import { stableJson } from '../../nodes/stable-json.ts';

/**
 * The hashes of frozen configs. The validator deep-freezes the configs it reuses across
 * deploys, so a deploy that leaves a node alone hands the engine the very config object it
 * hashed last time: a look-up instead of a serialisation per node.
 */
const hashOf = new WeakMap<object, { readonly type: string; readonly brokers: string; readonly hash: string }>();

/** stableJson of broker entries by id, for the nodes of one deploy (a few entries, thousands of nodes). */
export class BrokerJson {
  private readonly json = new Map<string, string>();

  constructor(private readonly brokers: ReadonlyMap<string, object>) {}

  of(id: string): string {
    let json = this.json.get(id);
    if (json === undefined) {
      const entry = this.brokers.get(id);
      this.json.set(id, (json = entry === undefined ? 'null' : stableJson(entry)));
    }
    return json;
  }
}

/**
 * The hash a running node is compared by: exactly `stableJson({ type, config, brokers })`
 * (saved node state carries it, so its text must not change), put together from parts.
 */
export function nodeHash(type: string, config: Record<string, unknown>, brokerFields: readonly string[], brokers: BrokerJson): string {
  let used = '';
  for (let i = 0; i < brokerFields.length; i++) {
    const json = brokers.of(String(config[brokerFields[i]!]));
    used = i === 0 ? json : `${used},${json}`;
  }
  const frozen = Object.isFrozen(config);
  const known = frozen ? hashOf.get(config) : undefined;
  if (known && known.type === type && known.brokers === used) return known.hash;
  const hash = `{"brokers":[${used}],"config":${stableJson(config)},"type":${JSON.stringify(type)}}`;
  if (frozen) hashOf.set(config, { type, brokers: used, hash });
  return hash;
}
