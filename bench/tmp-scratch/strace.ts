import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { startBroker } from '../lib/mosquitto.ts';
import { connectClients, waitSubscribed } from '../lib/clients.ts';
import { fixedRate } from '../lib/load.ts';
import { startTarget } from '../lib/targets.ts';
const broker = await startBroker();
const kind = (process.argv[2] ?? 'engine') as 'engine' | 'relay';
const qos = Number(process.argv[3] ?? 0) as 0 | 1;
try {
  const clients = await connectClients(broker.url, qos);
  const t = startTarget({ kind, rules: 1, qos, brokerUrl: broker.url });
  await waitSubscribed(clients, 1, t.child.spawnedAt, 30000, () => false);
  await fixedRate(clients, t.child.pid, { rules: 1, rate: 5000, seconds: 1, idleRate: 0 });
  const st = spawn('strace', ['-c', '-f', '-p', String(t.child.pid)], { stdio: ['ignore', 'inherit', 'inherit'] });
  await sleep(500);
  const r = await fixedRate(clients, t.child.pid, { rules: 1, rate: 2000, seconds: 5, idleRate: 0 });
  console.log(kind, 'received', r.received);
  st.kill('SIGINT');
  await new Promise((res) => st.once('exit', res));
  await t.stop(); await clients.close();
} finally { await broker.stop(); }
