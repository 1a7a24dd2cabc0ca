import { startMosquitto, connectClient } from './test/support/brokers.ts';
import { convertNodeRed } from './nodes/import/convert.ts';
import { runFlow, waitSubscribed } from './test/support/flows.ts';
import { loadFixtures } from './test/import/support/equivalence.ts';
const broker = await startMosquitto();
const fx = loadFixtures().find(f => f.name === 'switch-loose-comparisons')!.fixture;
const { document } = convertNodeRed(fx);
const doc = { ...document, brokers: document.brokers!.map(b => ({ ...b, url: broker.url })) };
const col = await connectClient(broker.url, { protocolVersion: 5 });
let t = 0;
col.on('message', (top, p) => console.log('   +', Date.now() - t, top, p.toString()));
await col.subscribeAsync('lab/rule/#', { qos: 2, rap: true });
const flow = runFlow(doc); await waitSubscribed(flow);
const feeder = await connectClient(broker.url);
for (const m of fx.scenario.messages) { t = Date.now(); console.log('pub', JSON.stringify(m.payload)); await feeder.publishAsync(m.topic, typeof m.payload === 'string' ? m.payload : JSON.stringify(m.payload), { qos: 0 }); await new Promise(r => setTimeout(r, 300)); }
console.log(flow.errors.length);
await flow.stop(); await col.endAsync(); await feeder.endAsync(); await broker.stop();
