import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { startDemoSensors } from '../demo/sensors.ts';
import { buildEditor, editorIsStale } from '../../editor/build.ts';
import { DeployFailedError } from '../app/http-errors.ts';
import { debugLine, type Logger } from '../log.ts';
import { startEmbeddedBroker, type EmbeddedBroker } from '../mqtt/embedded-broker.ts';
import { startServer } from '../server.ts';
import { resolveDataDir } from '../storage/install-id.ts';
import { embeddedBrokerAuth, type CliArgs } from './args.ts';
import { untilStopSignal } from './signals.ts';

export const EXAMPLE_FLOW = fileURLToPath(new URL('../../flows/zigbee-temperature-fan.json', import.meta.url));

/**
 * `topicflow start` (and `npm start`): the editor and API, the embedded broker, the demo
 * sensors, and on the very first start the example flow, so the first screen is alive.
 */
export async function startCommand(args: CliArgs, logger: Logger): Promise<number> {
  const dataDir = resolveDataDir(args.data);
  // `npm install` builds the editor; after a `git pull` without it, build it now (about a second).
  if (await editorIsStale()) {
    const report = await buildEditor();
    logger.info(`editor built in ${report.ms.toFixed(0)} ms`);
  }
  const auth = embeddedBrokerAuth(process.env);
  let broker: EmbeddedBroker | undefined;
  if (!args.broker && args.embeddedBroker) {
    broker = await startEmbeddedBroker({ host: '127.0.0.1', port: args.brokerPort, ...(auth ?? {}), logger: (line) => logger.info(line) });
  }
  const login = auth ? `${encodeURIComponent(auth.username)}:${encodeURIComponent(auth.password)}@` : '';
  const embeddedUrl = broker ? `mqtt://${login}127.0.0.1:${broker.port}` : undefined;
  // With a login on the embedded broker, every broker entry uses it (with that login).
  const brokerUrl = args.broker ?? (auth ? embeddedUrl : undefined);

  const server = await startServer({
    dataDir,
    host: args.host,
    port: args.port,
    logger,
    insecure: args.insecure,
    ...(brokerUrl ? { brokerUrl } : {}),
  }).catch(async (error: unknown) => {
    await broker?.close();
    throw error;
  });

  server.runtime.engine.events.on('debug', (e) => logger.info(debugLine(e)));
  server.runtime.engine.events.on('node-error', (e) => logger.warn(`node ${e.nodeId} (${e.nodeType}): ${e.message}${e.topic ? ` [topic ${e.topic}]` : ''}`));
  if (server.runtime.current().rev === null) {
    const example = JSON.parse(await readFile(EXAMPLE_FLOW, 'utf8')) as { brokers: { url: string }[] };
    if (broker) for (const entry of example.brokers) entry.url = `mqtt://127.0.0.1:${broker.port}`;
    try {
      const deployed = await server.runtime.deploy(example, undefined, 'example flow deployed on first start');
      logger.info(`first start: deployed the example flow (${deployed.rev})`);
    } catch (error) {
      // Without the embedded broker the example may have nothing to talk to; the editor still works.
      if (!(error instanceof DeployFailedError)) throw error;
      logger.warn(`first start: the example flow was not deployed: ${error.message}`);
    }
  }
  const demoUrl = args.broker ?? embeddedUrl;
  const sensors = args.demo && demoUrl ? startDemoSensors({ brokerUrl: demoUrl, logger, echo: false }) : undefined;
  if (sensors) logger.info('demo sensors publish to zigbee2mqtt/<room>/th_sensor every 2 s (--no-demo stops them)');
  logger.info(`topicflow is running: open ${server.url} — Ctrl+C stops`);

  await untilStopSignal();
  logger.info('stopping…');
  await sensors?.stop();
  await server.close();
  await broker?.close();
  return 0;
}
