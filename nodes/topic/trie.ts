import { splitSharedSubscription, validateTopicFilter } from './filter.ts';

/**
 * One level of the trie. Wildcard children live apart from literal ones so that a topic
 * level such as a literal `+` can never be mistaken for the wildcard.
 */
interface TrieNode<T> {
  literals: Map<string, TrieNode<T>> | undefined;
  /**
   * The child when `literals` holds exactly one, which most levels do: the walk then compares
   * the topic level in place instead of cutting it out as a string to look up.
   */
  sole: TrieNode<T> | undefined;
  plus: TrieNode<T> | undefined;
  hash: TrieNode<T> | undefined;
  /**
   * Replaced, never mutated (copy on write): a walk that is reporting these values while its
   * callback adds or removes subscriptions keeps a consistent snapshot.
   */
  values: readonly T[];
  /** The filter this node stands for, kept so a match can report it without rebuilding it. */
  readonly filter: string;
  readonly parent: TrieNode<T> | undefined;
  /** The level this node hangs under in its parent: the literal text, or `+` / `#`. */
  readonly key: string;
}

/** Marks "the topic has no more levels" in the walk; 0..length are real level starts. */
const END = -1;

/**
 * Values stored under plain MQTT filters, found by topic in time that depends on the topic
 * and on the filters that share its levels, never on how many unrelated filters are stored.
 * This is the engine's dispatch table: 1,000 rules must cost like 1.
 */
export class TopicTrie<T> {
  private readonly root: TrieNode<T> = newNode<T>(undefined, '', '');
  private count = 0;

  /** How many (filter, value) entries are stored; a value added twice counts twice. */
  get size(): number {
    return this.count;
  }

  /**
   * Store `value` under `filter`, after the values already there (insertion order is the
   * report order). Adding the same value twice stores it twice, so subscriptions can be
   * counted. Throws on an invalid filter and on a `$share/…` one: store its inner filter,
   * since the broker delivers shared messages on their real topics.
   */
  add(filter: string, value: T): void {
    const error = validateTopicFilter(filter);
    if (error) throw new Error(error);
    if (splitSharedSubscription(filter)) {
      throw new Error(`Store the filter of a shared subscription without its "$share/<group>/" prefix: ${JSON.stringify(filter)}`);
    }
    let node = this.root;
    let start = 0;
    for (const level of filter.split('/')) {
      const end = start + level.length;
      node = childFor(node, level, filter.slice(0, end));
      start = end + 1;
    }
    node.values = [...node.values, value];
    this.count++;
  }

  /**
   * Remove one occurrence of `value` (compared with `===`) from `filter`; false when it was
   * not there. Levels left empty are pruned so removed filters cost nothing later.
   */
  remove(filter: string, value: T): boolean {
    if (validateTopicFilter(filter) !== undefined) return false;
    let node: TrieNode<T> | undefined = this.root;
    for (const level of filter.split('/')) {
      node = level === '+' ? node.plus : level === '#' ? node.hash : node.literals?.get(level);
      if (!node) return false;
    }
    const index = node.values.indexOf(value);
    if (index < 0) return false;
    node.values = [...node.values.slice(0, index), ...node.values.slice(index + 1)];
    this.count--;
    prune(node);
    return true;
  }

  /**
   * Call `fn(value, filter)` for each value under each filter matching `topic`, values of a
   * filter in insertion order. A value stored under two matching filters is reported once per
   * filter. Allocates only the topic's level strings where a level has literal children.
   * Changes `fn` makes to the trie may or may not be seen by this walk; they never break it.
   * `topic` must be a valid topic name (as received from a broker).
   */
  forEachMatch(topic: string, fn: (value: T, filter: string) => void): void {
    // MQTT: a topic starting with `$` ($SYS/…) is not matched by `+` or `#` at the first level.
    const system = topic.charCodeAt(0) === 0x24;
    walk(this.root, topic, 0, fn, system);
  }

  /** The values under every filter matching `topic` (see forEachMatch for the order). */
  match(topic: string): T[] {
    const found: T[] = [];
    this.forEachMatch(topic, (value) => {
      found.push(value);
    });
    return found;
  }

  /** The distinct filters holding at least one value, in no promised order. */
  filters(): string[] {
    const out: string[] = [];
    const stack: TrieNode<T>[] = [this.root];
    for (let node = stack.pop(); node; node = stack.pop()) {
      if (node.values.length > 0) out.push(node.filter);
      if (node.hash) stack.push(node.hash);
      if (node.plus) stack.push(node.plus);
      if (node.literals) for (const child of node.literals.values()) stack.push(child);
    }
    return out;
  }
}

/**
 * Report the values of every filter below `node` that matches the rest of `topic`, whose
 * current level starts at `start` (END once every level is consumed). Recursion depth is the
 * number of topic levels; the branching is only where the trie has both a literal and a `+`.
 */
function walk<T>(node: TrieNode<T>, topic: string, start: number, fn: (value: T, filter: string) => void, system: boolean): void {
  // `#` also matches the parent level (`a/#` matches `a`), so it is reported before the END check.
  if (node.hash && !system) report(node.hash, fn);
  if (start === END) {
    report(node, fn);
    return;
  }
  const slash = topic.indexOf('/', start);
  const next = slash < 0 ? END : slash + 1;
  const sole = node.sole;
  if (sole) {
    const key = sole.key;
    if ((slash < 0 ? topic.length : slash) - start === key.length && topic.startsWith(key, start)) walk(sole, topic, next, fn, false);
  } else if (node.literals) {
    const child = node.literals.get(topic.slice(start, slash < 0 ? topic.length : slash));
    if (child) walk(child, topic, next, fn, false);
  }
  if (node.plus && !system) walk(node.plus, topic, next, fn, false);
}

function report<T>(node: TrieNode<T>, fn: (value: T, filter: string) => void): void {
  const values = node.values;
  for (let i = 0; i < values.length; i++) fn(values[i]!, node.filter);
}

function childFor<T>(node: TrieNode<T>, level: string, filter: string): TrieNode<T> {
  if (level === '+') return (node.plus ??= newNode(node, level, filter));
  if (level === '#') return (node.hash ??= newNode(node, level, filter));
  node.literals ??= new Map();
  let child = node.literals.get(level);
  if (!child) {
    child = newNode(node, level, filter);
    node.literals.set(level, child);
    node.sole = soleChild(node.literals);
  }
  return child;
}

function soleChild<T>(literals: Map<string, TrieNode<T>> | undefined): TrieNode<T> | undefined {
  return literals?.size === 1 ? literals.values().next().value : undefined;
}

/** Detach nodes that hold nothing, walking up while parents become empty too. */
function prune<T>(start: TrieNode<T>): void {
  let node: TrieNode<T> | undefined = start;
  while (node?.parent && isEmpty(node)) {
    const parent: TrieNode<T> = node.parent;
    if (parent.plus === node) parent.plus = undefined;
    else if (parent.hash === node) parent.hash = undefined;
    else {
      parent.literals?.delete(node.key);
      if (parent.literals?.size === 0) parent.literals = undefined;
      parent.sole = soleChild(parent.literals);
    }
    node = parent;
  }
}

function isEmpty<T>(node: TrieNode<T>): boolean {
  return node.values.length === 0 && !node.plus && !node.hash && !node.literals;
}

function newNode<T>(parent: TrieNode<T> | undefined, key: string, filter: string): TrieNode<T> {
  return { literals: undefined, sole: undefined, plus: undefined, hash: undefined, values: [], filter, parent, key };
}
