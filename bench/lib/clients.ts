import mqtt, { type MqttClient } from 'mqtt';
import { setTimeout as sleep } from 'node:timers/promises';
import { actuatorTopic, sensorPayload, sensorTopic, type BenchQos } from './workload.ts';

/**
 * The bench's own MQTT side: a publisher and a subscriber on the broker. The subscriber
 * takes every `actuator/#` message (the outputs of the engine or relay) and `bench/echo`
 * (broker-only latency); counts them and hands each to the current phase's hook.
 */

const CONNECT_TIMEOUT_MS = 5000;

export type OutputHook = (topic: string, payload: Buffer) => void;

export interface BenchClients {
  readonly pub: MqttClient;
  readonly sub: MqttClient;
  readonly qos: BenchQos;
  /** Outputs received so far (every `actuator/#` message). */
  outputs(): number;
  /** performance.now() of the last output. */
  lastOutputAt(): number;
  /** Called for each message the subscriber gets (outputs and echoes); one hook at a time. */
  setHook(hook: OutputHook | undefined): void;
  /** Resolve once `outputs() >= count`, or false after `timeoutMs`. */
  waitForOutputs(count: number, timeoutMs: number): Promise<boolean>;
  close(): Promise<void>;
}

let clientSeq = 0;

async function connect(url: string, role: string): Promise<MqttClient> {
  const client = mqtt.connect(url, {
    clientId: `bench-${role}-${process.pid}-${++clientSeq}`,
    clean: true,
    reconnectPeriod: 0,
    connectTimeout: CONNECT_TIMEOUT_MS,
  });
  await new Promise<void>((resolve, reject) => {
    client.once('connect', () => resolve());
    client.once('error', reject);
    client.once('close', () => reject(new Error(`bench ${role} client could not connect to ${url}`)));
  });
  client.removeAllListeners('error');
  client.on('error', (error) => process.stderr.write(`bench ${role} client: ${error.message}\n`));
  return client;
}

/** Connect a publisher and a subscriber (outputs and echoes at `qos`). */
export async function connectClients(url: string, qos: BenchQos): Promise<BenchClients> {
  const [pub, sub] = await Promise.all([connect(url, 'pub'), connect(url, 'sub')]);
  let count = 0;
  let lastAt = 0;
  let hook: OutputHook | undefined;
  sub.on('message', (topic, payload) => {
    if (topic.charCodeAt(0) === 0x61 /* a */) {
      count++;
      lastAt = performance.now();
    }
    hook?.(topic, payload);
  });
  await sub.subscribeAsync({ 'actuator/#': { qos }, 'bench/echo': { qos } });
  return {
    pub,
    sub,
    qos,
    outputs: () => count,
    lastOutputAt: () => lastAt,
    setHook(next) {
      hook = next;
    },
    async waitForOutputs(target, timeoutMs) {
      const deadline = performance.now() + timeoutMs;
      while (count < target) {
        if (performance.now() >= deadline) return false;
        await sleep(5);
      }
      return true;
    },
    async close() {
      await Promise.all([pub.endAsync(true), sub.endAsync(true)]);
    },
  };
}

export interface SubscribedResult {
  /** From spawn until the output of the first probe that went through, in ms. */
  readonly ms: number;
  /** Rules that answered the first round of probes sent to all of them. */
  readonly rulesAnswered: number;
  /** The outputs for a probe of 30 °C were all "ON" (the rule is the one asked for). */
  readonly correct: boolean;
}

const PROBE_ROOM = 'probe';
const PROBE_INTERVAL_MS = 10;

/**
 * Start-up to subscribed: from `spawnedAt` until a probe published every 10 ms on the last
 * rule's sensor topic (the broker drops it until the subscription is in place) comes back as
 * that rule's output. The engine and the relay subscribe all rules in one SUBSCRIBE, so this
 * is when the broker holds every subscription; a second round probes all `rules` once to
 * confirm it. A rule that misses that round is probed until it answers, and its answer
 * becomes the end of start-up. Bounded by `timeoutMs`.
 */
export async function waitSubscribed(clients: BenchClients, rules: number, spawnedAt: number, timeoutMs: number, isDead: () => boolean): Promise<SubscribedResult> {
  const { pub, qos } = clients;
  const hot = sensorPayload(30);
  const answered = new Map<string, number>();
  let allOn = true;
  clients.setHook((topic, payload) => {
    if (!answered.has(topic)) answered.set(topic, performance.now());
    if (payload.toString() !== 'ON') allOn = false;
  });
  try {
    const deadline = spawnedAt + timeoutMs;
    const last = actuatorTopic(rules - 1, PROBE_ROOM);
    while (!answered.has(last)) {
      if (performance.now() > deadline) throw new Error(`no rule subscribed within ${timeoutMs} ms`);
      if (isDead()) throw new Error('the process under test exited during start-up');
      pub.publish(sensorTopic(rules - 1, PROBE_ROOM), hot, { qos });
      await sleep(PROBE_INTERVAL_MS);
    }
    let end = answered.get(last)!;
    answered.clear();
    for (let k = 0; k < rules; k++) pub.publish(sensorTopic(k, PROBE_ROOM), hot, { qos });
    const roundEnd = performance.now() + 2000;
    while (answered.size < rules && performance.now() < roundEnd) await sleep(5);
    const rulesAnswered = answered.size;
    // Rules that did not answer (not subscribed yet): probe them until they do.
    for (let round = 0; answered.size < rules; round++) {
      if (performance.now() > deadline) throw new Error(`${rules - answered.size} of ${rules} rules never subscribed within ${timeoutMs} ms`);
      for (let k = 0; k < rules; k++) {
        if (!answered.has(actuatorTopic(k, PROBE_ROOM))) pub.publish(sensorTopic(k, PROBE_ROOM), hot, { qos });
      }
      await sleep(50);
      if (answered.size === rules) end = Math.max(...answered.values());
    }
    return { ms: end - spawnedAt, rulesAnswered, correct: allOn };
  } finally {
    clients.setHook(undefined);
  }
}
