/**
 * The document an export writes: the flow, or the selected nodes with what they need. Pure.
 * Documents never hold secrets, but a file leaves the house, so any `password`/`passphrase`
 * key and any password inside a broker URL are stripped again here, defensively.
 */
import { definitionsByType } from '../../../nodes/registry.ts';
import type { EditorDocument } from '../store/document.ts';

const SECRET_KEYS = new Set(['password', 'passphrase']);

/** A deep copy of `value` without secret keys (at any depth). */
export function stripSecrets<T>(value: T): T {
  if (Array.isArray(value)) return value.map((v: unknown) => stripSecrets(v)) as T;
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (SECRET_KEYS.has(key.toLowerCase())) continue;
    out[key] = stripSecrets(v);
  }
  return out as T;
}

function urlWithoutPassword(text: string): string {
  try {
    const url = new URL(text);
    if (!url.password) return text;
    url.password = '';
    return url.toString();
  } catch {
    return text;
  }
}

/**
 * The document to write: the whole of `doc`, or only the nodes in `selection` with the edges
 * between them and the brokers they use. Secrets stripped.
 */
export function exportDocument(doc: EditorDocument, selection?: ReadonlySet<string>): EditorDocument {
  let { nodes, edges, brokers, flows } = doc;
  if (selection) {
    nodes = nodes.filter((n) => selection.has(n.id));
    edges = edges.filter((e) => selection.has(e.source) && selection.has(e.target));
    const used = new Set<unknown>();
    for (const n of nodes) for (const field of definitionsByType.get(n.type)?.brokerFields ?? []) used.add(n.config[field]);
    brokers = brokers.filter((b) => used.has(b.id));
    if (flows) {
      const tabs = new Set(nodes.map((n) => n.flow));
      flows = flows.filter((f) => tabs.has(f.id));
    }
  }
  const out: EditorDocument = { ...doc, brokers: brokers.map((b) => ({ ...b, url: urlWithoutPassword(b.url) })), nodes, edges };
  if (flows) out.flows = flows;
  return stripSecrets(out);
}

/** A file name from the flow's name: `Fans follow temperature` → `fans-follow-temperature.topicflow.json`. */
export function exportFileName(name: string | undefined, selectionOnly = false): string {
  const stem = (name ?? '').toLowerCase().normalize('NFKD').replace(/\p{M}+/gu, '').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60) || 'flow';
  return `${stem}${selectionOnly ? '-selection' : ''}.topicflow.json`;
}
