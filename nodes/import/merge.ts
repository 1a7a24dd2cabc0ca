import type { BrokerEntryInput } from '../broker.ts';
import type { FlowDocumentInput } from '../document/schema.ts';
import { definitionsByType } from '../registry.ts';

/**
 * Merging an imported document into the one being edited, decided before anything changes so
 * the editor can show a preview. Pure: the same function gives the preview and the result.
 *
 * - `merge` (the default): nothing already there changes. An imported id that is taken gets a
 *   fresh one (edges follow); an imported broker with the URL and user of one already there is
 *   not added: its nodes use the existing entry.
 * - `replace`: an imported node, broker or tab whose id is taken replaces the existing one; the
 *   replaced node's outgoing edges are the imported ones, its incoming edges stay.
 */
export type MergeMode = 'merge' | 'replace';

type Kind = 'node' | 'broker' | 'flow';

/** What a merge did (or, for a preview, would do), for the editor to show before anything changes. */
export interface MergePlan {
  readonly mode: MergeMode;
  /** Ids (final) of what the import adds. */
  readonly added: { readonly nodes: readonly string[]; readonly brokers: readonly string[]; readonly flows: readonly string[]; readonly edges: number };
  /** Imported ids that were taken and got a fresh one (merge mode). */
  readonly renamed: readonly { readonly kind: Kind; readonly from: string; readonly to: string }[];
  /** Imported brokers not added because an existing entry has the same URL and user. */
  readonly reusedBrokers: readonly { readonly imported: string; readonly existing: string; readonly url: string }[];
  /** Every imported id that is already taken, with what holds it now: what `replace` would replace. */
  readonly clashes: readonly { readonly kind: Kind; readonly id: string; readonly existing: string; readonly imported: string }[];
  /** What was replaced (replace mode only). */
  readonly replaced: readonly { readonly kind: Kind; readonly id: string }[];
}

type Node = FlowDocumentInput['nodes'][number];
type Edge = NonNullable<FlowDocumentInput['edges']>[number];
type Tab = NonNullable<FlowDocumentInput['flows']>[number];

/** Merge `imported` into `base` (nothing deployed yet: `base` undefined or null). */
export function mergeDocuments(base: FlowDocumentInput | null | undefined, imported: FlowDocumentInput, mode: MergeMode): { document: FlowDocumentInput; plan: MergePlan } {
  const current: FlowDocumentInput = base ?? { format: imported.format, brokers: [], nodes: [], edges: [] };
  const baseBrokers = current.brokers ?? [];
  const baseTabs = current.flows ?? [];
  const renamed: { kind: Kind; from: string; to: string }[] = [];
  const clashes: MergePlan['clashes'][number][] = [];
  const replaced: { kind: Kind; id: string }[] = [];
  const reusedBrokers: { imported: string; existing: string; url: string }[] = [];

  // Brokers first: nodes point at them.
  const brokerMap = new Map<string, string>();
  const brokerIds = new Set([...baseBrokers, ...(imported.brokers ?? [])].map((b) => b.id));
  const brokers = [...baseBrokers];
  const addedBrokers: string[] = [];
  for (const b of imported.brokers ?? []) {
    const same = baseBrokers.find((e) => sameBroker(e, b));
    if (same) {
      brokerMap.set(b.id, same.id);
      reusedBrokers.push({ imported: b.id, existing: same.id, url: same.url });
      continue;
    }
    const taken = baseBrokers.findIndex((e) => e.id === b.id);
    if (taken >= 0) {
      clashes.push({ kind: 'broker', id: b.id, existing: baseBrokers[taken]!.url, imported: b.url });
      if (mode === 'replace') {
        brokers[taken] = b;
        replaced.push({ kind: 'broker', id: b.id });
        brokerMap.set(b.id, b.id);
        continue;
      }
    }
    const id = taken >= 0 ? fresh(b.id, brokerIds) : b.id;
    if (id !== b.id) renamed.push({ kind: 'broker', from: b.id, to: id });
    brokerMap.set(b.id, id);
    brokers.push(id === b.id ? b : { ...b, id });
    addedBrokers.push(id);
  }

  const tabMap = new Map<string, string>();
  const tabIds = new Set([...baseTabs, ...(imported.flows ?? [])].map((t) => t.id));
  const tabs: Tab[] = [...baseTabs];
  const addedTabs: string[] = [];
  for (const t of imported.flows ?? []) {
    const taken = baseTabs.findIndex((e) => e.id === t.id);
    if (taken >= 0) {
      clashes.push({ kind: 'flow', id: t.id, existing: baseTabs[taken]!.label ?? '', imported: t.label ?? '' });
      if (mode === 'replace') {
        tabs[taken] = t;
        replaced.push({ kind: 'flow', id: t.id });
        tabMap.set(t.id, t.id);
        continue;
      }
    }
    const id = taken >= 0 ? fresh(t.id, tabIds) : t.id;
    if (id !== t.id) renamed.push({ kind: 'flow', from: t.id, to: id });
    tabMap.set(t.id, id);
    tabs.push(id === t.id ? t : { ...t, id });
    addedTabs.push(id);
  }

  const nodeMap = new Map<string, string>();
  const nodeIds = new Set([...current.nodes, ...imported.nodes].map((n) => n.id));
  const nodes: Node[] = [...current.nodes];
  const addedNodes: string[] = [];
  const replacedNodes = new Set<string>();
  for (const n of imported.nodes) {
    const moved = remapNode(n, brokerMap, tabMap);
    const taken = current.nodes.findIndex((e) => e.id === n.id);
    if (taken >= 0) {
      clashes.push({ kind: 'node', id: n.id, existing: current.nodes[taken]!.type, imported: n.type });
      if (mode === 'replace') {
        nodes[taken] = moved;
        replaced.push({ kind: 'node', id: n.id });
        replacedNodes.add(n.id);
        nodeMap.set(n.id, n.id);
        continue;
      }
    }
    const id = taken >= 0 ? fresh(n.id, nodeIds) : n.id;
    if (id !== n.id) renamed.push({ kind: 'node', from: n.id, to: id });
    nodeMap.set(n.id, id);
    nodes.push(id === n.id ? moved : { ...moved, id });
    addedNodes.push(id);
  }

  // A replaced node's outputs are wired as the import says; edges into it from the flow stay.
  const edges: Edge[] = (current.edges ?? []).filter((e) => !replacedNodes.has(e.source));
  const seen = new Set(edges.map(edgeKey));
  let addedEdges = 0;
  for (const e of imported.edges ?? []) {
    const source = nodeMap.get(e.source);
    const target = nodeMap.get(e.target);
    if (source === undefined || target === undefined) continue;
    const edge: Edge = { ...e, source, target };
    if (seen.has(edgeKey(edge))) continue;
    seen.add(edgeKey(edge));
    edges.push(edge);
    addedEdges++;
  }

  const document: FlowDocumentInput = { ...current, brokers, nodes, edges, ...(tabs.length > 0 ? { flows: tabs } : {}) };
  return {
    document,
    plan: { mode, added: { nodes: addedNodes, brokers: addedBrokers, flows: addedTabs, edges: addedEdges }, renamed, reusedBrokers, clashes, replaced },
  };
}

