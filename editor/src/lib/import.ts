/**
 * What an import does to the flow, decided before anything changes: which file kind it is,
 * how its ids and brokers fit the current flow, and what the server's Node-RED report says.
 * Pure: no store, no DOM, so the preview and the tests see exactly what the import will do.
 */
import type { BrokerEntryInput } from '../../../nodes/broker.ts';
import { definitionsByType } from '../../../nodes/registry.ts';
import { freshId, type EditorDocument } from '../store/document.ts';

type DocNode = EditorDocument['nodes'][number];
/** A document read from a file or the server: only `nodes` can be relied on. */
export type IncomingDocument = Partial<EditorDocument> & Pick<EditorDocument, 'nodes'>;
type DocEdge = EditorDocument['edges'][number];

/** What a parsed file is. */
export type ImportKind =
  | { kind: 'topicflow'; document: IncomingDocument }
  | { kind: 'node-red'; body: unknown }
  | { kind: 'unknown'; reason: string };

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function looksLikeNodeRedNodes(list: readonly unknown[]): boolean {
  // Node-RED exports are flat arrays of nodes with `z` (their tab) and `wires`; tabs have type "tab".
  return list.length > 0 && list.every(isRecord) && list.some((n) => 'wires' in n || 'z' in n || n['type'] === 'tab');
}

/** Tell a topicflow document from a Node-RED export (an array, or `{ flows, rev }`) from anything else. */
export function classifyImport(json: unknown): ImportKind {
  if (Array.isArray(json)) {
    return looksLikeNodeRedNodes(json) ? { kind: 'node-red', body: json } : { kind: 'unknown', reason: 'this list is not a Node-RED export (its entries have no "wires" or "z")' };
  }
  if (!isRecord(json)) return { kind: 'unknown', reason: 'the file holds no flow (expected a JSON object or a Node-RED export array)' };
  if (Array.isArray(json['flows']) && looksLikeNodeRedNodes(json['flows'])) return { kind: 'node-red', body: json };
  const format = json['format'];
  if (typeof format === 'string' && format !== 'topicflow/1') {
    return { kind: 'unknown', reason: `format "${format}" is not one this topicflow reads (topicflow/1); a newer topicflow may have written it` };
  }
  if (Array.isArray(json['nodes'])) {
    if (looksLikeNodeRedNodes(json['nodes'])) return { kind: 'node-red', body: json['nodes'] };
    return { kind: 'topicflow', document: json as unknown as IncomingDocument };
  }
  return { kind: 'unknown', reason: 'the file has no "nodes" list: it is neither a topicflow flow nor a Node-RED export' };
}

/**
 * Why a document cannot be merged at all (a node without a text id or type, an edge without
 * text ends), or undefined. Config mistakes are not this: they are fixed in the editor.
 */
export function unusableReason(doc: IncomingDocument): string | undefined {
  const text = (v: unknown) => typeof v === 'string' && v.length > 0;
  const badNode = doc.nodes.findIndex((n) => !isRecord(n) || !text(n.id) || !text(n.type));
  if (badNode >= 0) return `node ${badNode + 1} has no id or type`;
  const badConfig = doc.nodes.find((n) => n.config !== undefined && !isRecord(n.config));
  if (badConfig) return `node "${badConfig.id}" has a config that is not an object`;
  if (doc.edges !== undefined && !Array.isArray(doc.edges)) return '"edges" is not a list';
  const badEdge = (doc.edges ?? []).findIndex((e) => !isRecord(e) || !text(e.source) || !text(e.target));
  if (badEdge >= 0) return `edge ${badEdge + 1} has no source or target`;
  if (doc.brokers !== undefined && (!Array.isArray(doc.brokers) || doc.brokers.some((b) => !isRecord(b) || !text(b.id) || typeof b.url !== 'string'))) {
    return 'a broker entry has no id or url';
  }
  return undefined;
}

