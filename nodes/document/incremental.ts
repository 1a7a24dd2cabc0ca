import type { NodeDefinition } from '../define-node.ts';
import type { Problem } from '../errors.ts';
import { definitionsByType } from '../registry.ts';
import { cloneJson, deepFreeze, equalJson } from './json-value.ts';
import { DOCUMENT_LIMITS, documentEnvelopeSchema, edgeSchema, nodeEnvelopeSchema, type Edge, type FlowDocument, type FlowNode } from './schema.ts';
import { checkDocument, checkNode, crossNodeFacts, nodeCheckWarnings, validateDocument, type NodeCheck, type ValidationResult } from './validate.ts';

/** The parts of the last valid document that its errors and warnings were computed from. */
interface LastValid {
  /** The document without nodes and edges (brokers, tabs, name), as JSON. */
  readonly shell: string;
  readonly nodes: readonly FlowNode[];
  readonly checks: readonly NodeCheck[];
  readonly edges: readonly Edge[];
  /** Its warnings other than the node checks' own. */
  readonly documentWarnings: readonly Problem[];
}

interface RememberedNode {
  /** A private copy of the node as it came in: what the next document's node is compared with. */
  readonly raw: unknown;
  /** Its check, the parsed node deep-frozen. */
  readonly check: NodeCheck;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/**
 * The fields an edge's parse depends on, as one string; undefined for anything unusual,
 * which is then parsed. The source's length goes first so that no two edges share a key.
 */
function edgeKey(raw: unknown): string | undefined {
  if (!isPlainObject(raw)) return undefined;
  const { source, target, sourcePort } = raw;
  if (typeof source !== 'string' || typeof target !== 'string') return undefined;
  if (sourcePort !== undefined && (typeof sourcePort !== 'number' || Object.is(sourcePort, -0))) return undefined;
  return `${sourcePort ?? ''}|${source.length}|${source}|${target}`;
}

/** True when parsing `raw` gives `edge`: the same source, target and port (absent is 0). */
function sameEdge(raw: unknown, edge: Edge): boolean {
  if (!isPlainObject(raw) || raw['source'] !== edge.source || raw['target'] !== edge.target) return false;
  const port = raw['sourcePort'];
  return Object.is(port === undefined ? 0 : port, edge.sourcePort);
}

/**
 * `validateDocument` that remembers the last valid document it checked, so a deploy that
 * changes one node of thousands parses and checks that node only. A node of the new
 * document whose JSON is equal (keys in the same order) to the last document's node at its
 * place, or else to the remembered node of its id, reuses that node's check; edges are
 * compared the same way (by place, then by their fields). The checks across nodes (ids,
 * broker references, edges) and the warnings are taken from the last document only when
 * nothing they read has changed (see crossNodeFacts), else computed for the whole document;
 * any error sends the document through `validateDocument` from scratch. So for JSON input
 * (what JSON.parse gives: every HTTP deploy and stored flow) the result is exactly what
 * `validateDocument` gives. The one difference: the nodes and edges of `document` are
 * deep-frozen and may be shared with earlier results.
 */
export class DocumentValidator {
  #nodes = new Map<string, RememberedNode>();
  #edges = new Map<string, Edge>();
  /** The last valid document's nodes (undefined for one not remembered) and edges, by place. */
  #lastEntries: readonly (RememberedNode | undefined)[] = [];
  #lastEdges: readonly Edge[] = [];
  #last: LastValid | undefined;

  constructor(private readonly definitions: ReadonlyMap<string, NodeDefinition> = definitionsByType) {}

  validate(input: unknown): ValidationResult {
    return this.#fromMemory(input) ?? validateDocument(input, this.definitions);
  }

  /** The result, or undefined whenever anything is wrong (the full validation then says what). */
  #fromMemory(input: unknown): ValidationResult | undefined {
    if (!isPlainObject(input)) return undefined;
    const rawNodes = input['nodes'];
    const rawEdges = input['edges'];
    if (!Array.isArray(rawNodes) || rawNodes.length > DOCUMENT_LIMITS.maxNodes) return undefined;
    if (rawEdges !== undefined && (!Array.isArray(rawEdges) || rawEdges.length > DOCUMENT_LIMITS.maxEdges)) return undefined;
    // Everything but the node and edge lists (a few brokers and tabs) goes through the schema as always.
    const shell = documentEnvelopeSchema.safeParse({ ...input, nodes: [], edges: rawEdges === undefined ? undefined : [] });
    if (!shell.success) return undefined;

    // Each node is compared first with the last document's node at its place (a deploy
    // rarely moves nodes), then with the remembered node of its id.
    const lastEntries = this.#lastEntries;
    let samePlaces = rawNodes.length === lastEntries.length;
    const entries: (RememberedNode | undefined)[] = new Array<RememberedNode | undefined>(rawNodes.length);
    const nodes: FlowNode[] = new Array<FlowNode>(rawNodes.length);
    const checks: NodeCheck[] = new Array<NodeCheck>(rawNodes.length);
    for (let i = 0; i < rawNodes.length; i++) {
      if (!(i in rawNodes)) return undefined;
      const raw: unknown = rawNodes[i];
      let entry = lastEntries[i];
      if (entry === undefined || !equalJson(raw, entry.raw)) {
        const id = isPlainObject(raw) ? raw['id'] : undefined;
        entry = typeof id === 'string' ? this.#nodes.get(id) : undefined;
        if (!entry || !equalJson(raw, entry.raw)) {
          entry = this.#check(raw);
          if (!entry) return undefined;
        }
        if (entry.check.node!.id !== lastEntries[i]?.check.node!.id) samePlaces = false;
      }
      // A node that is not plain JSON is checked every time, never remembered.
      entries[i] = entry.raw === undefined ? undefined : entry;
      nodes[i] = entry.check.node!;
      checks[i] = entry.check;
    }