function edgeKey(e: Edge): string {
  return `${e.source}\u0000${e.sourcePort ?? 0}\u0000${e.target}`;
}

/** A node with its broker fields and tab pointing at the entries they became. */
function remapNode(n: Node, brokerMap: ReadonlyMap<string, string>, tabMap: ReadonlyMap<string, string>): Node {
  let config = n.config;
  for (const field of definitionsByType.get(n.type)?.brokerFields ?? []) {
    const ref = config?.[field];
    const mapped = typeof ref === 'string' ? brokerMap.get(ref) : undefined;
    if (mapped !== undefined && mapped !== ref) config = { ...config, [field]: mapped };
  }
  const flow = n.flow !== undefined ? tabMap.get(n.flow) ?? n.flow : undefined;
  return { ...n, ...(config !== undefined ? { config } : {}), ...(flow !== undefined ? { flow } : {}) };
}

/** Two entries reach the same broker as the same user (an imported entry without a user matches any). */
export function sameBroker(existing: BrokerEntryInput, imported: BrokerEntryInput): boolean {
  if (normalizeBrokerUrl(existing.url) !== normalizeBrokerUrl(imported.url)) return false;
  return imported.username === undefined || imported.username === existing.username;
}

/** A broker URL in comparable form: default port filled in, host lower-cased, tcp:/ssl: read as mqtt:/mqtts:. */
export function normalizeBrokerUrl(text: string): string {
  try {
    const url = new URL(text);
    const protocol = ({ 'tcp:': 'mqtt:', 'ssl:': 'mqtts:', 'tls:': 'mqtts:' } as Record<string, string>)[url.protocol] ?? url.protocol;
    const port = url.port || ({ 'mqtt:': '1883', 'mqtts:': '8883', 'ws:': '80', 'wss:': '443' } as Record<string, string>)[protocol] || '';
    const host = url.hostname.toLowerCase() === 'localhost' ? '127.0.0.1' : url.hostname.toLowerCase();
    return `${protocol}//${host}:${port}${url.pathname === '/' ? '' : url.pathname}`;
  } catch {
    return text.trim();
  }
}

/** `id-2`, `id-3`… : the first not in `taken` (which it joins). */
function fresh(id: string, taken: Set<string>): string {
  const stem = id.slice(0, 58);
  let n = 2;
  while (taken.has(`${stem}-${n}`)) n++;
  const out = `${stem}-${n}`;
  taken.add(out);
  return out;
}
