import { readFile, stat } from 'node:fs/promises';
import { DOCUMENT_LIMITS } from '../../nodes/document/schema.ts';
import { formatProblem, validateDocument } from '../../nodes/document/validate.ts';
import { OperationalError, UserInputError } from '../../nodes/errors.ts';
import { readImport } from '../../nodes/import/read-import.ts';
import { formatReport, type CredentialReport } from '../../nodes/import/report.ts';
import { writeFileAtomic } from '../storage/atomic-file.ts';
import { CredentialStore } from '../storage/credential-store.ts';
import { resolveDataDir } from '../storage/install-id.ts';
import type { CliArgs } from './args.ts';

/**
 * `topicflow import FILE [-o OUT] [--json]`: convert a Node-RED export (or read a topicflow
 * document) into a flow file. The flow goes to OUT, or to stdout; the report goes to stdout
 * when the flow is in a file and to stderr otherwise, so `topicflow import a.json > b.json`
 * works. Passwords found in the export go to the credential store of the data folder, where
 * `topicflow start` finds them. Exit code 1 when placeholders (or other errors) block deploying.
 */
export async function importCommand(file: string, args: Pick<CliArgs, 'output' | 'json' | 'data'>): Promise<number> {
  const input = await readJson(file);
  const imported = readImport(input);
  const credentials: CredentialReport[] = [];
  if (imported.secrets.length > 0) {
    const store = await CredentialStore.open(resolveDataDir(args.data));
    for (const secret of imported.secrets) {
      const fields = [...(secret.password !== undefined ? ['password' as const] : []), ...(secret.passphrase !== undefined ? ['passphrase' as const] : [])];
      const had = store.describe(secret.brokerId);
      await store.set(secret.brokerId, { ...(store.get(secret.brokerId) ?? {}), ...(secret.password !== undefined ? { password: secret.password } : {}), ...(secret.passphrase !== undefined ? { passphrase: secret.passphrase } : {}) });
      const replaced = had.hasPassword || had.hasPassphrase ? ', replacing the one stored before' : '';
      credentials.push({ brokerId: secret.brokerId, fields, stored: true, message: `broker "${secret.brokerId}": the ${fields.join(' and ')} from the export is in the credential store of ${resolveDataDir(args.data)}${replaced}, not in the flow file` });
    }
  }
  const report = { ...imported.report, credentials };
  const validation = validateDocument(imported.document);
  const documentText = `${JSON.stringify(imported.document, null, 2)}\n`;
  if (args.output) await writeFileAtomic(args.output, documentText);

  const reportOut = args.output ? process.stdout : process.stderr;
  if (args.json) {
    const result = { kind: imported.kind, report, validation: { ok: validation.ok, errors: validation.errors, warnings: validation.warnings }, ...(args.output ? {} : { document: imported.document }) };
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } else {
    if (!args.output) process.stdout.write(documentText);
    const lines = imported.kind === 'node-red' ? formatReport(report) : ['a topicflow flow: nothing to convert'];
    for (const problem of validation.errors) lines.push(formatProblem('error', problem));
    for (const problem of validation.warnings) lines.push(formatProblem('warning', problem));
    lines.push(validation.ok ? `ok: ${args.output ?? 'the flow'} can be deployed` : `not deployable yet: ${validation.errors.length} error(s)${args.output ? ` in ${args.output}` : ''}`);
    reportOut.write(`${lines.join('\n')}\n`);
  }
  return validation.ok ? 0 : 1;
}

async function readJson(file: string): Promise<unknown> {
  let size: number;
  try {
    size = (await stat(file)).size;
  } catch (error) {
    throw new OperationalError(`cannot read ${file}: ${(error as Error).message}`, { cause: error });
  }
  if (size > DOCUMENT_LIMITS.maxBytes) throw new UserInputError(`${file} is ${size} bytes; an import may be at most ${DOCUMENT_LIMITS.maxBytes} bytes`);
  try {
    return JSON.parse(await readFile(file, 'utf8')) as unknown;
  } catch (error) {
    throw new UserInputError(`${file} is not valid JSON: ${(error as Error).message}`);
  }
}
