/**
 * The bench's reference: the rule of the reference workload written by hand on mqtt.js, the
 * way a hobbyist would without a rule engine. For each rule k it subscribes
 * `sensors/<k>/+/th`, takes `temperature` from the JSON payload, and publishes "ON" (above
 * 25) or "OFF" on `actuator/<k>/<room>/fan` for every message.
 *
 *     node --import tsx bench/relay/relay.ts --broker mqtt://127.0.0.1:1883 --rules 1 --qos 0
 *
 * It prints `relay subscribed` once the broker has acknowledged every subscription, and
 * disconnects on SIGTERM/SIGINT.
 */
import mqtt from 'mqtt';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    broker: { type: 'string' },
    rules: { type: 'string', default: '1' },
    qos: { type: 'string', default: '0' },
  },
});
if (!values.broker) throw new Error('relay: --broker URL is required');
const rules = Number(values.rules);
const qos = Number(values.qos) as 0 | 1;
if (!Number.isInteger(rules) || rules < 1 || (qos !== 0 && qos !== 1)) throw new Error('relay: --rules N (≥ 1) and --qos 0|1');

const client = mqtt.connect(values.broker, { clientId: `bench-relay-${process.pid}`, clean: true, reconnectPeriod: 1000 });

client.on('message', (topic, payload) => {
  // sensors/<k>/<room>/th
  const [, rule, room] = topic.split('/');
  let temperature: unknown;
  try {
    temperature = (JSON.parse(payload.toString()) as { temperature?: unknown }).temperature;
  } catch {
    return;
  }
  if (typeof temperature !== 'number') return;
  client.publish(`actuator/${rule}/${room}/fan`, temperature > 25 ? 'ON' : 'OFF', { qos });
});

client.once('connect', () => {
  const filters: Record<string, { qos: 0 | 1 }> = {};
  for (let k = 0; k < rules; k++) filters[`sensors/${k}/+/th`] = { qos };
  client.subscribe(filters, (error) => {
    if (error) {
      process.stderr.write(`relay: subscribe failed: ${error.message}\n`);
      process.exit(1);
    }
    process.stdout.write('relay subscribed\n');
  });
});
client.on('error', (error) => process.stderr.write(`relay: ${error.message}\n`));

const stop = (): void => {
  client.end(false, {}, () => process.exit(0));
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
