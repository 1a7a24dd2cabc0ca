/**
 * The shape of a Node-RED export, as far as the converter relies on it. Node-RED writes a
 * flat list of nodes — tabs, config nodes (brokers) and flow nodes alike — either as a plain
 * array (the editor's Export) or as `{ flows, rev }` (its admin API, `GET /flows` v2).
 */

/** One node of a Node-RED export. Every other property is read by the converter of its type. */
export interface NrNode {
  readonly id: string;
  readonly type: string;
  /** The tab (or subflow) the node is on; absent or empty for global config nodes. */
  readonly z?: string;
  readonly name?: string;
  readonly x?: number;
  readonly y?: number;
  /** Per output port, the ids of the nodes wired to it. Config nodes have none. */
  readonly wires?: readonly (readonly string[])[];
  /** Disabled in the editor: Node-RED does not run it. */
  readonly d?: boolean;
  readonly [property: string]: unknown;
}

/** A parsed export, or why the input is not one. */
export type NrExportResult = { readonly ok: true; readonly nodes: readonly NrNode[] } | { readonly ok: false; readonly error: string };

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Most nodes an export may hold; far beyond any home, small enough to convert at once. */
export const MAX_EXPORT_NODES = 10_000;

/**
 * Read a Node-RED export: a plain array of nodes or `{ flows: [...], rev }`. Each entry must
 * be an object with a text `id` and `type`; anything else is refused with the entry's position,
 * because guessing at a damaged export would import something other than what was shared.
 */
export function parseNodeRedExport(input: unknown): NrExportResult {
  const list = Array.isArray(input) ? input : isRecord(input) && Array.isArray(input['flows']) ? input['flows'] : undefined;
  if (!list) return { ok: false, error: 'a Node-RED export is a list of nodes, or { "flows": [...], "rev": "…" }' };
  if (list.length > MAX_EXPORT_NODES) return { ok: false, error: `the export holds ${list.length} nodes; at most ${MAX_EXPORT_NODES} can be imported at once` };
  const seen = new Set<string>();
  for (const [i, item] of list.entries()) {
    if (!isRecord(item) || typeof item['id'] !== 'string' || item['id'] === '' || typeof item['type'] !== 'string' || item['type'] === '') {
      return { ok: false, error: `entry ${i + 1} of the export is not a Node-RED node (it needs a text "id" and "type")` };
    }
    if (seen.has(item['id'])) return { ok: false, error: `node id "${item['id']}" appears twice in the export` };
    seen.add(item['id']);
    if (item['wires'] !== undefined && !isWireList(item['wires'])) {
      return { ok: false, error: `node "${item['id']}" has "wires" that are not a list of lists of node ids` };
    }
  }
  return { ok: true, nodes: list as NrNode[] };
}

function isWireList(value: unknown): boolean {
  return Array.isArray(value) && value.every((port) => Array.isArray(port) && port.every((id) => typeof id === 'string'));
}

/** True when the input looks like a Node-RED export rather than a topicflow document. */
export function looksLikeNodeRed(input: unknown): boolean {
  const list = Array.isArray(input) ? input : isRecord(input) && Array.isArray(input['flows']) && !('format' in input) ? input['flows'] : undefined;
  return list !== undefined && list.every((n) => isRecord(n) && typeof n['type'] === 'string');
}

/** A text property of a node, or `fallback` when it is absent or not text. */
export function text(node: NrNode, key: string, fallback = ''): string {
  const value = node[key];
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return fallback;
}

/** Node-RED stores many flags as `true`/`false` or as the text "true"/"false". */
export function flag(node: NrNode, key: string, fallback = false): boolean {
  const value = node[key];
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  return fallback;
}
