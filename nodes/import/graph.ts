import type { NrNode } from './node-red.ts';

/**
 * The wiring of a Node-RED export with its virtual wires resolved: `link out` → `link in`
 * pairs and junctions pass messages on untouched, so for every question a converter asks
 * ("what feeds this switch?", "where does this port go?") they are looked through.
 */

/** Node types that only pass messages on; they become plain edges. */
export const WIRE_TYPES = new Set(['link in', 'link out', 'junction']);

/** The resolved wiring of one export; nodes that do not run are left out of every answer. */
export class NrGraph {
  readonly byId: ReadonlyMap<string, NrNode>;
  private readonly preds = new Map<string, Set<string>>();
  private readonly succCache = new Map<string, readonly string[]>();

  constructor(
    nodes: readonly NrNode[],
    /** Nodes that do not run (disabled, or on a disabled tab): no message enters or leaves them. */
    private readonly inactive: ReadonlySet<string>,
  ) {
    this.byId = new Map(nodes.map((n) => [n.id, n]));
    for (const node of nodes) {
      if (WIRE_TYPES.has(node.type) || this.inactive.has(node.id)) continue;
      (node.wires ?? []).forEach((_, port) => {
        for (const target of this.successors(node.id, port)) {
          let set = this.preds.get(target);
          if (!set) this.preds.set(target, (set = new Set()));
          set.add(node.id);
        }
      });
    }
  }

  /** True when the node runs in Node-RED. */
  isActive(id: string): boolean {
    return this.byId.has(id) && !this.inactive.has(id);
  }

  /** The real nodes a message leaving `port` of `id` reaches, looking through links and junctions. */
  successors(id: string, port = 0): readonly string[] {
    const key = `${id}\u0000${port}`;
    const cached = this.succCache.get(key);
    if (cached) return cached;
    const out = new Set<string>();
    const seen = new Set<string>();
    const visit = (targets: readonly string[]): void => {
      for (const target of targets) {
        const node = this.byId.get(target);
        if (!node || seen.has(target) || this.inactive.has(target)) continue;
        seen.add(target);
        if (WIRE_TYPES.has(node.type)) visit(this.wireTargets(node));
        else out.add(target);
      }
    };
    visit(this.byId.get(id)?.wires?.[port] ?? []);
    const result = [...out];
    this.succCache.set(key, result);
    return result;
  }

  /** Every real node wired to any port of `id`. */
  allSuccessors(id: string): readonly string[] {
    const ports = this.byId.get(id)?.wires?.length ?? 0;
    const out = new Set<string>();
    for (let port = 0; port < ports; port++) for (const t of this.successors(id, port)) out.add(t);
    return [...out];
  }

  /** The real, running nodes that send to `id`. */
  predecessors(id: string): readonly string[] {
    return [...(this.preds.get(id) ?? [])];
  }

  /** Where the messages reaching `id` come from: its ancestors that nothing feeds. */
  origins(id: string): readonly NrNode[] {
    const out: NrNode[] = [];
    const seen = new Set<string>([id]);
    const queue = [...this.predecessors(id)];
    while (queue.length > 0) {
      const current = queue.shift()!;
      if (seen.has(current)) continue;
      seen.add(current);
      const preds = this.predecessors(current);
      if (preds.length === 0) out.push(this.byId.get(current)!);
      queue.push(...preds);
    }
    return out;
  }

  /** Every node upstream of `id`. */
  ancestors(id: string): readonly NrNode[] {
    const seen = new Set<string>();
    const queue = [...this.predecessors(id)];
    while (queue.length > 0) {
      const current = queue.shift()!;
      if (seen.has(current) || current === id) continue;
      seen.add(current);
      queue.push(...this.predecessors(current));
    }
    return [...seen].map((i) => this.byId.get(i)!);
  }

  /** Every node downstream of the given ports of `id` (the node itself only if a loop returns). */
  descendants(id: string, ports?: readonly number[]): ReadonlySet<string> {
    const seen = new Set<string>();
    const start = ports ? ports.flatMap((p) => this.successors(id, p)) : this.allSuccessors(id);
    const queue = [...start];
    while (queue.length > 0) {
      const current = queue.shift()!;
      if (seen.has(current)) continue;
      seen.add(current);
      queue.push(...this.allSuccessors(current));
    }
    return seen;
  }

  /** The raw targets of a wire-only node: a link out's link ins, or port 0 of a link in or junction. */
  private wireTargets(node: NrNode): readonly string[] {
    if (node.type === 'link out') {
      // "return" mode answers a link call; it has no fixed targets.
      if (node['mode'] === 'return') return [];
      const links = node['links'];
      return Array.isArray(links) ? links.filter((l): l is string => typeof l === 'string') : [];
    }
    return node.wires?.[0] ?? [];
  }
}