/** A broker URL in a comparable form: default ports filled in, host lower-cased, tcp: read as mqtt:. */
export function normalizeBrokerUrl(text: string): string {
  try {
    const url = new URL(text);
    const aliases: Record<string, string> = { 'tcp:': 'mqtt:', 'ssl:': 'mqtts:', 'tls:': 'mqtts:' };
    const protocol = aliases[url.protocol] ?? url.protocol;
    const ports: Record<string, string> = { 'mqtt:': '1883', 'mqtts:': '8883', 'ws:': '80', 'wss:': '443' };
    const port = url.port || ports[protocol] || '';
    const path = url.pathname === '/' ? '' : url.pathname;
    return `${protocol}//${url.hostname.toLowerCase()}:${port}${path}`;
  } catch {
    return text.trim();
  }
}

export interface MergeResult {
  /** The incoming nodes with their final ids and broker fields. */
  nodes: DocNode[];
  /** The incoming edges between the incoming nodes, with final ids. */
  edges: DocEdge[];
  /** Brokers to add (their ids made unique); reused brokers are not among them. */
  brokers: BrokerEntryInput[];
  /** Node ids that clashed: incoming id → new id. */
  renamed: Map<string, string>;
  /** Broker ids that clashed with a different broker: incoming id → new id. */
  renamedBrokers: Map<string, string>;
  /** Incoming brokers with the URL of one already in the flow: that one is used instead. */
  reusedBrokers: { incomingId: string; existingId: string; url: string }[];
  /** Edges left out because an end is not among the incoming nodes. */
  droppedEdges: number;
  added: { nodes: number; edges: number; brokers: number };
}

/**
 * Merge `incoming` into `current` without touching anything already there: incoming node ids
 * that are taken get fresh ones (edges follow), a broker whose URL the flow already has is
 * reused (the nodes' broker fields point at it), other brokers are added, renamed on a clash.
 */
export function mergeDocument(
  current: Pick<EditorDocument, 'nodes' | 'brokers'>,
  incoming: Partial<Pick<EditorDocument, 'nodes' | 'edges' | 'brokers'>>,
): MergeResult {
  const inNodes = incoming.nodes ?? [];
  const inEdges = incoming.edges ?? [];
  const inBrokers = incoming.brokers ?? [];

  // Brokers: reuse by URL, else add with a free id.
  const byUrl = new Map<string, string>();
  for (const b of current.brokers) if (!byUrl.has(normalizeBrokerUrl(b.url))) byUrl.set(normalizeBrokerUrl(b.url), b.id);
  const brokerIds = new Set([...current.brokers.map((b) => b.id), ...inBrokers.map((b) => b.id)]);
  const currentBrokerIds = new Set(current.brokers.map((b) => b.id));
  const brokerMap = new Map<string, string>();
  const renamedBrokers = new Map<string, string>();
  const reusedBrokers: MergeResult['reusedBrokers'] = [];
  const brokers: BrokerEntryInput[] = [];
  for (const b of inBrokers) {
    const existing = byUrl.get(normalizeBrokerUrl(b.url));
    if (existing !== undefined) {
      brokerMap.set(b.id, existing);
      reusedBrokers.push({ incomingId: b.id, existingId: existing, url: b.url });
      continue;
    }
    let id = b.id;
    if (currentBrokerIds.has(id)) {
      id = freshId(b.id, brokerIds);
      brokerIds.add(id);
      renamedBrokers.set(b.id, id);
    }
    brokerMap.set(b.id, id);
    currentBrokerIds.add(id);
    byUrl.set(normalizeBrokerUrl(b.url), id);
    brokers.push(id === b.id ? b : { ...b, id });
  }

  // Nodes: fresh ids for the taken ones; a fresh id must not be another incoming node's id either.
  const taken = new Set([...current.nodes.map((n) => n.id), ...inNodes.map((n) => n.id)]);
  const currentIds = new Set(current.nodes.map((n) => n.id));
  const renamed = new Map<string, string>();
  const idMap = new Map<string, string>();
  const nodes = inNodes.map((n) => {
    let id = n.id;
    if (currentIds.has(id) || idMap.has(id)) {
      id = freshId(n.id, taken);
      taken.add(id);
      renamed.set(n.id, id);
    }
    if (!idMap.has(n.id)) idMap.set(n.id, id);
    const config = remapBrokerFields(n.type, n.config ?? {}, brokerMap);
    return { ...n, id, config };
  });

  const seen = new Set<string>();
  let droppedEdges = 0;
  const edges: DocEdge[] = [];
  for (const e of inEdges) {
    const source = idMap.get(e.source);
    const target = idMap.get(e.target);
    if (source === undefined || target === undefined) {
      droppedEdges++;
      continue;
    }
    const key = `${source}:${e.sourcePort ?? 0}->${target}`;
    if (seen.has(key)) continue;
    seen.add(key);
    edges.push({ source, target, ...(e.sourcePort ? { sourcePort: e.sourcePort } : {}) });
  }

  return {
    nodes,
    edges,
    brokers,
    renamed,
    renamedBrokers,
    reusedBrokers,
    droppedEdges,
    added: { nodes: nodes.length, edges: edges.length, brokers: brokers.length },
  };
}

