import { FORMAT, type FlowDocumentInput } from '../document/schema.ts';
import { UserInputError } from '../errors.ts';
import type { BrokerEntryInput } from '../broker.ts';
import { ConvertContext, type FoundSecret, type TfNode } from './context.ts';
import { convertDebug, convertInject, convertJson } from './convert-basic.ts';
import { convertChange } from './convert-change.ts';
import { convertFunction } from './convert-function.ts';
import { convertMqttIn, convertMqttOut } from './convert-mqtt.ts';
import { convertComment, convertConfigNode, convertGroup, convertUnknown, convertWire } from './convert-other.ts';
import { convertRange } from './convert-range.ts';
import { convertSwitch } from './convert-switch.ts';
import { findThresholdPatterns, type ThresholdPattern } from './convert-threshold.ts';
import { isFilterNode } from './filter-ops.ts';
import { NrGraph, WIRE_TYPES } from './graph.ts';
import { flag, parseNodeRedExport, text, type NrNode } from './node-red.ts';
import { buildReport, type ImportReport } from './report.ts';

/** The document a conversion builds: every node has a config, and the lists are all there. */
export interface ConvertedDocument extends FlowDocumentInput {
  brokers: BrokerEntryInput[];
  nodes: TfNode[];
  edges: { source: string; target: string; sourcePort?: number }[];
}

/** A converted export: the document, what became of each node, and the secrets found. */
export interface ConvertResult {
  readonly document: ConvertedDocument;
  readonly report: ImportReport;
  /** Passwords found on broker config nodes, by broker entry id; never part of the document. */
  readonly secrets: readonly FoundSecret[];
}

/**
 * Convert a Node-RED export (a list of nodes, or `{ flows, rev }`) into a topicflow document:
 * one flow tab per Node-RED tab, positions kept, every node accounted for in the report.
 * Throws UserInputError when the input is not an export at all. Pure: the caller decides
 * where the secrets go.
 */
export function convertNodeRed(input: unknown): ConvertResult {
  const parsed = parseNodeRedExport(input);
  if (!parsed.ok) throw new UserInputError(`not a Node-RED export: ${parsed.error}`);
  const nodes = parsed.nodes;
  const tabs = nodes.filter((n) => n.type === 'tab');
  const subflows = new Set(nodes.filter((n) => n.type === 'subflow').map((n) => n.id));
  const disabledTabs = new Set(tabs.filter((t) => flag(t, 'disabled')).map((t) => t.id));
  const inactive = new Set(nodes.filter((n) => n.d === true || (n.z !== undefined && (disabledTabs.has(n.z) || subflows.has(n.z)))).map((n) => n.id));

  const liveTabs = tabs.filter((t) => !disabledTabs.has(t.id));
  const cx = new ConvertContext(new NrGraph(nodes, inactive), new Map(liveTabs.map((t) => [t.id, text(t, 'label', t.id)])));
  for (const tab of liveTabs) {
    const id = cx.newId(tab.id);
    // Tab ids are Node-RED ids, valid as topicflow ids; newId only reserves them.
    cx.flows.push({ id, label: text(tab, 'label', id).slice(0, 200), ...(text(tab, 'info') ? { description: text(tab, 'info').slice(0, 10_000) } : {}) });
    cx.scope(tab).listed('converted', `flow tab ${id}`, { becomes: [id], name: text(tab, 'label', id) });
  }
  for (const tab of tabs.filter((t) => disabledTabs.has(t.id))) {
    cx.scope(tab).listed('changed', 'the tab is disabled in Node-RED, so it and its nodes were left out', { differences: ['left out: disabled'], name: text(tab, 'label') });
  }

  const patterns = findThresholdPatterns(cx, nodes);
  const absorbed = new Map<string, ThresholdPattern>();
  for (const p of patterns.values()) for (const n of [...p.changes, ...(p.filter ? [p.filter] : [])]) absorbed.set(n.id, p);
  cx.filtered = filteredNodes(cx, nodes, patterns);
  const folds = jsonFolds(cx, nodes);

  for (const node of nodes) {
    if (cx.reports.has(node.id) || node.type === 'tab' || node.type === 'mqtt-broker' || node.type === 'tls-config') continue;
    const s = cx.scope(node);
    if (node.z !== undefined && subflows.has(node.z)) {
      s.listed('unsupported', 'it is inside a subflow, and subflows are not converted', { reason: 'inside a subflow' });
    } else if (node.type === 'subflow') {
      s.listed('unsupported', 'subflows are not converted: their instances are kept as placeholders', { reason: 'subflows are not converted' });
    } else if (inactive.has(node.id)) {
      const why = node.z && disabledTabs.has(node.z) ? 'its tab is disabled' : 'it is disabled';
      s.listed('changed', `${why} in Node-RED, so it was left out (it passed nothing on there either)`, { differences: ['left out: disabled'] });
    } else if (patterns.has(node.id)) {
      convertPattern(cx, patterns.get(node.id)!);
    } else if (absorbed.has(node.id)) {
      continue; // reported with its switch
    } else {
      convertNode(node, s, folds);
    }
  }
  for (const node of nodes) {
    if (!cx.reports.has(node.id)) convertConfigNode(cx.scope(node));
  }

  const placeholders = [...cx.reports.values()].filter((r) => r.outcome === 'unsupported' && r.becomes.length > 0).length;
  if (placeholders > 0) cx.warnings.push(`${placeholders} placeholder node(s) stand for what could not be converted; deploying is blocked until each is replaced or removed`);
  if (cx.brokers.length === 0 && cx.nodes.length > 0) cx.notes.add('the export has no MQTT nodes, so the flow has no broker entry');
  const name = liveTabs.length === 1 ? text(liveTabs[0]!, 'label', 'Imported from Node-RED') : 'Imported from Node-RED';
  const document: ConvertedDocument = {
    format: FORMAT,
    name: name.slice(0, 200),
    ...(cx.flows.length > 0 ? { flows: cx.flows } : {}),
    brokers: cx.brokers,
    nodes: cx.nodes,
    edges: buildEdges(cx),
  };
  const credentials = cx.secrets.map((secret) => ({
    brokerId: secret.brokerId,
    fields: [...(secret.password !== undefined ? ['password' as const] : []), ...(secret.passphrase !== undefined ? ['passphrase' as const] : [])],
    stored: false,
    message: `broker "${secret.brokerId}": the ${secret.password !== undefined ? 'password' : 'key passphrase'} found in the export is not in the document`,
  }));
  const report = buildReport('node-red', [...cx.reports.values()], [...cx.notes], cx.warnings, credentials);
  return { document, report, secrets: cx.secrets };
}