    const edgeList = (rawEdges ?? []) as unknown[];
    const lastEdges = this.#lastEdges;
    let sameEdges = edgeList.length === lastEdges.length;
    const edges: Edge[] = new Array<Edge>(edgeList.length);
    for (let i = 0; i < edgeList.length; i++) {
      if (!(i in edgeList)) return undefined;
      const raw = edgeList[i];
      const previous = lastEdges[i];
      if (previous && sameEdge(raw, previous)) {
        edges[i] = previous;
        continue;
      }
      sameEdges = false;
      const key = edgeKey(raw);
      let edge = key === undefined ? undefined : this.#edges.get(key);
      if (!edge) {
        const parsed = edgeSchema.safeParse(raw);
        if (!parsed.success) return undefined;
        edge = Object.freeze(parsed.data);
      }
      edges[i] = edge;
    }

    // checkDocument reads only ids, types and tabs of doc.nodes, which the parsed nodes share
    // with their envelopes; nodes and edges keep their places among the document's keys.
    const doc: FlowDocument = { ...shell.data, nodes, edges };
    const shellJson = JSON.stringify(shell.data);
    let result = this.#sameAsLast(shellJson, doc, checks);
    if (!result) {
      result = checkDocument(doc, checks, this.definitions);
      if (!result.ok) return undefined;
      const own = checks.reduce((n, c) => n + c.unknownFields.length, 0);
      this.#last = { shell: shellJson, nodes, checks, edges, documentWarnings: result.warnings.slice(own) };
    } else {
      this.#last = { ...this.#last!, nodes, checks };
    }
    this.#remember(entries, samePlaces, edgeList, edges, sameEdges);
    return result;
  }

  /** Make a valid document's nodes and edges the memory, and only them (it must not grow without end). */
  #remember(entries: (RememberedNode | undefined)[], samePlaces: boolean, rawEdges: unknown[], edges: Edge[], sameEdges: boolean): void {
    if (samePlaces) {
      // The same ids at the same places: only the changed nodes' entries are new; the map
      // already holds every other one under its id.
      const last = this.#lastEntries;
      for (let i = 0; i < entries.length; i++) {
        const entry = entries[i];
        if (entry && entry !== last[i]) this.#nodes.set(entry.check.node!.id, entry);
      }
    } else {
      this.#nodes = new Map();
      for (const entry of entries) if (entry) this.#nodes.set(entry.check.node!.id, entry);
    }
    this.#lastEntries = entries;
    if (!sameEdges) {
      this.#edges = new Map();
      for (let i = 0; i < edges.length; i++) {
        const key = edgeKey(rawEdges[i]);
        if (key !== undefined) this.#edges.set(key, edges[i]!);
      }
    }
    this.#lastEdges = edges;
  }

  /**
   * The result without the checks across nodes, when they cannot differ from the last valid
   * document's: the same brokers, tabs and edges, and every node either the very node of the
   * last document at its place or one with the same cross-node facts (a changed threshold).
   */
  #sameAsLast(shell: string, doc: FlowDocument, checks: NodeCheck[]): ValidationResult | undefined {
    const { nodes, edges } = doc;
    const last = this.#last;
    if (!last || last.shell !== shell || last.nodes.length !== nodes.length || last.edges.length !== edges.length) return undefined;
    for (let i = 0; i < edges.length; i++) if (edges[i] !== last.edges[i]) return undefined;
    for (let i = 0; i < nodes.length; i++) {
      if (checks[i] === last.checks[i]) continue;
      if (crossNodeFacts(nodes[i]!, this.definitions) !== crossNodeFacts(last.nodes[i]!, this.definitions)) return undefined;
    }
    const warnings = [...nodeCheckWarnings(nodes, checks), ...last.documentWarnings];
    return { ok: true, document: doc, errors: [], warnings };
  }

  /** Check a node not seen before; undefined when it has any problem. */
  #check(raw: unknown): RememberedNode | undefined {
    const envelope = nodeEnvelopeSchema.safeParse(raw);
    if (!envelope.success) return undefined;
    const check = checkNode(envelope.data, this.definitions);
    if (!check.node) return undefined;
    // Private copies: what the caller does with its objects later cannot reach the memory.
    const copy = cloneJson(raw);
    const node = cloneJson(check.node) as FlowNode | undefined;
    if (copy === undefined || node === undefined) return { raw: undefined, check };
    return { raw: copy, check: deepFreeze({ node, problems: check.problems, unknownFields: check.unknownFields }) };
  }
}
