import { splitSharedSubscription, validateTopicFilter } from './filter.ts';

/**
 * Choosing what to SUBSCRIBE to. Some brokers (aedes among them; MQTT 5 allows it) send one
 * copy of a message per matching subscription of a client. If the engine subscribed to every
 * mqtt-in filter as written, `home/+/temperature` and `home/kitchen/#` would both deliver
 * `home/kitchen/temperature` and the rule would fire twice. So the filters sent to the broker
 * are chosen to never overlap, and the trie dispatches each message to the exact filters.
 */

/**
 * True when every topic matching `b` also matches `a` (`a` covers `b`): `home/#` covers
 * `home/+/temperature` and `home`; `#` does not cover `$SYS/x`. Both must be valid plain
 * filters (not `$share/…`); throws an Error otherwise, since that is the caller's bug.
 */
export function filterCovers(a: string, b: string): boolean {
  return covers(levelsOf(a), levelsOf(b));
}

/**
 * True when some topic matches both `a` and `b` (`home/+/temperature` and `home/kitchen/#`
 * share `home/kitchen/temperature`). Both must be valid plain filters; throws otherwise.
 */
export function filtersOverlap(a: string, b: string): boolean {
  return overlap(levelsOf(a), levelsOf(b));
}

/**
 * For each distinct input filter, the broker filter to subscribe to instead, chosen so that
 * no two broker filters can match the same topic: each message then arrives once, whatever
 * the broker does with overlapping subscriptions. A filter covered by another maps to it;
 * two that overlap are replaced by the least general filter covering both, level by level
 * (`home/+/temperature` + `home/kitchen/#` → `home/+/#`), until nothing overlaps. The result
 * does not depend on the input order, and a broker filter may match topics no input wants
 * (dispatch through the trie drops them). Map keys keep input order. The caller picks the QoS
 * per broker filter (the highest among the filters it covers) and handles `$share/…` filters
 * itself; passing one, or an invalid filter, throws an Error.
 */
export function coverFilters(filters: Iterable<string>): Map<string, string> {
  interface Group {
    levels: readonly string[];
    members: string[];
  }
  const groups: Group[] = [];
  const seen = new Set<string>();
  for (const filter of filters) {
    if (seen.has(filter)) continue;
    seen.add(filter);
    let current: Group = { levels: levelsOf(filter), members: [filter] };
    // Merge with every group it overlaps. A merge can make the joined filter overlap a group
    // that neither part overlapped, so scan again from the start after each one. The groups
    // already in the list never overlap each other, so only the newcomer needs checking.
    for (let i = 0; i < groups.length; ) {
      const other = groups[i]!;
      if (!overlap(other.levels, current.levels)) {
        i++;
        continue;
      }
      current = { levels: join(other.levels, current.levels), members: [...other.members, ...current.members] };
      groups.splice(i, 1);
      i = 0;
    }
    groups.push(current);
  }
  const byMember = new Map<string, string>();
  for (const group of groups) {
    const broker = group.levels.join('/');
    for (const member of group.members) byMember.set(member, broker);
  }
  // Rebuild in input order: a stable order keeps deploy diffs and logs readable.
  const out = new Map<string, string>();
  for (const filter of seen) out.set(filter, byMember.get(filter)!);
  return out;
}

function levelsOf(filter: string): readonly string[] {
  const error = validateTopicFilter(filter);
  if (error) throw new Error(error);
  if (splitSharedSubscription(filter)) {
    throw new Error(`Shared subscriptions are subscribed as they are, not covered: ${JSON.stringify(filter)}`);
  }
  return filter.split('/');
}

/** Wildcard first level: such a filter never matches a topic starting with `$`. */
function wildFirst(levels: readonly string[]): boolean {
  return levels[0] === '+' || levels[0] === '#';
}

/** Literal first level starting with `$`: such a filter only matches topics starting with `$`. */
function systemFirst(levels: readonly string[]): boolean {
  return levels[0]!.startsWith('$');
}

function covers(a: readonly string[], b: readonly string[]): boolean {
  // `b` always matches some `$…` topic here, and `a` never does.
  if (wildFirst(a) && systemFirst(b)) return false;
  for (let i = 0; i < a.length; i++) {
    const level = a[i]!;
    if (level === '#') return true;
    // `b` ended (its topics have exactly i levels) but `a` needs more.
    if (i >= b.length) return false;
    const other = b[i]!;
    // `b`'s `#` takes one or more levels, which `+/#` takes too, and sometimes none, which
    // no `+` can: then `a` misses the parent topic.
    if (other === '#') return level === '+' && a[i + 1] === '#' && !hashTakesNone(b, i);
    if (level !== '+' && level !== other) return false;
  }
  return a.length === b.length;
}

/**
 * Whether the `#` at level `i` of `levels` can match no level at all (`a/#` matches `a`).
 * It cannot when that would leave the empty topic, which is not a topic: `#` alone, and `/#`
 * (whose parent would be the single empty level). So `#` ≡ `+/#` and `/#` ≡ `/+/#`.
 */
function hashTakesNone(levels: readonly string[], i: number): boolean {
  return i >= 2 || (i === 1 && levels[0] !== '');
}

/** filtersOverlap on filters already split into levels (and already validated). */
export function levelsOverlap(a: readonly string[], b: readonly string[]): boolean {
  return overlap(a, b);
}

function overlap(a: readonly string[], b: readonly string[]): boolean {
  if ((wildFirst(a) && systemFirst(b)) || (wildFirst(b) && systemFirst(a))) return false;
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i];
    const y = b[i];
    if (x === '#' || y === '#') {
      // `#` takes whatever the other filter has left. If it has nothing left, the shared
      // topic is the first i levels, which must not be the empty topic.
      const other = x === '#' ? b : a;
      return other.length > i || i >= 2 || (i === 1 && a[0] !== '' && b[0] !== '');
    }
    if (x === undefined || y === undefined) return false;
    if (x !== '+' && y !== '+' && x !== y) return false;
  }
  return true;
}

/**
 * The least general filter covering both `a` and `b`, which must overlap: equal levels stay,
 * differing ones become `+`, and from a `#` or the end of the shorter one on, `#`. Overlap
 * guarantees the first levels are compatible with the `$` rule, so the result covers both.
 */
function join(a: readonly string[], b: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i];
    const y = b[i];
    if (x === undefined || y === undefined || x === '#' || y === '#') {
      out.push('#');
      break;
    }
    out.push(x === y ? x : '+');
  }
  return out;
}
