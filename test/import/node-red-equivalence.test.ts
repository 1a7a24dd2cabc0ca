/**
 * Equivalence with Node-RED, measured: each fixture (a realistic Node-RED 4 export) runs in
 * the real Node-RED, then converted in topicflow, against the same Mosquitto and the same
 * input messages; the actuator messages (topic, payload, QoS, retain) must be the same, in
 * the same order on each topic and answering the same input message (see byInputAndTopic).
 * One Node-RED process serves the suite; each fixture is a full deploy.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { convertNodeRed } from '../../nodes/import/convert.ts';
import { validateDocument } from '../../nodes/document/validate.ts';
import { startMosquitto, type TestBroker } from '../support/brokers.ts';
import { suiteNeeds } from '../support/requirements.ts';
import { byInputAndTopic, loadFixtures, runOnNodeRed, runOnTopicflow } from './support/equivalence.ts';
import { startNodeRed, type NodeRed } from './support/node-red.ts';

const SUITE = 'Node-RED equivalence';
const fixtures = loadFixtures();

describe(SUITE, suiteNeeds('mosquitto', SUITE), () => {
  let broker: TestBroker;
  let nodeRed: NodeRed;

  before(async () => {
    [broker, nodeRed] = await Promise.all([startMosquitto(), startNodeRed()]);
  });
  after(async () => {
    await Promise.all([nodeRed?.stop(), broker?.stop()]);
  });

  test('there are at least 8 fixtures, each converting to a deployable flow', () => {
    assert.ok(fixtures.length >= 8, `only ${fixtures.length} fixtures`);
    for (const { name, fixture } of fixtures) {
      const { document, report } = convertNodeRed(fixture);
      const result = validateDocument(document);
      assert.ok(result.ok, `${name}: ${JSON.stringify(result.errors)}`);
      assert.equal(report.summary.unsupported, 0, `${name}: ${JSON.stringify(report.unsupported)}`);
    }
  });

  for (const { name, fixture } of fixtures) {
    test(`${name}: ${fixture.description}`, async () => {
      const expected = await runOnNodeRed(nodeRed, broker.port, fixture);
      const actual = await runOnTopicflow(broker.url, fixture);
      assert.ok(expected.length > 0, `Node-RED sent nothing for ${name}:\n${nodeRed.log().slice(-2000)}`);
      // Every message, on every topic in the same order, caused by the same input message.
      assert.deepEqual(byInputAndTopic(actual), byInputAndTopic(expected));
    });
  }
});
