/**
 * Warnings: documents that are valid and deploy, but hold something a person rarely means.
 * Each test checks the code and who the warning is about, and that it does not block a deploy.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Problem } from '../../../nodes/errors.ts';
import { validateDocument } from '../../../nodes/document/validate.ts';

type Fields = Record<string, unknown>;
interface Doc extends Fields {
  brokers: Fields[];
  nodes: Fields[];
  edges: Fields[];
}

const HOME = { id: 'home', name: 'Mosquitto', url: 'mqtt://192.168.1.10:1883' };

/** A straight chain in → out with nothing else: the shape most feedback-loop cases need. */
function chain(inTopic: string, outTopic: string, outBroker = 'home'): Doc {
  return {
    format: 'topicflow/1',
    brokers: outBroker === 'home' ? [HOME] : [HOME, { id: outBroker, url: 'mqtt://192.168.1.20:1883' }],
    nodes: [
      { id: 'in', type: 'mqtt-in', config: { broker: 'home', topic: inTopic } },
      { id: 'hot', type: 'threshold', config: { above: 25 } },
      { id: 'out', type: 'mqtt-out', config: { broker: outBroker, topic: outTopic } },
    ],
    edges: [
      { source: 'in', target: 'hot' },
      { source: 'hot', target: 'out' },
    ],
  };
}

/** Validate, insist the document is valid (warnings never block), and return the warnings. */
function warningsOf(doc: Doc): readonly Problem[] {
  const result = validateDocument(doc);
  assert.deepEqual(result.errors, [], 'a document with only warnings must have no errors');
  assert.equal(result.ok, true);
  return result.warnings;
}

/** The warnings with `code`, as `{ code, nodeId | brokerId }` for deepEqual. */
function find(warnings: readonly Problem[], code: string): Fields[] {
  return warnings
    .filter((w) => w.code === code)
    .map((w) => ({ code: w.code, ...(w.nodeId ? { nodeId: w.nodeId } : {}), ...(w.brokerId ? { brokerId: w.brokerId } : {}) }));
}

