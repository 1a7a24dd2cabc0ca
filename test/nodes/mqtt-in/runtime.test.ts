import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { BrokerHandle, IncomingPublish } from '../../../nodes/define-node.ts';
import { UNAVAILABLE } from '../../../nodes/message.ts';
import { mqttInNode } from '../../../nodes/mqtt-in/definition.ts';
import { mqttInRuntime } from '../../../nodes/mqtt-in/runtime.ts';
import { fakeContext } from '../../support/fake-context.ts';

/** A broker handle that remembers the one subscription, so a test can deliver to it. */
function subscribableBroker(): { handle: BrokerHandle; deliver: (topic: string, text: string, retained?: boolean) => void; filter: () => string | undefined } {
  let onMessage: ((publish: IncomingPublish) => void) | undefined;
  let filter: string | undefined;
  const handle: BrokerHandle = {
    state: 'connected',
    subscribe(f, _qos, fn) {
      filter = f;
      onMessage = fn;
      return () => {
        onMessage = undefined;
      };
    },
    publish() {},
    onState: () => () => {},
  };
  return {
    handle,
    filter: () => filter,
    deliver: (topic, text, retained = false) => onMessage?.({ topic, payload: Buffer.from(text), qos: 1, retained }),
  };
}

function setup(config: Record<string, unknown>) {
  const broker = subscribableBroker();
  const { ctx, rec } = fakeContext({ brokers: { home: broker.handle } });
  const node = mqttInRuntime.create(mqttInNode.config.parse({ broker: 'home', ...config }), ctx);
  return { node, broker, rec };
}

describe('mqtt-in runtime', () => {
  test('subscribes the plain filter and sends each message with its captures and parsed payload', () => {
    const t = setup({ topic: 'sensors/+room/th' });
    assert.equal(t.broker.filter(), 'sensors/+/th');
    t.broker.deliver('sensors/kitchen/th', '{"temperature":21.5,"humidity":48.2}');
    t.broker.deliver('sensors/bath/th', '22.5');
    assert.deepEqual(
      t.rec.sent.map((s) => s.msg),
      [
        { topic: 'sensors/kitchen/th', payload: { temperature: 21.5, humidity: 48.2 }, qos: 1, retained: false, captures: { room: 'kitchen' }, sourceTopic: 'sensors/kitchen/th', hops: 0 },
        { topic: 'sensors/bath/th', payload: 22.5, qos: 1, retained: false, captures: { room: 'bath' }, sourceTopic: 'sensors/bath/th', hops: 0 },
      ],
    );
  });

  test('captures at the first, a middle and the last level, several at once, and a #rest', () => {
    const cases: [string, string, Record<string, string>][] = [
      ['+site/temp', 'garden/temp', { site: 'garden' }],
      ['home/+room/+sensor/state', 'home/attic/th1/state', { room: 'attic', sensor: 'th1' }],
      ['home/+room', 'home/', { room: '' }],
      ['z2m/#path', 'z2m/a/b/c', { path: 'a/b/c' }],
      ['a/+x/#rest', 'a/b', { x: 'b', rest: '' }],
    ];
    for (const [filter, topic, captures] of cases) {
      const t = setup({ topic: filter });
      t.broker.deliver(topic, '1');
      assert.deepEqual(t.rec.sent[0]?.msg.captures, captures, `${filter} on ${topic}`);
    }
  });

  test('device JSON with a bare nan reads as unavailable inside the object', () => {
    const t = setup({ topic: 'tele/+dev/SENSOR' });
    t.broker.deliver('tele/plug/SENSOR', '{"Temperature":nan}');
    assert.deepEqual(t.rec.sent[0]!.msg.payload, { Temperature: UNAVAILABLE });
  });

  test('a payload that is not what the mode expects is a node error with the message, not a send', () => {
    const t = setup({ topic: 'a/+x', payload: 'number' });
    t.broker.deliver('a/b', 'warm');
    assert.equal(t.rec.sent.length, 0);
    assert.equal(t.rec.errors[0]!.error.message, 'payload "warm" is not a number');
    assert.equal(t.rec.errors[0]!.msg?.topic, 'a/b');
    assert.deepEqual(t.rec.errors[0]!.msg?.captures, { x: 'b' });
  });

  test('JSON-looking text that does not parse, and binary data, are refused in auto mode', () => {
    const t = setup({ topic: 'a/#' });
    t.broker.deliver('a/1', '{"t": 21.5');
    t.broker.deliver('a/2', '{"t":"\u007f"}');
    assert.equal(t.rec.sent.length, 0);
    assert.match(t.rec.errors[0]!.error.message, /^payload looks like JSON but is not valid/);
    assert.match(t.rec.errors[1]!.error.message, /^payload is binary data, not text/);
  });

  test('a payload over maxBytes is refused before it is parsed', () => {
    const t = setup({ topic: 'big', maxBytes: 8 });
    t.broker.deliver('big', '{"a":"123456"}');
    assert.equal(t.rec.sent.length, 0);
    assert.equal(t.rec.errors[0]!.error.message, 'payload of 14 bytes is larger than maxBytes 8');
  });
});
