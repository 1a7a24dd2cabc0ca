import type { IncomingPublish } from '../define-node.ts';
import { defineRuntime } from '../define-node.ts';
import type { Message } from '../message.ts';
import { parsePayload } from '../payload.ts';
import { extractCaptures, parseNamedFilter, topicMatchesFilter } from '../topic/filter.ts';
import { mqttInNode } from './definition.ts';
import { connectionStatus } from '../connection-status.ts';

const NO_CAPTURES: Readonly<Record<string, string>> = Object.freeze({});

export const mqttInRuntime = defineRuntime(mqttInNode, (config, ctx) => {
  const parsed = parseNamedFilter(config.topic);
  // The definition's schema already refused a bad filter; this guards direct callers.
  if (!parsed.ok) throw new Error(`topic: ${parsed.error}`);
  const filter = parsed.filter;
  const hasCaptures = filter.captures.length > 0;
  // One `+name` (the usual filter) is cut out of the topic from these two values, so a message
  // does not read the filter's capture list (cold in the cache with many rules).
  const only = filter.captures.length === 1 && !filter.captures[0]!.rest ? filter.captures[0] : undefined;
  const onlyLevel = only ? only.level : -1;
  const onlyName = only ? only.name : '';
  // Read per message; kept here so that a message does not also load the config object.
  const { maxBytes, payload: mode } = config;
  const broker = ctx.broker(config.broker, config.shareGroup);

  const onPublish = (publish: IncomingPublish): void => {
    if (publish.payload.length > maxBytes) {
      ctx.error(
        new Error(`payload of ${publish.payload.length} bytes is larger than maxBytes ${maxBytes}`),
        toMessage(publish, undefined, NO_CAPTURES),
      );
      return;
    }
    const captures = !hasCaptures ? NO_CAPTURES : onlyLevel >= 0 ? oneCapture(publish.topic, onlyLevel, onlyName) : extractCaptures(filter, publish.topic);
    const result = parsePayload(publish.payload, mode);
    if (!result.ok) {
      ctx.error(new Error(result.error), toMessage(publish, publish.payload, captures));
      return;
    }
    ctx.send(toMessage(publish, result.value, captures));
  };

  const stopStatus = broker.onState((state, reason) => ctx.status(connectionStatus(state, reason)));
  ctx.status(connectionStatus(broker.state));
  const unsubscribe = broker.subscribe(filter.brokerFilter, config.qos, onPublish);
  return {
    trigger(test) {
      // A test value goes through the same parsing as a real one: "nan" is unavailable, "21.5" a number.
      if (!test) throw new Error('send a payload to test an mqtt-in node');
      const topic = test.topic || filter.brokerFilter.replace(/\+/g, 'test').replace(/#$/, 'test');
      if (!topicMatchesFilter(filter.brokerFilter, topic)) {
        throw new Error(`test topic "${topic}" does not match the filter ${config.topic}`);
      }
      const text = typeof test.payload === 'string' ? test.payload : JSON.stringify(test.payload ?? '');
      onPublish({ topic, payload: new TextEncoder().encode(text), qos: 0, retained: false });
    },
    close() {
      unsubscribe();
      stopStatus();
    },
  };
});

/**
 * `{ [name]: level `level` of `topic` }`, as extractCaptures gives for a filter whose one
 * capture is that `+name` (the topic matched the filter, so the level exists). The name passed
 * parseNamedFilter, which refuses `__proto__`, so plain assignment makes an own property.
 */
function oneCapture(topic: string, level: number, name: string): Record<string, string> {
  let start = 0;
  for (let i = 0; i < level; i++) start = topic.indexOf('/', start) + 1;
  const end = topic.indexOf('/', start);
  const out: Record<string, string> = {};
  out[name] = topic.slice(start, end < 0 ? topic.length : end);
  return out;
}

function toMessage(publish: IncomingPublish, payload: unknown, captures: Readonly<Record<string, string>>): Message {
  return { topic: publish.topic, payload, qos: publish.qos, retained: publish.retained, captures, sourceTopic: publish.topic, hops: 0 };
}
