import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { BrokerHandle, PublishOptions } from '../../../nodes/define-node.ts';
import { newMessage, UNAVAILABLE } from '../../../nodes/message.ts';
import { mqttOutNode } from '../../../nodes/mqtt-out/definition.ts';
import { mqttOutRuntime } from '../../../nodes/mqtt-out/runtime.ts';
import { validateTopicName } from '../../../nodes/topic/filter.ts';
import { fakeContext } from '../../support/fake-context.ts';

interface Published {
  topic: string;
  payload: string | Uint8Array;
  options: PublishOptions;
}

/** A connected broker that checks topics as the real connection does and records publishes. */
function recordingBroker(): { handle: BrokerHandle; published: Published[] } {
  const published: Published[] = [];
  const handle: BrokerHandle = {
    state: 'connected',
    subscribe: () => () => {},
    publish(topic, payload, options) {
      const problem = validateTopicName(topic);
      if (problem) throw new Error(`topic "${topic}": ${problem}`);
      published.push({ topic, payload, options });
    },
    onState: () => () => {},
  };
  return { handle, published };
}

function setup(config: Record<string, unknown>) {
  const { handle, published } = recordingBroker();
  const { ctx, rec } = fakeContext({ brokers: { home: handle } });
  const node = mqttOutRuntime.create(mqttOutNode.config.parse({ broker: 'home', ...config }), ctx);
  return { node, published, rec };
}

const room = (name: string, payload: unknown) =>
  newMessage({ topic: `home/${name}/temperature`, payload, captures: { room: name } });

describe('mqtt-out runtime', () => {
  test('a templated topic takes the capture; text goes out as plain text', () => {
    const t = setup({ topic: 'actuator/{room}/fan', qos: 1 });
    t.node.input!(room('kitchen', 'ON'));
    t.node.input!(room('bedroom', 'OFF'));
    assert.deepEqual(
      t.published.map((p) => [p.topic, p.payload]),
      [
        ['actuator/kitchen/fan', 'ON'],
        ['actuator/bedroom/fan', 'OFF'],
      ],
    );
    assert.deepEqual(t.published[0]!.options, { qos: 1, retain: false });
    assert.deepEqual(t.rec.errors, []);
  });

  test('doubled braces are literal braces, with or without fields in the topic', () => {
    const t = setup({ topic: 'lights/{{all}}/set' });
    t.node.input!(room('kitchen', 'ON'));
    const u = setup({ topic: '{room}/{{x}}' });
    u.node.input!(room('kitchen', 'ON'));
    assert.deepEqual([t.published[0]?.topic, u.published[0]?.topic], ['lights/{all}/set', 'kitchen/{x}']);
  });

  test('templates with the field first, last, alone or twice, and message fields', () => {
    const cases: [string, string][] = [
      ['{room}/fan', 'kitchen/fan'],
      ['fans/{room}', 'fans/kitchen'],
      ['{room}', 'kitchen'],
      ['{room}/{room}', 'kitchen/kitchen'],
      ['copy/{topic}', 'copy/home/kitchen/temperature'],
      ['set/{payload}', 'set/ON'],
    ];
    for (const [template, expected] of cases) {
      const t = setup({ topic: template });
      t.node.input!(room('kitchen', 'ON'));
      assert.equal(t.published[0]?.topic, expected, template);
    }
  });

  test('a field the message does not have is a node error and nothing is published', () => {
    const t = setup({ topic: 'actuator/{zone}/fan' });
    t.node.input!(room('kitchen', 'ON'));
    assert.equal(t.published.length, 0);
    assert.equal(t.rec.errors[0]?.error.message, 'topic needs {zone}, which this message does not have');
  });

  test('a rendered topic with a wildcard is a node error naming the topic', () => {
    const t = setup({ topic: 'actuator/{room}/fan' });
    t.node.input!(room('a+b', 'ON'));
    assert.equal(t.published.length, 0);
    assert.match(t.rec.errors[0]!.error.message, /^topic "actuator\/a\+b\/fan": A topic to publish on cannot contain "\+"/);
    assert.equal(t.rec.errors[0]!.msg?.payload, 'ON');
  });

  test('payloads: numbers as decimals, objects as JSON, json format quotes text', () => {
    const auto = setup({ topic: 'out' });
    for (const payload of [21.5, { a: 1 }, true]) auto.node.input!(newMessage({ payload }));
    assert.deepEqual(auto.published.map((p) => p.payload), ['21.5', '{"a":1}', 'true']);
    const json = setup({ topic: 'out', format: 'json' });
    json.node.input!(newMessage({ payload: 'ON' }));
    assert.deepEqual(json.published.map((p) => p.payload), ['"ON"']);
  });

  test('an unavailable value is counted, not published', () => {
    const t = setup({ topic: 'actuator/{room}/fan' });
    t.node.input!(room('kitchen', UNAVAILABLE));
    assert.equal(t.published.length, 0);
    assert.equal(t.rec.unavailable.length, 1);
    assert.deepEqual(t.rec.errors, []);
  });
});
