// In-process: engine hot path without sockets. A fake pool whose connection records the
// subscription handler (through the real SubscriptionTable) and swallows publishes.
import { validateDocument } from '../../nodes/document/validate.ts';
import { Engine } from '../../server/engine/engine.ts';
import { SubscriptionTable } from '../../server/mqtt/subscription-table.ts';
import type { BrokerPool } from '../../server/mqtt/pool.ts';
import { rulesDocument, LOAD_PAYLOADS, LOAD_ROOMS, sensorTopic } from '../lib/workload.ts';

const table = new SubscriptionTable();
let published = 0;
const connection = {
  state: 'connected',
  subscribe(filter: string, qos: 0 | 1, fn: (p: unknown) => void) { const s = table.add(filter, qos, fn as never); return () => table.remove(s); },
  publish(_t: string, _p: unknown, _o: unknown) { published++; },
  onState() { return () => {}; },
};
const pool = { acquire: () => ({ connection, release() {} }), closeAll: async () => {} } as unknown as BrokerPool;
const rules = Number(process.argv[2] ?? 1);
const doc = validateDocument(rulesDocument({ rules, qos: 0, brokerUrl: 'mqtt://127.0.0.1:1' }));
if (!doc.ok) throw new Error(JSON.stringify(doc.errors));
const engine = new Engine({ pool });
engine.deploy(doc.document!);
const topics: string[] = [];
for (const room of LOAD_ROOMS) for (let k = 0; k < rules; k++) topics.push(sensorTopic(k, room));
const N = Number(process.argv[3] ?? 500000);
const from = Number(process.hrtime.bigint() / 1000n);
for (let round = 0; round < 3; round++) {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  for (let i = 0; i < N; i++) table.dispatch({ topic: topics[i % topics.length]!, payload: LOAD_PAYLOADS[i % 8]!, qos: 0, retained: false }, 0);
  const c = process.cpuUsage(c0);
  console.log(`rules ${rules}: ${((performance.now() - t0) * 1000 / N).toFixed(2)} µs/msg wall, ${((c.user + c.system) / N).toFixed(2)} µs/msg cpu, published ${published}`);
}
console.log(`WINDOW ${from} ${Number(process.hrtime.bigint() / 1000n)}`);
