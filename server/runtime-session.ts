import { connect } from 'node:net';
import type { FlowDocument } from '../nodes/document/schema.ts';
import { overrideBrokers } from './broker-override.ts';
import { Engine } from './engine/engine.ts';
import { debugLine, type Logger } from './log.ts';
import type { BrokerSecrets } from './mqtt/client-options.ts';
import { startEmbeddedBroker, type EmbeddedBroker } from './mqtt/embedded-broker.ts';
import { BrokerPool } from './mqtt/pool.ts';

export interface SessionOptions {
  readonly document: FlowDocument;
  readonly installId: string;
  readonly logger: Logger;
  /** `--broker`: one URL for every broker entry; no embedded broker then. */
  readonly brokerUrl?: string;
  /** Start the embedded broker where a local broker URL has nothing listening. */
  readonly embeddedBroker: boolean;
  /** Print debug-node output (headless runs). */
  readonly showDebug: boolean;
}

export interface Session {
  readonly engine: Engine;
  readonly embedded: readonly EmbeddedBroker[];
  stop(): Promise<void>;
}

const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/**
 * A flow running headless: brokers resolved (override, or embedded where a local one is
 * missing), the engine deployed, and every node error, broker state and debug value logged.
 */
export async function startSession(options: SessionOptions): Promise<Session> {
  const { logger } = options;
  let document = options.document;
  let secrets: (id: string) => BrokerSecrets | undefined = () => undefined;
  if (options.brokerUrl) {
    const override = overrideBrokers(document, options.brokerUrl);
    document = override.document;
    secrets = override.secrets;
  }

  const embedded: EmbeddedBroker[] = [];
  const wanted = !options.brokerUrl && options.embeddedBroker ? localBrokerAddresses(document) : [];
  for (const address of wanted) {
    if (await reachable(address.host, address.port)) continue;
    embedded.push(await startEmbeddedBroker({ ...address, logger: (l) => logger.info(l) }));
  }

  const pool = new BrokerPool({
    installId: options.installId,
    secrets,
    onState: (brokerId, state, reason) =>
      logger[state === 'connected' ? 'info' : 'warn'](`broker ${brokerId}: ${state}${reason ? ` (${reason})` : ''}`),
  });
  const engine = new Engine({ pool });
  engine.events.on('node-error', (e) =>
    logger.error(`node ${e.nodeId} (${e.nodeType}): ${e.message}${e.topic ? ` [topic ${e.topic}]` : ''}`),
  );
  if (options.showDebug) {
    engine.events.on('debug', (e) => logger.info(debugLine(e)));
  }
  try {
    engine.deploy(document);
  } catch (error) {
    await engine.stop();
    await Promise.all(embedded.map((b) => b.close()));
    throw error;
  }

  let stopped = false;
  return {
    engine,
    embedded,
    async stop() {
      if (stopped) return;
      stopped = true;
      await engine.stop();
      await Promise.all(embedded.map((b) => b.close()));
    },
  };
}

function localBrokerAddresses(document: FlowDocument): { host: string; port: number }[] {
  const seen = new Map<string, { host: string; port: number }>();
  for (const broker of document.brokers) {
    const url = new URL(broker.url);
    if (!['mqtt:', 'tcp:'].includes(url.protocol) || broker.tls || !LOCAL_HOSTS.has(url.hostname)) continue;
    const host = url.hostname === 'localhost' ? '127.0.0.1' : url.hostname.replace(/^\[|\]$/g, '');
    const port = url.port ? Number(url.port) : 1883;
    seen.set(`${host}:${port}`, { host, port });
  }
  return [...seen.values()];
}

/** True when something accepts TCP connections there (bounded: 500 ms). */
function reachable(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}
