import { startMosquitto } from './test/support/brokers.ts';
import { loadFixtures, runOnNodeRed, runOnTopicflow, byInputAndTopic } from './test/import/support/equivalence.ts';
import { startNodeRed } from './test/import/support/node-red.ts';
import { isDeepStrictEqual } from 'node:util';
const only = process.argv.slice(2);
const [broker, nr] = await Promise.all([startMosquitto(), startNodeRed()]);
try {
  for (const { name, fixture } of loadFixtures()) {
    if (only.length && !only.some(o => name.includes(o))) continue;
    const e = await runOnNodeRed(nr, broker.port, fixture);
    const a = await runOnTopicflow(broker.url, fixture);
    const ok = isDeepStrictEqual(byInputAndTopic(a), byInputAndTopic(e));
    const exact = isDeepStrictEqual(a, e);
    console.log(`== ${name}: ${ok ? 'EQUAL' : 'DIFF'} (exact order ${exact}) nr=${e.length} tf=${a.length}`);
    if (!ok) {
      const n = Math.max(e.length, a.length);
      for (let i = 0; i < n; i++) { const x = e[i], y = a[i]; const f = (m: any) => m ? `${m.step} ${m.topic} ${m.payload} q${m.qos} r${m.retain}` : '-'; console.log((isDeepStrictEqual(x, y) ? '   ' : '!! ') + f(x).padEnd(70) + ' | ' + f(y)); }
    }
  }
} finally { await nr.stop(); await broker.stop(); }