function remapBrokerFields(type: string, config: Record<string, unknown>, brokerMap: ReadonlyMap<string, string>): Record<string, unknown> {
  const fields = definitionsByType.get(type)?.brokerFields ?? [];
  let out = config;
  for (const field of fields) {
    const value = config[field];
    if (typeof value !== 'string') continue;
    const mapped = brokerMap.get(value);
    if (mapped !== undefined && mapped !== value) {
      if (out === config) out = { ...config };
      out[field] = mapped;
    }
  }
  return out;
}

/** One line of the server's Node-RED conversion report. */
export interface ReportItem {
  id?: string;
  type?: string;
  name?: string;
  message: string;
}

export interface ImportReport {
  converted: ReportItem[];
  differences: ReportItem[];
  unsupported: ReportItem[];
  /** Anything else the server said (warnings, notes). */
  notes: ReportItem[];
}

const REPORT_KEYS: Record<keyof ImportReport, readonly string[]> = {
  converted: ['converted', 'ok', 'imported'],
  differences: ['differences', 'withDifferences', 'changed', 'approximated', 'partial'],
  unsupported: ['unsupported', 'skipped', 'notConverted', 'dropped'],
  notes: ['notes', 'warnings', 'messages'],
};

function reportItem(value: unknown): ReportItem | undefined {
  if (typeof value === 'string') return { message: value };
  if (!isRecord(value)) return undefined;
  const text = (key: string) => (typeof value[key] === 'string' ? (value[key] as string) : undefined);
  const id = text('id') ?? text('nodeId') ?? text('nodeRedId');
  const type = text('type') ?? text('nodeRedType');
  const name = text('name');
  const messages = [text('message'), text('reason'), text('note'), ...(Array.isArray(value['notes']) ? value['notes'].filter((n): n is string => typeof n === 'string') : [])];
  const message = messages.filter(Boolean).join('; ');
  return { ...(id ? { id } : {}), ...(type ? { type } : {}), ...(name ? { name } : {}), message };
}

/**
 * The `/api/import` reply as a document and a report. The report is read leniently: lists of
 * strings or of `{ id, type, name, message }` under the usual names, at the top or in `report`.
 */
export function readImportReply(reply: unknown): { document?: IncomingDocument; report: ImportReport } {
  const top = isRecord(reply) ? reply : {};
  const source = isRecord(top['report']) ? top['report'] : top;
  const report: ImportReport = { converted: [], differences: [], unsupported: [], notes: [] };
  for (const key of Object.keys(REPORT_KEYS) as (keyof ImportReport)[]) {
    for (const name of REPORT_KEYS[key]) {
      const list = source[name];
      if (Array.isArray(list)) report[key].push(...list.map(reportItem).filter((i): i is ReportItem => i !== undefined));
    }
  }
  const doc = top['document'];
  return isRecord(doc) && Array.isArray(doc['nodes']) ? { document: doc as unknown as IncomingDocument, report } : { report };
}
