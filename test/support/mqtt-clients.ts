/**
 * Small mqtt.js helpers for tests: connect with a deadline, and collect what arrives. Every
 * wait is bounded, so a broken broker fails a test instead of hanging it.
 */
import { connect as mqttConnect, type IClientOptions, type MqttClient } from 'mqtt';

/** Options for {@link connectClient}: mqtt.js options plus the connect deadline. */
export type TestClientOptions = IClientOptions & { timeoutMs?: number };

/**
 * Connects an mqtt.js client and resolves once CONNACK accepts it. Rejects (and ends the
 * client) on refusal, error or after `timeoutMs` (default 3000). Reconnecting is off unless
 * `reconnectPeriod` is given. The caller ends the client (`await client.endAsync()`).
 */
export function connectClient(url: string, options: TestClientOptions = {}): Promise<MqttClient> {
  const { timeoutMs = 3000, ...mqttOptions } = options;
  const client = mqttConnect(url, { reconnectPeriod: 0, connectTimeout: timeoutMs, ...mqttOptions });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`no CONNACK from ${url} within ${timeoutMs} ms`)), timeoutMs);
    const cleanup = (): void => {
      clearTimeout(timer);
      client.off('connect', onConnect);
      client.off('error', fail);
      client.off('close', onClose);
    };
    const onConnect = (): void => {
      cleanup();
      // mqtt.js throws an 'error' nobody listens to, crashing the test file. A broker going
      // away first is normal teardown; anything else is reported visibly.
      client.on('error', (error) => {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ECONNRESET' || code === 'EPIPE') return;
        process.stderr.write(`[test mqtt client ${url}] ${error.message}\n`);
      });
      resolve(client);
    };
    const onClose = (): void => fail(new Error(`connection to ${url} closed before CONNACK`));
    function fail(error: Error): void {
      cleanup();
      // The caller gets the first error; later ones from the dying socket add nothing.
      client.on('error', () => undefined);
      client.end(true);
      reject(error);
    }
    client.on('connect', onConnect);
    client.on('error', fail);
    client.on('close', onClose);
  });
}

/** A message as a test sees it. */
export interface Received {
  topic: string;
  payload: string;
  qos: 0 | 1 | 2;
  retain: boolean;
}

/**
 * Resolves with the first `count` messages whose topic matches `filter`, or rejects after
 * `timeoutMs` listing what did arrive. Only listens: attach it before subscribing so retained
 * messages are not missed. With `count` 0 it waits the full time and resolves with whatever
 * arrived (to assert that nothing did).
 */
export function collect(client: MqttClient, filter: string, count: number, timeoutMs: number): Promise<Received[]> {
  return new Promise((resolve, reject) => {
    const got: Received[] = [];
    const onMessage = (topic: string, payload: Buffer, packet: { qos: 0 | 1 | 2; retain: boolean }): void => {
      if (!matches(filter, topic)) return;
      got.push({ topic, payload: payload.toString('utf8'), qos: packet.qos, retain: packet.retain });
      if (count > 0 && got.length >= count) finish();
    };
    const finish = (): void => {
      clearTimeout(timer);
      client.off('message', onMessage);
      resolve(got);
    };
    const timer = setTimeout(() => {
      if (count === 0) return finish();
      client.off('message', onMessage);
      reject(new Error(`expected ${count} message(s) on ${filter} within ${timeoutMs} ms; got ${got.length}: ${JSON.stringify(got)}`));
    }, timeoutMs);
    client.on('message', onMessage);
  });
}

/**
 * MQTT filter matching, enough to route test messages (the product's own matcher lives in
 * nodes/; this one stays here so test support does not depend on the code under test).
 */
function matches(filter: string, topic: string): boolean {
  const shared = /^\$share\/[^/]+\/(.*)$/.exec(filter);
  const f = (shared?.[1] ?? filter).split('/');
  const t = topic.split('/');
  // [MQTT-4.7.2-1]: wildcards at the first level do not match topics starting with `$`.
  if (topic.startsWith('$') && (f[0] === '+' || f[0] === '#')) return false;
  for (let i = 0; i < f.length; i++) {
    if (f[i] === '#') return true;
    if (i >= t.length || (f[i] !== '+' && f[i] !== t[i])) return false;
  }
  return f.length === t.length;
}
