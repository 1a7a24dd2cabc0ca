import { z } from 'zod';
import type { NodeDefinition } from '../define-node.ts';
import type { Problem } from '../errors.ts';
import { PLACEHOLDER_TYPE, placeholderMessage, type PlaceholderConfig } from '../placeholder/definition.ts';
import { definitionsByType } from '../registry.ts';
import { documentEnvelopeSchema, nodeEnvelopeSchema, type FlowDocument, type FlowNode } from './schema.ts';
import { documentWarnings } from './warnings.ts';

export interface ValidationResult {
  readonly ok: boolean;
  /** The document with every node config parsed and defaults filled in; only when ok. */
  readonly document?: FlowDocument;
  readonly errors: readonly Problem[];
  readonly warnings: readonly Problem[];
}

/**
 * Check a flow document completely: every problem at once, each naming the node (or broker
 * or edge) and the field, in a sentence a person understands. Warnings do not block a deploy.
 */
export function validateDocument(
  input: unknown,
  definitions: ReadonlyMap<string, NodeDefinition> = definitionsByType,
): ValidationResult {
  const envelope = documentEnvelopeSchema.safeParse(input);
  if (!envelope.success) {
    const errors: Problem[] = envelope.error.issues.map((i) => issueProblem(i, input));
    const warnings: Problem[] = [];
    // A bad broker URL must not hide a bad topic: check the config of every node whose own
    // fields are sound. Cross-references (broker ids, edges) wait until the envelope is right.
    for (const [node, i] of soundNodes(input, envelope.error.issues)) {
      reportNodeCheck(checkNode(node, definitions), node.id, `nodes[${i}]`, errors, warnings);
    }
    return { ok: false, errors, warnings };
  }
  const doc = envelope.data;
  return checkDocument(doc, doc.nodes.map((node) => checkNode(node, definitions)), definitions);
}

/** A problem of one node's type or config, its path relative to the node (`.type`, `.config.topic`). */
export interface NodeProblem {
  readonly code: string;
  readonly at: string;
  readonly message: string;
}

/**
 * What checking one node on its own found. It depends on nothing but the node and the
 * definitions (not on its place in the document), so it can be remembered across deploys.
 */
export interface NodeCheck {
  /** The node with its config parsed and defaults filled in; absent when the type is unknown or the config invalid. */
  readonly node?: FlowNode;
  readonly problems: readonly NodeProblem[];
  /** Config fields the type does not have: each is a warning. */
  readonly unknownFields: readonly string[];
}

/** Parse a node's config with its type's schema: an unknown type or each bad field is a problem. */
export function checkNode(node: FlowNode, definitions: ReadonlyMap<string, NodeDefinition>): NodeCheck {
  const def = definitions.get(node.type);
  if (!def) {
    const message = `unknown node type "${node.type}"; known types: ${[...definitions.keys()].join(', ')}`;
    return { problems: [{ code: 'node.unknown-type', at: '.type', message }], unknownFields: [] };
  }
  const parsed = def.config.safeParse(node.config);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const field = dotted(issue.path);
      return { code: 'config.invalid', at: `.config${field ? `.${field}` : ''}`, message: `${field || 'config'}: ${issue.message}` };
    });
    return { problems, unknownFields: [] };
  }
  return { node: { ...node, config: parsed.data as Record<string, unknown> }, problems: [], unknownFields: unknownFields(def.config, node.config) };
}

/** The warnings of the node checks of a valid document (its unknown config fields), in node order. */
export function nodeCheckWarnings(nodes: readonly FlowNode[], checks: readonly NodeCheck[]): Problem[] {
  const warnings: Problem[] = [];
  for (let i = 0; i < nodes.length; i++) {
    if (checks[i]!.unknownFields.length > 0) reportNodeCheck(checks[i]!, nodes[i]!.id, `nodes[${i}]`, [], warnings);
  }
  return warnings;
}

/**
 * Everything checkDocument and documentWarnings read of a node, besides its place in the
 * list: its id, type, tab and name, the topic (mqtt-in, mqtt-out) and the broker references.
 * Two documents whose nodes give the same facts place by place, with the same edges,
 * brokers and tabs, get the same errors and warnings from them. Keep it in step with both.
 */
