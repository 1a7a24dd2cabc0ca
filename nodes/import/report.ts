/**
 * The import report: for every node of the original, what became of it. Nothing is left
 * out — a node is converted, converted with a stated difference, or unsupported (kept as a
 * placeholder, or, for config nodes, only listed) — and secrets found in the export are
 * accounted for separately.
 */

/** What became of one Node-RED node. */
export type Outcome = 'converted' | 'changed' | 'unsupported';

/** One Node-RED node in the report. */
export interface NodeReport {
  /** The Node-RED node id. */
  readonly id: string;
  /** The Node-RED node type (`switch`, `mqtt in`…). */
  readonly type: string;
  readonly name?: string;
  /** The tab it was on (its label), when it was on one. */
  readonly tab?: string;
  readonly outcome: Outcome;
  /** The topicflow nodes or broker entries it became (none when folded away or skipped). */
  readonly becomes: readonly string[];
  /** One line: what it became, and for `unsupported` why not. */
  readonly message: string;
  /** Each way the converted flow behaves differently from Node-RED, as a sentence. */
  readonly differences: readonly string[];
  /** For `unsupported`: why it could not be converted. */
  readonly reason?: string;
  /** For a `function` node: its JavaScript, so the user can rewrite it. */
  readonly code?: string;
  /** A JSONata expression that does what a simple function did (check it before use). */
  readonly suggestion?: string;
}

/** A secret found in the export, and where it went. */
export interface CredentialReport {
  /** The broker entry (final id) it belongs to. */
  readonly brokerId: string;
  readonly fields: readonly ('password' | 'passphrase')[];
  /** True once it is in the credential store; false when it was only found (or not kept). */
  readonly stored: boolean;
  readonly message: string;
}

/** The whole report of one import, nodes grouped by outcome. */
export interface ImportReport {
  readonly source: 'node-red' | 'topicflow';
  readonly summary: { readonly nodes: number; readonly converted: number; readonly changed: number; readonly unsupported: number };
  readonly converted: readonly NodeReport[];
  readonly changed: readonly NodeReport[];
  readonly unsupported: readonly NodeReport[];
  /** Differences that concern the whole flow rather than one node. */
  readonly notes: readonly string[];
  /** Things to look at before deploying (public test brokers, placeholders). */
  readonly warnings: readonly string[];
  readonly credentials: readonly CredentialReport[];
}

/** Group node reports by outcome and count them. */
export function buildReport(
  source: ImportReport['source'],
  nodes: readonly NodeReport[],
  notes: readonly string[],
  warnings: readonly string[],
  credentials: readonly CredentialReport[],
): ImportReport {
  const by = (outcome: Outcome) => nodes.filter((n) => n.outcome === outcome);
  const converted = by('converted');
  const changed = by('changed');
  const unsupported = by('unsupported');
  return {
    source,
    summary: { nodes: nodes.length, converted: converted.length, changed: changed.length, unsupported: unsupported.length },
    converted,
    changed,
    unsupported,
    notes,
    warnings,
    credentials,
  };
}

/** The report as lines for a terminal, most important first. */
export function formatReport(report: ImportReport): string[] {
  const { summary } = report;
  const lines = [
    `${summary.nodes} Node-RED node(s): ${summary.converted} converted, ${summary.changed} converted with differences, ${summary.unsupported} unsupported`,
  ];
  const label = (n: NodeReport) => `${n.type}${n.name ? ` "${n.name}"` : ''} (${n.id})`;
  for (const n of report.unsupported) {
    lines.push(`  unsupported  ${label(n)}: ${n.reason ?? n.message}`);
    if (n.code !== undefined) lines.push(...indent(`code:\n${n.code}`, 6));
    if (n.suggestion !== undefined) lines.push(`      suggested JSONata (transform expr): ${n.suggestion}`);
  }
  for (const n of report.changed) {
    lines.push(`  changed      ${label(n)}: ${n.message}`);
    for (const d of n.differences) lines.push(`      - ${d}`);
  }
  for (const n of report.converted) lines.push(`  converted    ${label(n)}: ${n.message}`);
  for (const c of report.credentials) lines.push(`credentials: ${c.message}`);
  for (const note of report.notes) lines.push(`note: ${note}`);
  for (const warning of report.warnings) lines.push(`warning: ${warning}`);
  return lines;
}

function indent(text: string, spaces: number): string[] {
  const pad = ' '.repeat(spaces);
  return text.split('\n').map((line) => pad + line);
}
