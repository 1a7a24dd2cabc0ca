import { startBroker } from '../lib/mosquitto.ts';
import { measureTarget, brokerOnlyLatency } from '../lib/scenario.ts';
const broker = await startBroker();
const s = { rate: 5000, seconds: 3, warmupSeconds: 1, idleMs: 1000, maxSeconds: 2, latencyCount: 1000, startTimeoutMs: 30000 };
try {
  console.log('broker', await brokerOnlyLatency(broker.url, 0, 1000));
  for (const kind of ['relay', 'engine'] as const) {
    const t0 = performance.now();
    const r = await measureTarget(kind, Number(process.argv[2] ?? 1), Number(process.argv[3] ?? 0) as 0|1, broker.url, s);
    console.log(kind, JSON.stringify(r), ((performance.now()-t0)/1000).toFixed(1)+'s');
  }
} finally { await broker.stop(); }