export function crossNodeFacts(node: FlowNode, definitions: ReadonlyMap<string, NodeDefinition>): string {
  const refs = (definitions.get(node.type)?.brokerFields ?? []).map((field) => node.config[field]);
  return JSON.stringify([node.id, node.type, node.flow, node.name, node.config['topic'], refs]);
}

function reportNodeCheck(check: NodeCheck, nodeId: string, at: string, errors: Problem[], warnings: Problem[]): void {
  for (const p of check.problems) errors.push({ code: p.code, nodeId, path: `${at}${p.at}`, message: p.message });
  const type = check.node?.type;
  for (const field of check.unknownFields) {
    warnings.push({ code: 'config.unknown-field', nodeId, path: `${at}.config.${field}`, message: `"${field}" is not a field of ${type}; it is ignored` });
  }
}

/**
 * The checks across nodes, given a document whose envelope parsed and the check of each of
 * its nodes (`checks[i]` belongs to `doc.nodes[i]`): duplicate ids, broker references,
 * edges, placeholders; then, when all is well, the warnings. Only the ids, types and tabs
 * of `doc.nodes` are read; configs come from the checks.
 */
export function checkDocument(
  doc: FlowDocument,
  checks: readonly NodeCheck[],
  definitions: ReadonlyMap<string, NodeDefinition>,
): ValidationResult {
  const errors: Problem[] = [];
  const warnings: Problem[] = [];
  const brokerIds = new Set<string>();
  doc.brokers.forEach((b, i) => {
    if (brokerIds.has(b.id)) {
      errors.push({ code: 'broker.duplicate-id', brokerId: b.id, path: `brokers[${i}].id`, message: `broker id "${b.id}" is used twice` });
    }
    brokerIds.add(b.id);
  });
  const tabIds = doc.flows ? new Set(doc.flows.map((f) => f.id)) : undefined;

  // Plain loops, and paths built only for a problem: this runs for every node of every
  // deploy, so a 4,000-node document must not cost 4,000 strings.
  const nodeIndex = new Map<string, number>();
  const defs: (NodeDefinition | undefined)[] = new Array<NodeDefinition | undefined>(doc.nodes.length);
  const nodes: FlowNode[] = new Array<FlowNode>(doc.nodes.length);
  for (let i = 0; i < doc.nodes.length; i++) {
    const node = doc.nodes[i]!;
    const nodeId = node.id;
    if (nodeIndex.has(nodeId)) {
      errors.push({ code: 'node.duplicate-id', nodeId, path: `nodes[${i}].id`, message: `node id "${nodeId}" is used twice` });
    } else {
      nodeIndex.set(nodeId, i);
    }
    if (tabIds && node.flow !== undefined && !tabIds.has(node.flow)) {
      errors.push({ code: 'node.unknown-flow', nodeId, path: `nodes[${i}].flow`, message: `flow tab "${node.flow}" does not exist` });
    }
    const check = checks[i]!;
    if (check.problems.length > 0 || check.unknownFields.length > 0) reportNodeCheck(check, nodeId, `nodes[${i}]`, errors, warnings);
    const parsed = check.node;
    const def = (defs[i] = definitions.get(node.type));
    nodes[i] = parsed ?? node;
    if (!parsed || !def) continue;
    const config = parsed.config;
    // A placeholder keeps an imported node that cannot run; deploying around it would silently
    // drop what it did, so it blocks the deploy until the user replaces or removes it.
    if (node.type === PLACEHOLDER_TYPE) {
      errors.push({ code: 'node.placeholder', nodeId, path: `nodes[${i}].type`, message: placeholderMessage(nodeId, config as PlaceholderConfig, node.name) });
    }
    for (const field of def.brokerFields ?? []) {
      const ref = config[field];
      if (typeof ref === 'string' && !brokerIds.has(ref)) {
        errors.push({
          code: 'config.unknown-broker',
          nodeId,
          path: `nodes[${i}].config.${field}`,
          message: `${field}: there is no broker "${ref}" in this document${brokerIds.size ? ` (brokers: ${[...brokerIds].join(', ')})` : ''}`,
        });
      }
    }
  }

  for (let i = 0; i < doc.edges.length; i++) {
    const edge = doc.edges[i]!;
    const sourceAt = nodeIndex.get(edge.source);
    const targetAt = nodeIndex.get(edge.target);
    const source = sourceAt === undefined ? undefined : defs[sourceAt];
    const target = targetAt === undefined ? undefined : defs[targetAt];
    if (sourceAt === undefined) {
      errors.push({
        code: 'edge.unknown-source',
        ...(targetAt !== undefined ? { nodeId: edge.target } : {}),
        path: `edges[${i}].source`,
        message: `edge from "${edge.source}": there is no such node`,
      });
    } else if (source && edge.sourcePort >= source.outputs && source.type !== PLACEHOLDER_TYPE) {
      // A placeholder keeps the wires of every output of the node it stands for; it is an
      // error of its own already, so its ports are not reported again.
      errors.push({
        code: 'edge.bad-port',
        nodeId: edge.source,
        path: `edges[${i}].sourcePort`,
        message: source.outputs === 0
          ? `${source.type} "${edge.source}" has no outputs, so no edge can start there`
          : `${source.type} "${edge.source}" has ${source.outputs} output(s); port ${edge.sourcePort} does not exist`,
      });
    }
    if (targetAt === undefined) {
      errors.push({
        code: 'edge.unknown-target',
        ...(sourceAt !== undefined ? { nodeId: edge.source } : {}),
        path: `edges[${i}].target`,
        message: `edge to "${edge.target}": there is no such node`,
      });
    } else if (target && target.inputs === 0) {
      errors.push({ code: 'edge.no-input', nodeId: edge.target, path: `edges[${i}].target`, message: `${target.type} "${edge.target}" has no input, so no edge can end there` });
    }
  }

  if (errors.length > 0) return { ok: false, errors, warnings };
  const document: FlowDocument = { ...doc, nodes };
  warnings.push(...documentWarnings(document, definitions));
  return { ok: true, document, errors, warnings };
}

