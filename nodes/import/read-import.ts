import { isPublicTestBroker } from '../broker.ts';
import { documentEnvelopeSchema, type FlowDocumentInput } from '../document/schema.ts';
import { dotted } from '../document/validate.ts';
import { UserInputError } from '../errors.ts';
import type { FoundSecret } from './context.ts';
import { convertNodeRed } from './convert.ts';
import { looksLikeNodeRed } from './node-red.ts';
import { buildReport, type ImportReport } from './report.ts';

/** What an import file or request body holds, as a topicflow document with its report. */
export interface ImportedFlow {
  readonly kind: 'node-red' | 'topicflow';
  readonly document: FlowDocumentInput;
  readonly report: ImportReport;
  /** Secrets found in a Node-RED export, by broker entry id (never in the document). */
  readonly secrets: readonly FoundSecret[];
}

/**
 * Read anything a user may import: a Node-RED export (list of nodes or `{ flows, rev }`), or a
 * topicflow document. A topicflow document is taken as it is — its node configs are checked
 * when the result is validated — but its envelope must be sound. Throws UserInputError when
 * the input is neither.
 */
export function readImport(input: unknown): ImportedFlow {
  if (looksLikeNodeRed(input)) return { kind: 'node-red', ...convertNodeRed(input) };
  const isObject = typeof input === 'object' && input !== null && !Array.isArray(input);
  if (!isObject || !('format' in input || 'nodes' in input)) {
    throw new UserInputError('this is neither a topicflow flow ({ "format": "topicflow/1", … }) nor a Node-RED export (a list of nodes, or { "flows": [...] })');
  }
  const envelope = documentEnvelopeSchema.safeParse(input);
  if (!envelope.success) {
    throw new UserInputError(
      'the topicflow document cannot be imported',
      envelope.error.issues.map((i) => ({ code: 'document.invalid', path: dotted(i.path), message: `${dotted(i.path) || 'document'}: ${i.message}` })),
    );
  }
  const document = input as FlowDocumentInput;
  const warnings = (document.brokers ?? [])
    .filter((b) => isPublicTestBroker(b.url))
    .map((b) => `broker "${b.id}" is a public test broker (${b.url}): anyone can read these messages and switch your devices; point it at your own broker before deploying`);
  return { kind: 'topicflow', document, report: buildReport('topicflow', [], [], warnings, []), secrets: [] };
}