describe('document warnings', () => {
  test('a clean document has none (control case)', () => {
    assert.deepEqual(warningsOf(chain('zigbee2mqtt/+room/th_sensor', 'zigbee2mqtt/{room}_fan_plug/set')), []);
  });

  test('a node wired to nothing', () => {
    const doc = chain('zigbee2mqtt/+room/th_sensor', 'zigbee2mqtt/{room}_fan_plug/set');
    doc.nodes.push(
      { id: 'sonoff', type: 'mqtt-in', config: { broker: 'home', topic: 'tele/sonoff_th/SENSOR' } },
      { id: 'power', type: 'transform', config: { ops: [{ op: 'path', path: 'ENERGY.Power' }] } },
    );
    const warnings = warningsOf(doc);
    assert.deepEqual(find(warnings, 'node.unwired'), [
      { code: 'node.unwired', nodeId: 'sonoff' },
      { code: 'node.unwired', nodeId: 'power' },
    ]);
    const power = warnings.find((w) => w.nodeId === 'power')!;
    assert.equal(power.path, 'nodes[4]');
    assert.match(power.message, /not wired/);
    assert.match(warnings.find((w) => w.nodeId === 'sonoff')!.message, /nothing wired to its output/);
  });

  describe('feedback loop: an mqtt-out publishing where an mqtt-in of the same broker listens', () => {
    test('home/fan/set published, home/# subscribed, downstream of that mqtt-in', () => {
      const warnings = warningsOf(chain('home/#', 'home/fan/set'));
      assert.deepEqual(find(warnings, 'flow.feedback-loop'), [{ code: 'flow.feedback-loop', nodeId: 'out' }]);
      const loop = warnings.find((w) => w.code === 'flow.feedback-loop')!;
      assert.equal(loop.path, 'nodes[2].config.topic');
      assert.match(loop.message, /"out"/);
      assert.match(loop.message, /home\/fan\/set/);
      assert.match(loop.message, /its own source/);
    });

    test('a Zigbee2MQTT catch-all and a plug command topic', () => {
      assert.deepEqual(find(warningsOf(chain('zigbee2mqtt/#', 'zigbee2mqtt/fan_plug/set')), 'flow.feedback-loop'), [
        { code: 'flow.feedback-loop', nodeId: 'out' },
      ]);
    });

    test('a templated topic: actuator/{room}/fan against actuator/+/fan', () => {
      const doc = chain('zigbee2mqtt/+room/th_sensor', 'actuator/{room}/fan');
      doc.nodes.push({ id: 'fans', type: 'mqtt-in', config: { broker: 'home', topic: 'actuator/+/fan' } });
      doc.nodes.push({ id: 'log', type: 'debug' });
      doc.edges.push({ source: 'fans', target: 'log' });
      const warnings = warningsOf(doc);
      assert.deepEqual(find(warnings, 'flow.feedback-loop'), [{ code: 'flow.feedback-loop', nodeId: 'out' }]);
      // Not downstream of "fans", so it is an echo, not a loop through itself.
      const loop = warnings.find((w) => w.code === 'flow.feedback-loop')!;
      assert.match(loop.message, /also receives/);
      assert.match(loop.message, /actuator\/\+\/fan/);
    });

    test('the same topics on different brokers are no loop', () => {
      assert.deepEqual(find(warningsOf(chain('home/#', 'home/fan/set', 'garage')), 'flow.feedback-loop'), []);
    });

    test('topics that cannot meet are no loop', () => {
      for (const [sub, pub] of [
        ['zigbee2mqtt/+room/th_sensor', 'zigbee2mqtt/{room}_fan_plug/set'],
        ['shellies/+/sensor/temperature', 'shellies/shelly1-A1B2C3/relay/0/command'],
        ['tele/+/SENSOR', 'cmnd/dehumidifier/POWER'],
      ] as const) {
        assert.deepEqual(find(warningsOf(chain(sub, pub)), 'flow.feedback-loop'), [], `${sub} vs ${pub}`);
      }
    });

    test('a publish topic no broker accepts does not make the check throw', () => {
      // The mqtt-out schema only refuses wildcards; the overlap check must still cope.
      for (const topic of ['$share/fans/home/fan/set', 'home/\u0001/fan', 'home/\uD800']) {
        const result = validateDocument(chain('#', topic));
        assert.deepEqual(find(result.warnings, 'flow.feedback-loop'), [], JSON.stringify(topic));
      }
    });
  });

  test('a cycle in the graph', () => {
    const doc = chain('zigbee2mqtt/+room/th_sensor', 'zigbee2mqtt/{room}_fan_plug/set');
    doc.nodes.push({ id: 'scale', type: 'transform', config: { ops: [{ op: 'scale', factor: 1.8, offset: 32 }] } });
    doc.edges.push({ source: 'hot', target: 'scale' }, { source: 'scale', target: 'hot' });
    const warnings = warningsOf(doc);
    assert.deepEqual(find(warnings, 'flow.cycle'), [{ code: 'flow.cycle', nodeId: 'hot' }]);
    assert.match(warnings.find((w) => w.code === 'flow.cycle')!.message, /hot → scale → hot/);
  });

  test('a broker no node uses', () => {
    const doc = chain('zigbee2mqtt/+room/th_sensor', 'zigbee2mqtt/{room}_fan_plug/set');
    doc.brokers.push({ id: 'garage', url: 'mqtt://192.168.1.20:1883' });
    const warnings = warningsOf(doc);
    assert.deepEqual(find(warnings, 'broker.unused'), [{ code: 'broker.unused', brokerId: 'garage' }]);
    assert.equal(warnings.find((w) => w.code === 'broker.unused')!.path, 'brokers[1]');
  });

  test('a public test broker', () => {
    const doc = chain('zigbee2mqtt/+room/th_sensor', 'zigbee2mqtt/{room}_fan_plug/set');
    doc.brokers = [{ id: 'home', url: 'mqtt://broker.hivemq.com:1883' }];
    const warnings = warningsOf(doc);
    assert.deepEqual(find(warnings, 'broker.public'), [{ code: 'broker.public', brokerId: 'home' }]);
    const warning = warnings.find((w) => w.code === 'broker.public')!;
    assert.equal(warning.path, 'brokers[0].url');
    assert.match(warning.message, /broker\.hivemq\.com/);
  });

  test('an unknown config field (a typo of hysteresis)', () => {
    const doc = chain('zigbee2mqtt/+room/th_sensor', 'zigbee2mqtt/{room}_fan_plug/set');
    doc.nodes[1] = { id: 'hot', type: 'threshold', config: { above: 25, hysterisis: 0.5 } };
    const result = validateDocument(doc);
    assert.equal(result.ok, true);
    assert.deepEqual(find(result.warnings, 'config.unknown-field'), [{ code: 'config.unknown-field', nodeId: 'hot' }]);
    const warning = result.warnings.find((w) => w.code === 'config.unknown-field')!;
    assert.equal(warning.path, 'nodes[1].config.hysterisis');
    assert.match(warning.message, /"hysterisis" is not a field of threshold/);
    // The typo is ignored, so the real field keeps its default: the warning is the only clue.
    assert.equal(result.document!.nodes[1]!.config['hysteresis'], 0);
    assert.equal('hysterisis' in result.document!.nodes[1]!.config, false);
  });
});
