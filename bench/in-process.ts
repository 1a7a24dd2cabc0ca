/**
 * The engine's own cost, without sockets or a broker: `node --import tsx bench/in-process.ts`.
 * A stand-in connection hands publishes to the real subscription table and swallows what the
 * rules publish, so what is timed is dispatch → mqtt-in → transform → threshold → mqtt-out.
 * Also times validating and deploying a one-node change into a 1,000-rule document. Quick to
 * run (seconds) and steady, for checking a hot-path fix before a full `npm run bench`.
 *
 *     node --import tsx bench/in-process.ts [--rules 1,1000] [--messages 300000] [--pollute-kb N] [--engine-root DIR]
 *
 * In a tight loop the rules' objects stay in the CPU cache, which they do not in the real
 * process, where mqtt.js, the sockets and the allocations of each message pass through the
 * cache between two messages of one rule. `--pollute-kb 64` writes that much memory between
 * messages, so that the K=1,000 figure over K=1 shows what many rules cost when their objects
 * have to come from memory (the writing itself costs both alike and cancels out).
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { ROOT } from './lib/targets.ts';
import { LOAD_PAYLOADS, LOAD_ROOMS, rulesDocument, sensorTopic } from './lib/workload.ts';

const { values } = parseArgs({
  options: {
    rules: { type: 'string', default: '1,1000' },
    messages: { type: 'string', default: '300000' },
    'pollute-kb': { type: 'string', default: '0' },
    'engine-root': { type: 'string' },
  },
});
const root = values['engine-root'] ?? ROOT;
const load = async <T>(path: string): Promise<T> => (await import(pathToFileURL(join(root, path)).href)) as T;

type Publish = { topic: string; payload: Uint8Array; qos: 0 | 1; retained: boolean };
interface Table {
  add(filter: string, qos: 0 | 1, deliver: (p: Publish) => void): unknown;
  remove(s: unknown): void;
  dispatch(p: Publish, now: number): number;
}
const { validateDocument } = await load<{ validateDocument: (d: unknown) => { ok: boolean; document?: unknown; errors: unknown[] } }>('nodes/document/validate.ts');
// The server validates deploys with a DocumentValidator, which remembers the last document;
// a checkout from before it existed validates every deploy from scratch.
const { DocumentValidator } = await load<{ DocumentValidator?: new () => { validate: typeof validateDocument } }>('nodes/document/incremental.ts').catch(() => ({ DocumentValidator: undefined }));
const { Engine } = await load<{ Engine: new (o: { pool: unknown }) => { deploy(d: unknown): { durationMs: number; started: string[] } } }>('server/engine/engine.ts');
const { SubscriptionTable } = await load<{ SubscriptionTable: new () => Table }>('server/mqtt/subscription-table.ts');

function engineWithTable(): { engine: InstanceType<typeof Engine>; table: Table; published: () => number } {
  const table = new SubscriptionTable();
  let published = 0;
  const connection = {
    state: 'connected',
    subscribe(filter: string, qos: 0 | 1, deliver: (p: Publish) => void) {
      const s = table.add(filter, qos, deliver);
      return () => table.remove(s);
    },
    publish() {
      published++;
    },
    onState: () => () => {},
    stats: () => ({ state: 'connected', subscriptions: [], awaitingSubscriptions: 0 }),
  };
  const pool = { acquire: () => ({ connection, release() {} }), closeAll: async () => {}, stats: () => [] };
  return { engine: new Engine({ pool }), table, published: () => published };
}

function validated(doc: unknown, validate = validateDocument): unknown {
  const result = validate(doc);
  if (!result.ok) throw new Error(`the bench document is invalid: ${JSON.stringify(result.errors).slice(0, 300)}`);
  return result.document;
}

const messages = Number(values.messages);
const polluteWords = (Number(values['pollute-kb']) * 1024) / 8;
const junk = new Float64Array(polluteWords > 0 ? (16 << 20) / 8 : 0);
let junkAt = 0;
/** Write `--pollute-kb` of memory, a different stretch of 16 MB each time (one write per cache line). */
function pollute(): void {
  for (let i = 0; i < polluteWords; i += 8) junk[(junkAt + i) % junk.length] = i;
  junkAt = (junkAt + polluteWords) % junk.length;
}
process.stdout.write(`engine from ${root}${polluteWords > 0 ? `, ${values['pollute-kb']} KB written between messages` : ''}\n`);
const ROUNDS = 5;
const setups = values.rules.split(',').map(Number).map((rules) => {
  const { engine, table, published } = engineWithTable();
  engine.deploy(validated(rulesDocument({ rules, qos: 0, brokerUrl: 'mqtt://127.0.0.1:1883' })));
  const topics: string[] = [];
  for (const room of LOAD_ROOMS) for (let k = 0; k < rules; k++) topics.push(sensorTopic(k, room));
  return { rules, table, published, topics, figures: [] as number[] };
});
// The rule counts take turns within each round, so a busy moment of the machine hits all alike.
for (let round = 0; round < ROUNDS; round++) {
  for (const setup of setups) {
    const { table, published, topics } = setup;
    const before = published();
    const cpu0 = process.cpuUsage();
    for (let i = 0; i < messages; i++) {
      table.dispatch({ topic: topics[i % topics.length]!, payload: LOAD_PAYLOADS[i % LOAD_PAYLOADS.length]!, qos: 0, retained: false }, 0);
      if (polluteWords > 0) pollute();
    }
    const cpu = process.cpuUsage(cpu0);
    if (published() - before !== messages) throw new Error(`${messages} messages in, ${published() - before} out`);
    setup.figures.push((cpu.user + cpu.system) / messages);
  }
}
const median = (xs: readonly number[]): number => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
for (const { rules, figures } of setups) {
  process.stdout.write(`hot path, ${rules} rule(s): median ${median(figures).toFixed(2)} µs CPU per message (${figures.map((f) => f.toFixed(2)).join(' / ')}; ${ROUNDS} rounds of ${messages})\n`);
}
const one = setups.find((s) => s.rules === 1);
for (const many of setups.filter((s) => s.rules > 1)) {
  if (!one) break;
  // Per round, so that the writes between messages (the same for both) cancel out.
  const extra = many.figures.map((f, i) => f - one.figures[i]!);
  process.stdout.write(`hot path, ${many.rules} rules over 1: median +${median(extra).toFixed(2)} µs per message (${extra.map((f) => f.toFixed(2)).join(' / ')})\n`);
}

