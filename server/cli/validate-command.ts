import { formatProblem } from '../../nodes/document/validate.ts';
import { loadFlowFile } from '../flow-file.ts';

/** `topicflow validate FILE`: print every error and warning; exit 1 when there are errors. */
export async function validateCommand(file: string, json: boolean): Promise<number> {
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
