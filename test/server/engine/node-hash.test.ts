/**
 * A running node's hash is compared with the hash saved with its state, so the fast way of
 * putting it together must give the very text `stableJson({ type, config, brokers })` gives.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { deepFreeze } from '../../../nodes/document/json-value.ts';
import { stableJson } from '../../../nodes/stable-json.ts';
import { BrokerJson, nodeHash } from '../../../server/engine/node-hash.ts';

const brokerArb = fc.record({ id: fc.constantFrom('home', 'lab', 'b"q'), url: fc.constant('mqtt://h:1883'), keepalive: fc.nat(100) }, { requiredKeys: ['id', 'url'] });

test('nodeHash is stableJson({ type, config, brokers }), frozen config or not, asked once or twice', () => {
  fc.assert(
    fc.property(
      fc.string(),
      fc.dictionary(fc.string(), fc.jsonValue()),
      fc.subarray(['broker', 'other', 'missing']),
      fc.constantFrom('home', 'lab', 'b"q', 'nowhere'),
      fc.array(brokerArb, { maxLength: 3 }),
      fc.boolean(),
      (type, fields, brokerFields, ref, entries, freeze) => {
        const config: Record<string, unknown> = { ...fields, broker: ref, other: 'lab' };
        const brokers = new Map<string, object>(entries.map((b) => [b.id, b]));
        const expected = stableJson({ type, config, brokers: brokerFields.map((f) => brokers.get(String(config[f]))) });
        if (freeze) deepFreeze(config);
        assert.equal(nodeHash(type, config, brokerFields, new BrokerJson(brokers)), expected);
        assert.equal(nodeHash(type, config, brokerFields, new BrokerJson(brokers)), expected);
      },
    ),
    { numRuns: 300 },
  );
});

test('a frozen config hashed again against changed brokers gets the new hash', () => {
  const config = deepFreeze({ broker: 'home', topic: 't' });
  const before = nodeHash('mqtt-in', config, ['broker'], new BrokerJson(new Map([['home', { id: 'home', url: 'mqtt://a' }]])));
  const after = nodeHash('mqtt-in', config, ['broker'], new BrokerJson(new Map([['home', { id: 'home', url: 'mqtt://b' }]])));
  assert.notEqual(before, after);
  assert.equal(after, stableJson({ type: 'mqtt-in', config, brokers: [{ id: 'home', url: 'mqtt://b' }] }));
  assert.notEqual(nodeHash('debug', config, ['broker'], new BrokerJson(new Map())), nodeHash('mqtt-in', config, ['broker'], new BrokerJson(new Map())));
});
