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
  const errors: Problem[] = [];
  const warnings: Problem[] = [];
  if (!envelope.success) {
    errors.push(...envelope.error.issues.map((i) => issueProblem(i, input)));
    // A bad broker URL must not hide a bad topic: check the config of every node whose own
    // fields are sound. Cross-references (broker ids, edges) wait until the envelope is right.
    for (const [node, i] of soundNodes(input, envelope.error.issues)) {
      checkConfig(node, `nodes[${i}]`, definitions, errors, warnings);
    }
    return { ok: false, errors, warnings };
  }
  const doc = envelope.data;

  const brokerIds = new Set<string>();
  doc.brokers.forEach((b, i) => {
    if (brokerIds.has(b.id)) {
      errors.push({ code: 'broker.duplicate-id', brokerId: b.id, path: `brokers[${i}].id`, message: `broker id "${b.id}" is used twice` });
    }
    brokerIds.add(b.id);
  });
  const tabIds = doc.flows ? new Set(doc.flows.map((f) => f.id)) : undefined;

  const nodeIndex = new Map<string, number>();
  const nodes = doc.nodes.map((node, i) => {
    const at = `nodes[${i}]`;
    const nodeId = node.id;
    if (nodeIndex.has(nodeId)) {
      errors.push({ code: 'node.duplicate-id', nodeId, path: `${at}.id`, message: `node id "${nodeId}" is used twice` });
    } else {
      nodeIndex.set(nodeId, i);
    }
    if (tabIds && node.flow !== undefined && !tabIds.has(node.flow)) {
      errors.push({ code: 'node.unknown-flow', nodeId, path: `${at}.flow`, message: `flow tab "${node.flow}" does not exist` });
    }
    const config = checkConfig(node, at, definitions, errors, warnings);
    const def = definitions.get(node.type);
    if (!config || !def) return node;
    // A placeholder keeps an imported node that cannot run; deploying around it would silently
    // drop what it did, so it blocks the deploy until the user replaces or removes it.
    if (node.type === PLACEHOLDER_TYPE) {
      errors.push({ code: 'node.placeholder', nodeId, path: `${at}.type`, message: placeholderMessage(nodeId, config as PlaceholderConfig, node.name) });
    }
    for (const field of def.brokerFields ?? []) {
      const ref = config[field];
      if (typeof ref === 'string' && !brokerIds.has(ref)) {
        errors.push({
          code: 'config.unknown-broker',
          nodeId,
          path: `${at}.config.${field}`,
          message: `${field}: there is no broker "${ref}" in this document${brokerIds.size ? ` (brokers: ${[...brokerIds].join(', ')})` : ''}`,
        });
      }
    }
    return { ...node, config };
  });

  doc.edges.forEach((edge, i) => {
    const at = `edges[${i}]`;
    const source = nodeIndex.has(edge.source) ? definitions.get(doc.nodes[nodeIndex.get(edge.source)!]!.type) : undefined;
    const target = nodeIndex.has(edge.target) ? definitions.get(doc.nodes[nodeIndex.get(edge.target)!]!.type) : undefined;
    if (!nodeIndex.has(edge.source)) {
      errors.push({
        code: 'edge.unknown-source',
        ...(nodeIndex.has(edge.target) ? { nodeId: edge.target } : {}),
        path: `${at}.source`,
        message: `edge from "${edge.source}": there is no such node`,
      });
    } else if (source && edge.sourcePort >= source.outputs && source.type !== PLACEHOLDER_TYPE) {
      // A placeholder keeps the wires of every output of the node it stands for; it is an
      // error of its own already, so its ports are not reported again.
      errors.push({
        code: 'edge.bad-port',
        nodeId: edge.source,
        path: `${at}.sourcePort`,
        message: source.outputs === 0
          ? `${source.type} "${edge.source}" has no outputs, so no edge can start there`
          : `${source.type} "${edge.source}" has ${source.outputs} output(s); port ${edge.sourcePort} does not exist`,
      });
    }
    if (!nodeIndex.has(edge.target)) {
      errors.push({
        code: 'edge.unknown-target',
        ...(nodeIndex.has(edge.source) ? { nodeId: edge.source } : {}),
        path: `${at}.target`,
        message: `edge to "${edge.target}": there is no such node`,
      });
    } else if (target && target.inputs === 0) {
      errors.push({ code: 'edge.no-input', nodeId: edge.target, path: `${at}.target`, message: `${target.type} "${edge.target}" has no input, so no edge can end there` });
    }
  });

  if (errors.length > 0) return { ok: false, errors, warnings };
  const document: FlowDocument = { ...doc, nodes };
  warnings.push(...documentWarnings(document, definitions));
  return { ok: true, document, errors, warnings };
}

/**
 * Parse a node's config with its type's schema, pushing an error for an unknown type or each
 * bad field and a warning for each unknown field. Returns the parsed config, defaults filled in.
 */
function checkConfig(
  node: FlowNode,
  at: string,
  definitions: ReadonlyMap<string, NodeDefinition>,
  errors: Problem[],
  warnings: Problem[],
): Record<string, unknown> | undefined {
  const nodeId = node.id;
  const def = definitions.get(node.type);
  if (!def) {
    errors.push({
      code: 'node.unknown-type',
      nodeId,
      path: `${at}.type`,
      message: `unknown node type "${node.type}"; known types: ${[...definitions.keys()].join(', ')}`,
    });
    return undefined;
  }
  const parsed = def.config.safeParse(node.config);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = dotted(issue.path);
      errors.push({
        code: 'config.invalid',
        nodeId,
        path: `${at}.config${field ? `.${field}` : ''}`,
        message: `${field || 'config'}: ${issue.message}`,
      });
    }
    return undefined;
  }
  for (const field of unknownFields(def.config, node.config)) {
    warnings.push({ code: 'config.unknown-field', nodeId, path: `${at}.config.${field}`, message: `"${field}" is not a field of ${def.type}; it is ignored` });
  }
  return parsed.data as Record<string, unknown>;
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
