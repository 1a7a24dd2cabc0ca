import { ensureError, OperationalError, UserInputError } from '../../nodes/errors.ts';
import { consoleLogger } from '../log.ts';
import { HELP, parseCli } from './args.ts';
import { hashPasswordCommand } from './hash-password.ts';
import { importCommand } from './import-command.ts';
import { runCommand } from './run-command.ts';
import { startCommand } from './start-command.ts';
import { validateCommand } from './validate-command.ts';

async function main(argv: readonly string[]): Promise<number> {
  const args = parseCli(argv);
  const logger = consoleLogger();
  switch (args.command) {
    case 'help':
      process.stdout.write(HELP);
      return 0;
    case 'validate':
      return validateCommand(args.file!, args.json);
    case 'import':
      return importCommand(args.file!, args);
    case 'run':
      return runCommand(args, args.file!, logger);
    case 'start':
      return startCommand(args, logger);
    case 'hash-password':
      return hashPasswordCommand(process.stdin, process.stdout, Boolean(process.stdin.isTTY));
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
