import { ensureError, OperationalError, UserInputError } from '../../nodes/errors.ts';
import { consoleLogger } from '../log.ts';
import { HELP, parseCli } from './args.ts';

async function main(argv: readonly string[]): Promise<number> {
  const args = parseCli(argv);
  const logger = consoleLogger();
  switch (args.command) {
    case 'help':
      process.stdout.write(HELP);
      return 0;
    // Each command loads only what it needs: `run` never loads express, socket.io or esbuild.
    case 'validate':
      return (await import('./validate-command.ts')).validateCommand(args.file!, args.json);
    case 'import':
      return (await import('./import-command.ts')).importCommand(args.file!, args);
    case 'run':
      return (await import('./run-command.ts')).runCommand(args, args.file!, logger);
    case 'start':
      return (await import('./start-command.ts')).startCommand(args, logger);
    case 'hash-password':
      return (await import('./hash-password.ts')).hashPasswordCommand(process.stdin, process.stdout, Boolean(process.stdin.isTTY));
  }
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
