import type { BrokerEntryInput } from '../../../nodes/broker.ts';
import { definitionsByType } from '../../../nodes/registry.ts';
import { stableJson } from '../../../nodes/stable-json.ts';
import type { DocumentMeta, EditorEdge, EditorNode, FlowTab, Snapshot } from './types.ts';

/** The document shape as the editor reads and writes it (validated by the server on deploy). */
export interface EditorDocument {
  format: 'topicflow/1';
  name?: string;
  description?: string;
  devices?: string[];
  flows?: FlowTab[];
  brokers: BrokerEntryInput[];
  nodes: {
    id: string;
    type: string;
    name?: string;
    flow?: string;
    position?: { x: number; y: number };
    config: Record<string, unknown>;
  }[];
  edges: { source: string; target: string; sourcePort?: number }[];
}

export const DEFAULT_TAB: FlowTab = { id: 'flow1', label: 'Flow 1' };

export function edgeId(source: string, port: number, target: string): string {
  return `${source}:${port}->${target}`;
}

export function portOf(handle: string | null | undefined): number {
  const match = /^out-(\d+)$/.exec(handle ?? '');
  return match ? Number(match[1]) : 0;
}

/** A document (from the server, a file, an example) as canvas nodes and edges. */
export function fromDocument(doc: Partial<EditorDocument> | null | undefined): Snapshot & { missingPositions: boolean } {
  const tabs = doc?.flows && doc.flows.length > 0 ? doc.flows.map((f) => ({ id: f.id, label: f.label || f.id })) : [DEFAULT_TAB];
  const firstTab = tabs[0]!.id;
  let missingPositions = false;
  const nodes: EditorNode[] = (doc?.nodes ?? []).map((n, i) => {
    if (!n.position) missingPositions = true;
    return {
      id: n.id,
      type: 'topicflow',
      position: n.position ?? { x: 0, y: i * 90 },
      data: { type: n.type, config: n.config ?? {}, ...(n.name ? { name: n.name } : {}), flow: n.flow ?? firstTab },
    };
  });
  const edges: EditorEdge[] = (doc?.edges ?? []).map((e) => {
    const port = e.sourcePort ?? 0;
    return { id: edgeId(e.source, port, e.target), source: e.source, target: e.target, sourceHandle: `out-${port}`, targetHandle: 'in' };
  });
  const meta: DocumentMeta = {};
  if (doc?.name) meta.name = doc.name;
  if (doc?.description) meta.description = doc.description;
  if (doc?.devices) meta.devices = doc.devices;
  return { nodes, edges, brokers: doc?.brokers ?? [], tabs, meta, missingPositions };
}

/** The canvas as a topicflow/1 document (positions rounded; tabs written when there are several). */
export function toDocument(snapshot: Snapshot): EditorDocument {
  const severalTabs = snapshot.tabs.length > 1;
  return {
    format: 'topicflow/1',
    ...snapshot.meta,
    ...(severalTabs ? { flows: snapshot.tabs } : {}),
    brokers: snapshot.brokers,
    nodes: snapshot.nodes.map((n) => nodeToDocument(n, severalTabs)),
    edges: snapshot.edges.map((e) => ({ source: e.source, target: e.target, ...(portOf(e.sourceHandle) ? { sourcePort: portOf(e.sourceHandle) } : {}) })),
  };
}

/** One canvas node as a document entry (`flow` is written only when there are several tabs). */
export function nodeToDocument(n: EditorNode, severalTabs: boolean): EditorDocument['nodes'][number] {
  return {
    id: n.id,
    type: n.data.type,
    ...(n.data.name ? { name: n.data.name } : {}),
    ...(severalTabs && n.data.flow ? { flow: n.data.flow } : {}),
    position: { x: Math.round(n.position.x), y: Math.round(n.position.y) },
    config: n.data.config,
  };
}

/** Per node: what makes it run differently if changed (type and config, not name or position). */
export function nodeFingerprints(doc: Pick<EditorDocument, 'nodes'>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const n of doc.nodes) out[n.id] = stableJson({ type: n.type, config: n.config });
  return out;
}

/** How many nodes a deploy would start, stop or restart, compared with the deployed ones. */
export function changedNodeCount(current: Record<string, string>, deployed: Record<string, string>): number {
  let changed = 0;
  for (const [id, print] of Object.entries(current)) if (deployed[id] !== print) changed++;
  for (const id of Object.keys(deployed)) if (!(id in current)) changed++;
  return changed;
}

/** A node id not used yet: `threshold`, `threshold-2`, … */
export function freshId(base: string, taken: ReadonlySet<string>): string {
  const stem = base.replace(/[^A-Za-z0-9_.:-]/g, '-').slice(0, 50) || 'node';
  if (!taken.has(stem)) return stem;
  for (let i = 2; i < 100_000; i++) if (!taken.has(`${stem}-${i}`)) return `${stem}-${i}`;
  return `${stem}-${Date.now().toString(36)}`;
}

/** The config a new node starts with: the schema's defaults, and the first broker for broker fields. */
export function defaultConfig(type: string, brokers: readonly BrokerEntryInput[]): Record<string, unknown> {
  const def = definitionsByType.get(type);
  if (!def) return {};
  const seed: Record<string, unknown> = {};
  for (const field of def.brokerFields ?? []) if (brokers[0]) seed[field] = brokers[0].id;
  if (type === 'mqtt-in') seed['topic'] = '';
  if (type === 'mqtt-out') seed['topic'] = '';
  if (type === 'threshold') seed['above'] = 25;
  const parsed = def.config.safeParse(seed);
  return parsed.success ? { ...(parsed.data as Record<string, unknown>), ...seed } : seed;
}