function convertNode(node: NrNode, s: ReturnType<ConvertContext['scope']>, folds: ReadonlyMap<string, string>): void {
  switch (node.type) {
    case 'mqtt in':
      return convertMqttIn(s, [...folds.values()].includes(node.id));
    case 'mqtt out':
      return convertMqttOut(s);
    case 'switch':
      return convertSwitch(s);
    case 'change':
      return convertChange(s);
    case 'range':
      return convertRange(s);
    case 'json':
      return convertJson(s, folds.get(node.id));
    case 'inject':
      return convertInject(s);
    case 'debug':
      return convertDebug(s);
    case 'function':
      return convertFunction(s);
    case 'comment':
      return convertComment(s);
    case 'group':
      return convertGroup(s);
    default:
      if (WIRE_TYPES.has(node.type)) return convertWire(s);
      // Config nodes carry no wires and no position; they are listed at the end unless used.
      if (node.wires === undefined && node.x === undefined) return;
      return convertUnknown(s);
  }
}

/** The switch, its two change nodes and its filter become (a path transform and) one threshold. */
function convertPattern(cx: ConvertContext, p: ThresholdPattern): void {
  const s = cx.scope(p.switchNode);
  p.differences.forEach((d) => s.differ(d));
  const pathId = p.path ? s.add('transform', { ops: [{ op: 'path', path: p.path }] }, { suffix: 'value', name: p.path }) : undefined;
  const [first] = p.changes;
  const thresholdId = s.add('threshold', p.config, {
    suffix: pathId ? 'threshold' : undefined,
    dx: pathId ? (first.x ?? 0) - (p.switchNode.x ?? 0) : 0,
    dy: pathId ? (first.y ?? 0) - (p.switchNode.y ?? 0) : 0,
  });
  if (pathId) s.wire(pathId, thresholdId);
  s.done({ kind: 'nodes', entry: [pathId ?? thresholdId], exits: [[], []] }, `threshold ${thresholdId}: ${describeCondition(p.config)}, sending ${p.config['emit'] === 'change' ? 'only changes' : 'every value'}`);
  const exitsAfterChange = p.filter ? [] : [thresholdId];
  p.changes.forEach((change, i) => {
    const role = JSON.stringify(p.config[i === 0 ? 'on' : 'off']);
    cx.scope(change).done({ kind: 'nodes', entry: [], exits: [exitsAfterChange] }, `folded into threshold ${thresholdId}: its value ${role} is what the threshold sends`, { becomes: [thresholdId] });
  });
  if (p.filter) {
    cx.scope(p.filter).done({ kind: 'nodes', entry: [], exits: [[thresholdId]] }, `folded into threshold ${thresholdId}, which sends only when its state changes`, { becomes: [thresholdId] });
  }
}

