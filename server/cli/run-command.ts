import { formatProblem } from '../../nodes/document/validate.ts';
import { loadFlowFile } from '../flow-file.ts';
import type { Logger } from '../log.ts';
import { startSession } from '../runtime-session.ts';
import { loadInstallId, resolveDataDir } from '../storage/install-id.ts';
import type { CliArgs } from './args.ts';
import { untilStopSignal } from './signals.ts';

/** `topicflow run FILE`: run a flow headless until SIGINT/SIGTERM, logging node errors. */
export async function runCommand(args: CliArgs, file: string, logger: Logger): Promise<number> {
  const result = await loadFlowFile(file);
  for (const problem of result.warnings) logger.warn(formatProblem('warning', problem));
  if (!result.ok || !result.document) {
    for (const problem of result.errors) logger.error(formatProblem('error', problem));
    logger.error(`${file} was not started: fix the errors above`);
    return 1;
  }
  const session = await startSession({
    document: result.document,
    installId: loadInstallId(resolveDataDir(args.data)),
    logger,
    embeddedBroker: args.embeddedBroker,
    showDebug: !args.quiet,
    ...(args.broker ? { brokerUrl: args.broker } : {}),
  });
  logger.info(`running ${file} (${result.document.nodes.length} nodes); Ctrl+C stops`);
  await untilStopSignal();
  logger.info('stopping…');
  await session.stop();
  return 0;
}
