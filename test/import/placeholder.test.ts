/**
 * The placeholder node type: registered, part of the published schema, an error at validation
 * (so deploying is refused with a message naming it), and never started by the engine.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { validateDocument } from '../../nodes/document/validate.ts';
import { definitionsByType } from '../../nodes/registry.ts';
import { nodeRuntimes } from '../../nodes/runtimes.ts';
import { PLACEHOLDER_TYPE } from '../../nodes/placeholder/definition.ts';
import { documentJsonSchema } from '../../nodes/document/json-schema.ts';
import { BrokerPool } from '../../server/mqtt/pool.ts';
import { Engine } from '../../server/engine/engine.ts';

const doc = {
  format: 'topicflow/1',
  brokers: [],
  nodes: [
    { id: 'inj', type: 'inject', config: { payload: 1 } },
    { id: 'fn', type: PLACEHOLDER_TYPE, name: 'calc', config: { nodeRedType: 'function', reason: 'it runs JavaScript', original: { id: 'fn', type: 'function', func: 'return msg;' } } },
    { id: 'dbg', type: 'debug', config: {} },
  ],
  edges: [{ source: 'inj', target: 'fn' }, { source: 'fn', target: 'dbg' }],
};

describe('placeholder node', () => {
  test('is a registered node type with a runtime, in the published JSON Schema', () => {
    assert.equal(definitionsByType.get(PLACEHOLDER_TYPE)?.inputs, 1);
    assert.equal(definitionsByType.get(PLACEHOLDER_TYPE)?.outputs, 1);
    assert.ok(nodeRuntimes.has(PLACEHOLDER_TYPE));
    assert.match(JSON.stringify(documentJsonSchema()), /"unsupported"/);
  });

  test('validation refuses it with a message naming the node and the Node-RED type', () => {
    const result = validateDocument(doc);
    assert.equal(result.ok, false);
    assert.deepEqual(result.errors.map((e) => [e.code, e.nodeId]), [['node.placeholder', 'fn']]);
    assert.equal(result.errors[0]!.message, `node fn ("calc") is a placeholder for Node-RED 'function': it runs JavaScript; replace or remove it before deploying`);
  });

  test('the engine refuses to start it even without validation', async () => {
    const engine = new Engine({ pool: new BrokerPool({ installId: 'placeholder-test', secrets: () => undefined, onState: () => undefined }) });
    assert.throws(() => engine.deploy(doc as never), /placeholder for Node-RED 'function'/);
    await engine.stop();
  });
});
