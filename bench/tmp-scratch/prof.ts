import { mkdirSync, readdirSync } from 'node:fs';
import { startBroker } from '../lib/mosquitto.ts';
import { measureTarget } from '../lib/scenario.ts';
import { formatSummary, readProfile, summarizeProfile } from '../lib/profile.ts';
const broker = await startBroker();
const dir = '/tmp/tf-prof-' + Date.now();
mkdirSync(dir);
const kind = (process.argv[4] ?? 'engine') as 'engine' | 'relay';
const s = { rate: 5000, seconds: 5, warmupSeconds: 1, idleMs: 1000, maxSeconds: 1, latencyCount: 0, startTimeoutMs: 30000, nodeFlags: ['--cpu-prof', `--cpu-prof-dir=${dir}`] };
let r;
try {
  r = await measureTarget(kind, Number(process.argv[2] ?? 1), Number(process.argv[3] ?? 0) as 0|1, broker.url, s);
  console.log(JSON.stringify(r.fixed));
} finally { await broker.stop(); }
const f = readdirSync(dir)[0]!;
console.log(dir + '/' + f);
console.log(formatSummary(summarizeProfile(readProfile(`${dir}/${f}`), process.cwd(), { limit: 45, fromUs: r.fixedWindowUs.from, toUs: r.fixedWindowUs.to, inclusiveOf: ['onPublish', 'dispatch', 'deliver', '_handlePacket', 'writeToStream', '_writePacket', 'publish', 'input', 'drain', 'parse', 'emit', 'toMessage', 'send', 'showState', 'status'] })));
