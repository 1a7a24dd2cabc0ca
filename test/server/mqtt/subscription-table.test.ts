import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { IncomingPublish } from '../../../nodes/define-node.ts';
import { SubscriptionTable, TOPIC_CACHE_SIZE } from '../../../server/mqtt/subscription-table.ts';

const publish = (topic: string, retained = false): IncomingPublish => ({ topic, payload: new Uint8Array(), qos: 0, retained });

/** A table whose subscribers record what reaches them as `name@topic`. */
function recording() {
  const table = new SubscriptionTable();
  const got: string[] = [];
  const add = (name: string, filter: string) => table.add(filter, 0, (p) => got.push(`${name}@${p.topic}`));
  return { table, got, add };
}

describe('subscription table dispatch', () => {
  it('hands a message to every subscriber whose filter matches, once each', () => {
    const { table, got, add } = recording();
    add('room', 'zigbee2mqtt/+/th_sensor');
    add('all', 'zigbee2mqtt/#');
    add('other', 'tasmota/+/SENSOR');
    assert.equal(table.dispatch(publish('zigbee2mqtt/kitchen/th_sensor'), 0), 2);
    assert.equal(table.dispatch(publish('zigbee2mqtt/kitchen/th_sensor'), 0), 2);
    assert.equal(table.dispatch(publish('shellies/plug/relay/0'), 0), 0);
    assert.deepEqual(got.sort(), ['all@zigbee2mqtt/kitchen/th_sensor', 'all@zigbee2mqtt/kitchen/th_sensor', 'room@zigbee2mqtt/kitchen/th_sensor', 'room@zigbee2mqtt/kitchen/th_sensor']);
  });

  it('follows subscriptions added and removed after a topic was seen', () => {
    const { table, got, add } = recording();
    const reached = (): string[] => {
      got.length = 0;
      table.dispatch(publish('home/kitchen/temperature'), 0);
      return got.map((g) => g.split('@')[0]!).sort();
    };
    const first = add('first', 'home/+/temperature');
    assert.deepEqual(reached(), ['first']);
    add('second', 'home/kitchen/#');
    assert.deepEqual(reached(), ['first', 'second']);
    table.remove(first);
    assert.deepEqual(reached(), ['second']);
  });

  it('gives a retained replay only to subscribers still waiting for theirs', () => {
    const { table, got, add } = recording();
    const old = add('old', 'home/+/state');
    old.freshUntil = 1000; // its replay window ended at t=1000
    add('new', 'home/+/state'); // not acknowledged yet: takes replays
    table.dispatch(publish('home/lamp/state', true), 2000);
    table.dispatch(publish('home/lamp/state'), 2000);
    assert.deepEqual(got, ['new@home/lamp/state', 'old@home/lamp/state', 'new@home/lamp/state']);
  });

  it('keeps delivering when more topics are seen than it remembers', () => {
    const { table, got, add } = recording();
    add('sensor', 'sensors/+/value');
    const topics = TOPIC_CACHE_SIZE + 50;
    for (let i = 0; i < topics; i++) table.dispatch(publish(`sensors/s${i}/value`), 0);
    table.dispatch(publish('sensors/s0/value'), 0);
    assert.equal(got.length, topics + 1);
    assert.equal(got.at(-1), 'sensor@sensors/s0/value');
  });
});