/** The nodes of a document whose envelope failed that have no problem of their own, with their index. */
function soundNodes(input: unknown, issues: readonly z.core.$ZodIssue[]): [FlowNode, number][] {
  const raw = typeof input === 'object' && input !== null ? (input as { nodes?: unknown }).nodes : undefined;
  // When the list itself is wrong (not a list, or over the limit) that is the one problem to tell.
  if (!Array.isArray(raw) || issues.some((i) => i.path.length === 1 && i.path[0] === 'nodes')) return [];
  const broken = new Set(issues.filter((i) => i.path[0] === 'nodes').map((i) => i.path[1]));
  const out: [FlowNode, number][] = [];
  raw.forEach((item, i) => {
    if (broken.has(i)) return;
    const node = nodeEnvelopeSchema.safeParse(item);
    if (node.success) out.push([node.data, i]);
  });
  return out;
}

/** Turn an issue with the envelope into a problem, naming the node when the path is inside one. */
function issueProblem(issue: z.core.$ZodIssue, input: unknown): Problem {
  const path = dotted(issue.path);
  const [first, index] = issue.path;
  let nodeId: string | undefined;
  if (first === 'nodes' && typeof index === 'number') {
    const raw = (input as { nodes?: unknown[] }).nodes?.[index] as { id?: unknown } | undefined;
    if (raw && typeof raw.id === 'string') nodeId = raw.id;
  }
  let brokerId: string | undefined;
  if (first === 'brokers' && typeof index === 'number') {
    const raw = (input as { brokers?: unknown[] }).brokers?.[index] as { id?: unknown } | undefined;
    if (raw && typeof raw.id === 'string') brokerId = raw.id;
  }
  const message = path ? `${path}: ${issue.message}` : issue.message;
  return { code: 'document.invalid', path, message, ...(nodeId ? { nodeId } : {}), ...(brokerId ? { brokerId } : {}) };
}

/** `['nodes', 3, 'config', 'topic']` → `nodes[3].config.topic`. */
export function dotted(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out ? `.${String(key)}` : String(key);
  }
  return out;
}

function unknownFields(schema: z.ZodType, config: Record<string, unknown>): string[] {
  if (!(schema instanceof z.ZodObject)) return [];
  const known = new Set(Object.keys(schema.shape));
  return Object.keys(config).filter((k) => !known.has(k));
}

/** One line for a terminal: `error  th1  nodes[2].config.above: expected a number`. */
export function formatProblem(kind: 'error' | 'warning', problem: Problem): string {
  const who = problem.nodeId ? `node ${problem.nodeId}` : problem.brokerId ? `broker ${problem.brokerId}` : 'document';
  return `${kind}: ${who}: ${problem.message}${problem.path ? `  (at ${problem.path})` : ''}`;
}
