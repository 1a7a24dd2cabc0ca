import { startBroker } from '../lib/mosquitto.ts';
import { connectClients, waitSubscribed } from '../lib/clients.ts';
import { closedLoop } from '../lib/load.ts';
import { percentile } from '../lib/stats.ts';
import { startTarget } from '../lib/targets.ts';
const broker = await startBroker();
const qos = Number(process.argv[2] ?? 0) as 0 | 1;
const N = Number(process.argv[3] ?? 2000);
try {
  for (const [kind, root] of [['relay', undefined], ['engine', undefined], ['engine', '/tmp/tfx']] as const) {
    const clients = await connectClients(broker.url, qos);
    const t = startTarget({ kind, rules: 1, qos, brokerUrl: broker.url, ...(root ? { engineRoot: root } : {}) });
    await waitSubscribed(clients, 1, t.child.spawnedAt, 30000, () => false);
    const b = await closedLoop(clients, 'broker', N, 20);
    const r = await closedLoop(clients, 'rule', N, 20);
    console.log(kind, root ?? '', 'broker p50', percentile(b.samples, 50).toFixed(3), 'rule p50', percentile(r.samples, 50).toFixed(3), 'p99', percentile(r.samples, 99).toFixed(3));
    await t.stop(); await clients.close();
  }
} finally { await broker.stop(); }