{
  const rules = 1000;
  const { engine } = engineWithTable();
  const validator = DocumentValidator ? new DocumentValidator() : undefined;
  const validate = validator ? (d: unknown) => validator.validate(d) : validateDocument;
  const doc = (above: number) => rulesDocument({ rules, qos: 1, brokerUrl: 'mqtt://127.0.0.1:1883', above: (k) => (k === 0 ? above : 25) });
  let t0 = performance.now();
  engine.deploy(validated(doc(25), validate));
  process.stdout.write(`validate + deploy ${rules} rules: ${(performance.now() - t0).toFixed(0)} ms\n`);
  const validateMs: string[] = [];
  const deployMs: string[] = [];
  for (let i = 0; i < 8; i++) {
    const change = doc(26 + (i % 2));
    t0 = performance.now();
    const next = validated(change, validate);
    validateMs.push((performance.now() - t0).toFixed(1));
    t0 = performance.now();
    const result = engine.deploy(next);
    deployMs.push((performance.now() - t0).toFixed(1));
    if (result.started.length !== 1) throw new Error(`a one-node change started ${result.started.length} nodes`);
  }
  const how = validator ? 'remembering the last document, as the server does' : 'from scratch';
  process.stdout.write(`one-node change into ${rules} rules: validate (${how}) ${validateMs.join(' / ')} ms, engine.deploy ${deployMs.join(' / ')} ms\n`);
}
