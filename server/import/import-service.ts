import { z } from 'zod';
import type { FlowDocumentInput } from '../../nodes/document/schema.ts';
import { validateDocument } from '../../nodes/document/validate.ts';
import type { Problem } from '../../nodes/errors.ts';
import type { FoundSecret } from '../../nodes/import/context.ts';
import { mergeDocuments, type MergePlan } from '../../nodes/import/merge.ts';
import { readImport } from '../../nodes/import/read-import.ts';
import type { CredentialReport, ImportReport } from '../../nodes/import/report.ts';
import type { CredentialStore } from '../storage/credential-store.ts';

/** What the caller wants: only to see the result, or the result to deploy (credentials stored). */
export const IMPORT_MODES = ['preview', 'merge', 'replace'] as const;
export type ImportMode = (typeof IMPORT_MODES)[number];

/** `POST /api/import` as an envelope; a bare export or document is read as `{ source: body }`. */
export const importRequest = z.object({
  source: z.unknown().refine((v) => v !== undefined, 'the export or document to import'),
  mode: z.enum(IMPORT_MODES).default('preview'),
  /** The document to merge into (the editor's unsaved canvas); default: the deployed flow. */
  base: z.unknown().optional(),
});

export interface ImportReply {
  readonly kind: 'node-red' | 'topicflow';
  readonly mode: ImportMode;
  /** The imported flow alone, converted: what the file holds. */
  readonly document: FlowDocumentInput;
  readonly report: ImportReport;
  /** The import merged into the base: what deploying would run. Never deployed by this call. */
  readonly merged: { readonly baseRev: string | null; readonly document: FlowDocumentInput; readonly plan: MergePlan };
  /** Validation of the merged document: placeholders are errors, public test brokers warnings. */
  readonly validation: { readonly ok: boolean; readonly errors: readonly Problem[]; readonly warnings: readonly Problem[] };
  readonly deployable: boolean;
}

/** The request body as an envelope; a body without `source` is itself what to import. */
export function parseImportBody(body: unknown): z.output<typeof importRequest> {
  const isEnvelope = typeof body === 'object' && body !== null && !Array.isArray(body) && 'source' in body;
  return importRequest.parse(isEnvelope ? body : { source: body });
}

/**
 * Convert and merge an import. Nothing is deployed. In `merge` and `replace` mode the secrets
 * found in a Node-RED export are written to the credential store under the broker id they end
 * up with; `preview` changes nothing at all. An existing broker that the import reuses keeps
 * its own stored password.
 */
export async function runImport(
  request: z.output<typeof importRequest>,
  deployed: { rev: string | null; document: unknown },
  credentials: CredentialStore,
): Promise<ImportReply> {
  const imported = readImport(request.source);
  const base = (request.base ?? deployed.document ?? null) as FlowDocumentInput | null;
  const baseRev = request.base === undefined ? deployed.rev : null;
  const { document, plan } = mergeDocuments(base, imported.document, request.mode === 'replace' ? 'replace' : 'merge');
  const stored = await storeSecrets(imported.secrets, plan, request.mode, credentials);
  const validation = validateDocument(document);
  const report: ImportReport = { ...imported.report, credentials: stored };
  return {
    kind: imported.kind,
    mode: request.mode,
    document: imported.document,
    report,
    merged: { baseRev, document, plan },
    validation: { ok: validation.ok, errors: validation.errors, warnings: validation.warnings },
    deployable: validation.ok,
  };
}

async function storeSecrets(secrets: readonly FoundSecret[], plan: MergePlan, mode: ImportMode, store: CredentialStore): Promise<CredentialReport[]> {
  const out: CredentialReport[] = [];
  for (const secret of secrets) {
    const fields = [...(secret.password !== undefined ? ['password' as const] : []), ...(secret.passphrase !== undefined ? ['passphrase' as const] : [])];
    const what = fields.join(' and ');
    const reused = plan.reusedBrokers.find((r) => r.imported === secret.brokerId);
    const brokerId = reused?.existing ?? plan.renamed.find((r) => r.kind === 'broker' && r.from === secret.brokerId)?.to ?? secret.brokerId;
    if (mode === 'preview') {
      out.push({ brokerId, fields, stored: false, message: `broker "${brokerId}": the ${what} found in the export is not in the document; it goes into the credential store when you import (merge or replace)` });
      continue;
    }
    const existing = store.describe(brokerId);
    if (reused && (existing.hasPassword || existing.hasPassphrase)) {
      out.push({ brokerId, fields, stored: false, message: `broker "${brokerId}" was already in the flow with its own stored secrets; they were kept and the ${what} from the export was not stored` });
      continue;
    }
    await store.set(brokerId, { ...(store.get(brokerId) ?? {}), ...(secret.password !== undefined ? { password: secret.password } : {}), ...(secret.passphrase !== undefined ? { passphrase: secret.passphrase } : {}) });
    out.push({ brokerId, fields, stored: true, message: `broker "${brokerId}": the ${what} from the export is in the credential store (encrypted), not in the document` });
  }
  return out;
}
