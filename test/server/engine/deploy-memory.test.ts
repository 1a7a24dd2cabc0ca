/**
 * Deploys fed by the DocumentValidator, as the server's are: an untouched node is the very
 * frozen node of the deploy before, and keeps running; a changed one, a moved one, and
 * every node of a broker whose entry changed restart, exactly as the hashes say.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DocumentValidator } from '../../../nodes/document/incremental.ts';
import type { FlowDocument } from '../../../nodes/document/schema.ts';
import { Engine } from '../../../server/engine/engine.ts';
import { BrokerPool } from '../../../server/mqtt/pool.ts';

const flow = (above: number, url = 'mqtt://127.0.0.1:1', order: 'in-first' | 'in-last' = 'in-first') => {
  const input = { id: 'in', type: 'mqtt-in', config: { broker: 'b', topic: 't/+room' } };
  const rest = [
    { id: 'hot', type: 'threshold', config: { above } },
    { id: 'cold', type: 'threshold', config: { below: 10 } },
    { id: 'log', type: 'debug', config: {} },
  ];
  return {
    format: 'topicflow/1',
    brokers: [{ id: 'b', url }],
    nodes: order === 'in-first' ? [input, ...rest] : [...rest, input],
    edges: [
      { source: 'in', target: 'hot' },
      { source: 'in', target: 'cold' },
      { source: 'hot', target: 'log' },
      { source: 'cold', target: 'log' },
    ],
  };
};

test('an engine fed by the validator restarts exactly the nodes whose hash changed', async () => {
  const validator = new DocumentValidator();
  const engine = new Engine({ pool: new BrokerPool({ installId: 'test' }) });
  const deploy = (input: unknown) => {
    const result = validator.validate(input);
    assert.ok(result.ok, JSON.stringify(result.errors));
    return engine.deploy(result.document as FlowDocument);
  };
  try {
    deploy(flow(25));
    assert.deepEqual(deploy(flow(25)).started, []);
    assert.deepEqual(deploy(flow(26)).started, ['hot']);
    assert.deepEqual(deploy(flow(26, 'mqtt://127.0.0.1:1', 'in-last')).started, [], 'a move restarts nothing');
    assert.deepEqual(deploy(flow(26, 'mqtt://127.0.0.1:2', 'in-last')).started, ['in'], 'a new broker URL restarts its nodes');
    assert.deepEqual(deploy(flow(26, 'mqtt://127.0.0.1:2', 'in-last')).started, []);
  } finally {
    await engine.stop();
  }
});
