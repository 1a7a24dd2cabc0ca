import type { BrokerEntryInput } from '../broker.ts';
import { PLACEHOLDER_TYPE } from '../placeholder/definition.ts';
import type { NrGraph } from './graph.ts';
import type { NrNode } from './node-red.ts';
import type { NodeReport, Outcome } from './report.ts';

/** A node of the document being built. */
export interface TfNode {
  id: string;
  type: string;
  name?: string;
  flow?: string;
  position?: { x: number; y: number };
  config: Record<string, unknown>;
}

/**
 * What one Node-RED node became, for wiring: the topicflow nodes a message entering it goes
 * to, and per output port the nodes whose output carries that port's messages. `through`
 * nodes (links, a change node with nothing left to do) pass messages on unchanged.
 */
export type Fragment =
  | {
      readonly kind: 'nodes';
      readonly entry: readonly string[];
      readonly exits: readonly (readonly string[])[];
      /** The output port each Node-RED port leaves from (default 0; a placeholder keeps them all). */
      readonly exitPorts?: readonly number[];
    }
  | { readonly kind: 'through' };

/** A secret found on a config node, keyed by the broker entry it belongs to. */
export interface FoundSecret {
  brokerId: string;
  password?: string;
  passphrase?: string;
}

const ID = /^[A-Za-z0-9_.:-]{1,64}$/;

/** Everything built while converting one export; converters add to it through a {@link Scope}. */
export class ConvertContext {
  readonly nodes: TfNode[] = [];
  readonly brokers: BrokerEntryInput[] = [];
  readonly flows: { id: string; label: string; description?: string }[] = [];
  readonly reports = new Map<string, NodeReport>();
  readonly fragments = new Map<string, Fragment>();
  readonly notes = new Set<string>();
  readonly warnings: string[] = [];
  readonly secrets: FoundSecret[] = [];
  /** Edges between the nodes one Node-RED node became (e.g. inject → its timestamp transform). */
  readonly edges: { source: string; target: string }[] = [];
  /** Node-RED broker config id → broker entry id, for the brokers actually used. */
  readonly brokerIds = new Map<string, string>();
  /** Nodes downstream of a converted filter: unmatched messages reach them as "unavailable". */
  filtered: ReadonlySet<string> = new Set();
  private readonly ids = new Set<string>();

  constructor(
    readonly graph: NrGraph,
    /** Tab id → label, for the tabs that became flow tabs. */
    readonly tabs: ReadonlyMap<string, string>,
  ) {}

  /** A document id based on `base`, valid and not yet used. */
  newId(base: string): string {
    let clean = base.replace(/[^A-Za-z0-9_.:-]/g, '_').slice(0, 56) || 'node';
    if (!ID.test(clean)) clean = 'node';
    let id = clean;
    for (let n = 2; this.ids.has(id); n++) id = `${clean}-${n}`;
    this.ids.add(id);
    return id;
  }

  scope(node: NrNode): Scope {
    return new Scope(this, node);
  }
}

/** Options for a node a converter adds: its id suffix and where it sits relative to the original. */
export interface AddOptions {
  readonly suffix?: string;
  readonly name?: string;
  readonly dx?: number;
  readonly dy?: number;
}

/** One Node-RED node being converted: collects its nodes, differences and outcome. */
export class Scope {
  readonly differences: string[] = [];
  readonly added: string[] = [];
  private finished = false;

  constructor(
    readonly cx: ConvertContext,
    readonly node: NrNode,
  ) {}

  /** State a way the conversion behaves differently from Node-RED. */
  differ(text: string): void {
    if (!this.differences.includes(text)) this.differences.push(text);
  }

  /** Add a topicflow node standing for (part of) this Node-RED node; returns its id. */
  add(type: string, config: Record<string, unknown>, options: AddOptions = {}): string {
    const base = options.suffix ? `${this.node.id}-${options.suffix}` : this.node.id;
    const id = this.cx.newId(base);
    const name = options.name ?? this.node.name;
    const tab = typeof this.node.z === 'string' && this.cx.tabs.has(this.node.z) ? this.node.z : undefined;
    const { x, y } = this.node;
    this.cx.nodes.push({
      id,
      type,
      ...(name ? { name: name.slice(0, 200) } : {}),
      ...(tab ? { flow: tab } : {}),
      ...(typeof x === 'number' && typeof y === 'number' ? { position: { x: x + (options.dx ?? 0), y: y + (options.dy ?? 0) } } : {}),
      config,
    });
    this.added.push(id);
    return id;
  }

  /** Wire two of the nodes this Node-RED node became. */
  wire(source: string, target: string): void {
    this.cx.edges.push({ source, target });
  }

  /** Finish: record how messages flow through what was added, and the report line. */
  done(fragment: Fragment, message: string, extra: Partial<NodeReport> = {}): void {
    this.record(this.differences.length > 0 ? 'changed' : 'converted', fragment, message, extra);
  }

  /**
   * Finish as unsupported: a placeholder keeps the original node (every property) in the
   * document, wired where it was, and blocks deploying until the user deals with it.
   */
  unsupported(reason: string, extra: Partial<NodeReport> = {}): void {
    const { wires: _wires, ...rest } = this.node;
    const original = JSON.parse(JSON.stringify(rest)) as Record<string, unknown>;
    const config: Record<string, unknown> = { nodeRedType: this.node.type, reason: reason.slice(0, 2000), original };
    if (extra.suggestion) config['suggestion'] = extra.suggestion;
    const id = this.add(PLACEHOLDER_TYPE, config, { name: this.node.name || this.node.type });
    // Every output keeps its wires, so the canvas shows where each one went; a placeholder
    // never deploys, so its ports only have to be right once it is replaced.
    const ports = Math.max(1, this.node.wires?.length ?? 0);
    const exits = Array.from({ length: ports }, () => [id]);
    const exitPorts = Array.from({ length: ports }, (_, port) => port);
    this.record('unsupported', { kind: 'nodes', entry: [id], exits, exitPorts }, `kept as placeholder ${id}: ${reason}`, { reason, ...extra });
  }

  /** Finish with nothing added: the node is only listed (config nodes, comments, disabled nodes). */
  listed(outcome: Outcome, message: string, extra: Partial<NodeReport> = {}): void {
    this.record(outcome, { kind: 'nodes', entry: [], exits: [] }, message, extra);
  }

  private record(outcome: Outcome, fragment: Fragment, message: string, extra: Partial<NodeReport>): void {
    if (this.finished) throw new Error(`node ${this.node.id} converted twice`);
    this.finished = true;
    this.cx.fragments.set(this.node.id, fragment);
    const tab = this.node.z ? this.cx.tabs.get(this.node.z) : undefined;
    this.cx.reports.set(this.node.id, {
      id: this.node.id,
      type: this.node.type,
      ...(this.node.name ? { name: this.node.name } : {}),
      ...(tab !== undefined ? { tab } : {}),
      outcome,
      becomes: [...this.added],
      differences: [...this.differences],
      ...extra,
      message: extra.message ?? message,
    });
  }
}