/** "ON above 25", with the open ends of one-sided ranges read back as a person wrote them. */
function describeCondition(config: Record<string, unknown>): string {
  const range = (config['between'] ?? config['outside']) as [number, number] | undefined;
  if (config['above'] !== undefined) return `ON above ${config['above']}, OFF below ${Number(config['above']) - Number(config['hysteresis'] ?? 0)}`;
  if (config['below'] !== undefined) return `ON below ${config['below']}, OFF above ${Number(config['below']) + Number(config['hysteresis'] ?? 0)}`;
  if (!range) return 'ON/OFF';
  const [low, high] = range;
  const inside = config['between'] !== undefined;
  if (low === -Number.MAX_VALUE) return inside ? `ON at ${high} or below` : `ON above ${high}`;
  if (high === Number.MAX_VALUE) return inside ? `ON at ${low} or above` : `ON below ${low}`;
  return inside ? `ON from ${low} to ${high}` : `ON below ${low} or above ${high}`;
}

/** Nodes downstream of a converted filter (switch or dropping range): unmatched messages reach them as unavailable. */
function filteredNodes(cx: ConvertContext, nodes: readonly NrNode[], patterns: ReadonlyMap<string, ThresholdPattern>): Set<string> {
  const out = new Set<string>();
  for (const node of nodes) {
    if (!cx.graph.isActive(node.id) || patterns.has(node.id) || !isFilterNode(node)) continue;
    for (const id of cx.graph.descendants(node.id)) out.add(id);
  }
  return out;
}

/**
 * json nodes right after string subscriptions: json node id → the mqtt in it folds into. A
 * subscription folds only when the json node is all it feeds, and the json node only when
 * subscriptions are all that feed it.
 */
function jsonFolds(cx: ConvertContext, nodes: readonly NrNode[]): Map<string, string> {
  const folds = new Map<string, string>();
  for (const node of nodes) {
    if (node.type !== 'json' || !cx.graph.isActive(node.id)) continue;
    if (text(node, 'property', 'payload') !== 'payload' || !['', 'obj'].includes(text(node, 'action'))) continue;
    const preds = cx.graph.predecessors(node.id).map((id) => cx.graph.byId.get(id)!);
    const foldable = preds.length === 1 && preds.every((p) => p.type === 'mqtt in' && ['utf8', 'auto'].includes(text(p, 'datatype', 'utf8')) && cx.graph.allSuccessors(p.id).length === 1);
    if (foldable) folds.set(node.id, preds[0]!.id);
  }
  return folds;
}

/** Edges for every Node-RED wire, resolved through links and pass-through nodes, without duplicates. */
function buildEdges(cx: ConvertContext): { source: string; target: string; sourcePort?: number }[] {
  const edges = new Map<string, { source: string; target: string; sourcePort?: number }>();
  const add = (source: string, target: string, port = 0) =>
    edges.set(`${source}\u0000${port}\u0000${target}`, { source, target, ...(port > 0 ? { sourcePort: port } : {}) });
  const entries = (id: string, seen: Set<string>): string[] => {
    if (seen.has(id) || !cx.graph.isActive(id)) return [];
    seen.add(id);
    const fragment = cx.fragments.get(id);
    if (!fragment) return [];
    if (fragment.kind === 'nodes') return [...fragment.entry];
    const node = cx.graph.byId.get(id)!;
    const next = node.type === 'link out' ? ((node['links'] as string[] | undefined) ?? []) : (node.wires?.[0] ?? []);
    return next.flatMap((t) => entries(t, seen));
  };
  for (const [id, fragment] of cx.fragments) {
    if (fragment.kind !== 'nodes' || !cx.graph.isActive(id)) continue;
    const wires = cx.graph.byId.get(id)?.wires ?? [];
    fragment.exits.forEach((sources, port) => {
      const targets = (wires[port] ?? []).flatMap((t) => entries(t, new Set()));
      for (const source of sources) for (const target of targets) add(source, target, fragment.exitPorts?.[port]);
    });
  }
  for (const e of cx.edges) add(e.source, e.target);
  return [...edges.values()];
}
