import { fileURLToPath } from 'node:url';
import { formatProblem } from '../../nodes/document/validate.ts';
import { ensureError, OperationalError, UserInputError } from '../../nodes/errors.ts';
import { startDemoSensors } from '../demo/sensors.ts';
import { loadFlowFile } from '../flow-file.ts';
import { consoleLogger, type Logger } from '../log.ts';
import { startSession } from '../runtime-session.ts';
import { loadInstallId, resolveDataDir } from '../storage/install-id.ts';
import { embeddedBrokerAuth, HELP, parseCli, type CliArgs } from './args.ts';

export const EXAMPLE_FLOW = fileURLToPath(new URL('../../flows/zigbee-temperature-fan.json', import.meta.url));

async function main(argv: readonly string[]): Promise<number> {
  const args = parseCli(argv);
  const logger = consoleLogger();
  switch (args.command) {
    case 'help':
      process.stdout.write(HELP);
      return 0;
    case 'validate':
      return validate(args.file!, args.json);
    case 'run':
      return run(args, args.file!, logger, false);
    case 'start':
      return run(args, EXAMPLE_FLOW, logger, true);
  }
}

async function validate(file: string, json: boolean): Promise<number> {
  const result = await loadFlowFile(file);
  if (json) {
    process.stdout.write(`${JSON.stringify({ ok: result.ok, errors: result.errors, warnings: result.warnings }, null, 2)}\n`);
    return result.ok ? 0 : 1;
  }
  for (const problem of result.errors) process.stdout.write(`${formatProblem('error', problem)}\n`);
  for (const problem of result.warnings) process.stdout.write(`${formatProblem('warning', problem)}\n`);
  const summary = `${file}: ${result.errors.length} error(s), ${result.warnings.length} warning(s)`;
  process.stdout.write(`${result.ok ? 'ok' : 'invalid'}: ${summary}\n`);
  return result.ok ? 0 : 1;
}

async function run(args: CliArgs, file: string, logger: Logger, demo: boolean): Promise<number> {
  const result = await loadFlowFile(file);
  for (const problem of result.warnings) logger.warn(formatProblem('warning', problem));
  if (!result.ok || !result.document) {
    for (const problem of result.errors) logger.error(formatProblem('error', problem));
    logger.error(`${file} was not started: fix the errors above`);
    return 1;
  }
  const auth = demo ? embeddedBrokerAuth(process.env) : undefined;
  const login = auth ? `${encodeURIComponent(auth.username)}:${encodeURIComponent(auth.password)}@` : '';
  const embeddedUrl = `mqtt://${login}127.0.0.1:${args.brokerPort}`;
  // `start` always runs the example against the embedded broker (or the one named by --broker).
  const brokerUrl = args.broker ?? (demo ? embeddedUrl : undefined);
  const embedHere = demo && !args.broker && args.embeddedBroker;
  const session = await startSession({
    document: result.document,
    installId: loadInstallId(resolveDataDir(args.data)),
    logger,
    embeddedBroker: args.embeddedBroker,
    showDebug: !args.quiet,
    ...(brokerUrl ? { brokerUrl } : {}),
    ...(embedHere ? { embeddedAt: { host: '127.0.0.1', port: args.brokerPort, ...(auth ?? {}) } } : {}),
  });
  const sensors = demo && args.demo ? startDemoSensors({ brokerUrl: brokerUrl ?? embeddedUrl, logger, echo: true }) : undefined;
  logger.info(`running ${file} (${result.document.nodes.length} nodes); Ctrl+C stops`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  logger.info('stopping…');
  await sensors?.stop();
  await session.stop();
  return 0;
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  const e = ensureError(error);
  if (e instanceof UserInputError || e instanceof OperationalError) {
    process.stderr.write(`topicflow: ${e.message}\n`);
    process.exitCode = e instanceof UserInputError ? 2 : 1;
  } else {
    process.stderr.write(`topicflow: unexpected error: ${e.stack ?? e.message}\n`);
    process.exitCode = 70;
  }
}
