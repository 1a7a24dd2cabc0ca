/**
 * Node state that should survive a restart (a threshold's per-topic ON/OFF, say), kept in
 * `<dataDir>/node-state.json` as `{ v: 1, savedAt, nodes: { <nodeId>: { hash, state } } }`.
 * `hash` is the node's config hash at save time: the engine restores a state only into a
 * node whose config is unchanged, since a state from another config may mean nothing.
 * Losing this file costs little (nodes start fresh), so a damaged one is set aside with a
 * warning rather than stopping the start.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { ensureError } from '../../nodes/errors.ts';
import { readJsonFile, setAside, writeFileAtomic } from './atomic-file.ts';

/** The saved state of one node and the config hash it belongs to. */
export interface NodeStateEntry {
  readonly hash: string;
  readonly state: unknown;
}

export type NodeStates = Record<string, NodeStateEntry>;

export interface StateStoreOptions {
  /** Where a damaged file or an unsaveable state is reported (default: stderr). */
  readonly warn?: (line: string) => void;
}

function isEntry(value: unknown): value is NodeStateEntry {
  return typeof value === 'object' && value !== null && typeof (value as { hash?: unknown }).hash === 'string' && 'state' in value;
}

export class StateStore {
  readonly #file: string;
  readonly #warn: (line: string) => void;
  /** The `nodes` object as JSON text, as last read or written: load() parses a fresh copy. */
  #nodesText = '{}';
  #queue: Promise<unknown> = Promise.resolve();

  private constructor(file: string, warn: (line: string) => void) {
    this.#file = file;
    this.#warn = warn;
  }

  /**
   * Opens the node state of a data folder and reads it. No file yet (a first start) is
   * an empty state; a damaged file is kept as `node-state.json.corrupt-<time>` with a warning.
   */
  static async open(dataDir: string, options: StateStoreOptions = {}): Promise<StateStore> {
    await mkdir(dataDir, { recursive: true, mode: 0o700 });
    const warn = options.warn ?? ((line: string) => void process.stderr.write(`warn  ${line}\n`));
    const store = new StateStore(join(dataDir, 'node-state.json'), warn);
    await store.#read();
    return store;
  }

  /** The saved states by node id, as of open or the last save; a fresh copy each call. */
  load(): NodeStates {
    return JSON.parse(this.#nodesText) as NodeStates;
  }

  /**
   * Writes the states atomically, one save at a time. A node whose state is not plain
   * JSON is left out with a warning, so one odd node cannot cost every other its state;
   * a state of `undefined` means nothing to keep. Skips the disk write when nothing
   * changed, which spares the SD card of a Raspberry Pi saving every minute.
   */
  save(states: NodeStates): Promise<void> {
    const run = this.#queue.then(() => this.#save(states));
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async #save(states: NodeStates): Promise<void> {
    const parts: string[] = [];
    for (const [id, entry] of Object.entries(states)) {
      let stateText: string | undefined;
      try {
        stateText = JSON.stringify(entry.state);
      } catch (error) {
        this.#warn(`node ${id}: state not saved, it is not plain JSON: ${ensureError(error).message}`);
        continue;
      }
      if (stateText === undefined) continue;
      parts.push(`${JSON.stringify(id)}:{"hash":${JSON.stringify(String(entry.hash))},"state":${stateText}}`);
    }
    const nodesText = `{${parts.join(',')}}`;
    if (nodesText === this.#nodesText) return;
    await writeFileAtomic(this.#file, `{"v":1,"savedAt":${JSON.stringify(new Date().toISOString())},"nodes":${nodesText}}\n`);
    this.#nodesText = nodesText;
  }

  async #read(): Promise<void> {
    const read = await readJsonFile(this.#file);
    if (!read.ok && read.reason === 'missing') return;
    const nodes = read.ok ? (read.value as { nodes?: unknown } | null)?.nodes : undefined;
    if (typeof nodes !== 'object' || nodes === null || Array.isArray(nodes)) {
      const why = read.ok ? 'it is not a node state file' : read.error.message;
      const aside = await setAside(this.#file);
      this.#warn(`cannot use the saved node state ${this.#file} (${why}); nodes start fresh; the file is ${aside}`);
      return;
    }
    const kept: Record<string, NodeStateEntry> = {};
    const dropped: string[] = [];
    for (const [id, entry] of Object.entries(nodes)) {
      if (!isEntry(entry)) {
        dropped.push(id);
        continue;
      }
      const value = { hash: entry.hash, state: entry.state };
      // defineProperty: a node id of "__proto__" must become a key, not a prototype.
      Object.defineProperty(kept, id, { value, enumerable: true, writable: true, configurable: true });
    }
    if (dropped.length > 0) this.#warn(`saved node state: ignoring damaged entries of node(s) ${dropped.join(', ')}`);
    this.#nodesText = JSON.stringify(kept);
  }
}
