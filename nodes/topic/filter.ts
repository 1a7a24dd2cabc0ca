/**
 * MQTT topic names and filters: validation, named wildcards and matching. This is the one
 * place in topicflow that decides what a valid topic is; the server, the editor's forms and
 * the document schema all ask these functions instead of keeping rules of their own.
 */

const MAX_BYTES = 65535;
const SHARE_PREFIX = '$share';
const WILDCARD_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Names that would reach or shadow Object.prototype when used as keys of a plain object. */
const RESERVED_NAMES = new Set(['__proto__', 'constructor', 'prototype']);

/** One named wildcard of a filter: `+room` at level 1 → `{ level: 1, name: 'room', rest: false }`. */
export interface Capture {
  /** Index of the level in the filter without any `$share/<group>/` prefix, from 0. */
  readonly level: number;
  readonly name: string;
  /** True for `#name`: the value is every remaining level joined by `/`. */
  readonly rest: boolean;
}

/** A filter as written in an mqtt-in node, split into what the broker sees and what we capture. */
export interface NamedFilter {
  /** The plain MQTT filter with names stripped (`home/+/temperature`), without `$share/<group>/`. */
  readonly brokerFilter: string;
  readonly captures: readonly Capture[];
  /** The group of a shared subscription (`$share/<group>/…`), when there is one. */
  readonly shareGroup?: string;
}

export type NamedFilterResult = { readonly ok: true; readonly filter: NamedFilter } | { readonly ok: false; readonly error: string };

/**
 * Check a subscription filter, including a shared subscription `$share/<group>/<filter>`.
 * Returns undefined when the filter is valid, otherwise one sentence for a person, e.g.
 * `"#" must be the last level, alone: "a/#/b"`. Besides the MQTT rules (non-empty, at most
 * 65535 UTF-8 bytes, no NUL, `+` and `#` as whole levels, `#` last), control characters,
 * Unicode non-characters and unpaired surrogates are refused because Mosquitto drops the
 * whole connection (every node sharing it) on a SUBSCRIBE carrying them.
 */
export function validateTopicFilter(filter: string): string | undefined {
  const parsed = parseFilter(filter, false);
  return parsed.ok ? undefined : parsed.error;
}

/**
 * Check a topic to publish on: non-empty, at most 65535 UTF-8 bytes, no `+` or `#`, and no
 * character a broker refuses (NUL, control characters, non-characters, unpaired surrogates).
 * Empty levels (`a//b`, `/a`) and spaces are allowed. Returns undefined when valid.
 */
export function validateTopicName(topic: string): string | undefined {
  if (plainTopic(topic)) return undefined;
  const textError = checkText(topic, 'A topic');
  if (textError) return textError;
  const wildcard = topic.search(/[+#]/);
  if (wildcard >= 0) {
    return `A topic to publish on cannot contain "${topic[wildcard]}" (wildcards are only for subscribing): ${quote(topic)}`;
  }
  return undefined;
}

/**
 * Parse an mqtt-in filter that may name its wildcards: `+room` is a `+` level whose value is
 * captured as `room`, `#rest` a last-level `#` whose value is the remaining levels. Names are
 * letters, digits and `_`, not starting with a digit, each used once; `__proto__`,
 * `constructor` and `prototype` are refused. A `$share/<group>/` prefix is split off into
 * `shareGroup`. Errors are sentences for a person, as for validateTopicFilter.
 */
export function parseNamedFilter(filter: string): NamedFilterResult {
  return parseFilter(filter, true);
}

/**
 * The values of the named wildcards of `filter` in `topic`. The topic must match
 * `filter.brokerFilter` (the trie or topicMatchesFilter said so); a `#name` that matched the
 * parent level (`a/#rest` on `a`) captures ''. The result is a fresh plain object.
 */
export function extractCaptures(filter: NamedFilter, topic: string): Record<string, string> {
  const out: Record<string, string> = {};
  const captures = filter.captures;
  if (captures.length === 0) return out;
  // Walk the topic by indexOf instead of split: this runs for every message of a named filter.
  let next = 0;
  let start = 0;
  let level = 0;
  while (next < captures.length) {
    const capture = captures[next]!;
    if (start < 0) {
      define(out, capture.name, '');
      next++;
      continue;
    }
    const slash = topic.indexOf('/', start);
    if (capture.level === level) {
      define(out, capture.name, topic.slice(start, capture.rest || slash < 0 ? topic.length : slash));
      next++;
    }
    start = slash < 0 ? -1 : slash + 1;
    level++;
  }
  return out;
}

/** The filter to send in SUBSCRIBE: `brokerFilter`, behind `$share/<group>/` when shared. */
export function subscriptionFilter(filter: NamedFilter): string {
  return filter.shareGroup === undefined ? filter.brokerFilter : `${SHARE_PREFIX}/${filter.shareGroup}/${filter.brokerFilter}`;
}

/**
 * Split `$share/<group>/<filter>` into its group and filter, or undefined when `filter` is not
 * a shared subscription. Does not validate; use validateTopicFilter for that.
 */
export function splitSharedSubscription(filter: string): { group: string; filter: string } | undefined {
  if (filter !== SHARE_PREFIX && !filter.startsWith(`${SHARE_PREFIX}/`)) return undefined;
  const rest = filter.slice(SHARE_PREFIX.length + 1);
  const slash = rest.indexOf('/');
  return slash < 0 ? { group: rest, filter: '' } : { group: rest.slice(0, slash), filter: rest.slice(slash + 1) };
}

/**
 * True when a message on `topic` is delivered to a subscription on `filter`, per MQTT:
 * `+` is one level (possibly empty), `#` any number of levels including none (`a/#` matches
 * `a`), and a topic starting with `$` is not matched by a filter starting with `+` or `#`.
 * A shared subscription matches as its inner filter. An invalid filter or topic matches nothing.
 */
export function topicMatchesFilter(filter: string, topic: string): boolean {
  if (validateTopicFilter(filter) !== undefined || validateTopicName(topic) !== undefined) return false;
  const inner = splitSharedSubscription(filter)?.filter ?? filter;
  return levelsMatch(inner.split('/'), topic.split('/'));
}

/** Level-wise matching of a valid plain filter against a valid topic, both already split. */
function levelsMatch(filter: readonly string[], topic: readonly string[]): boolean {
  if (topic[0]!.startsWith('$') && (filter[0] === '+' || filter[0] === '#')) return false;
  for (let i = 0; i < filter.length; i++) {
    const level = filter[i]!;
    if (level === '#') return true;
    if (i >= topic.length) return false;
    if (level !== '+' && level !== topic[i]) return false;
  }
  return filter.length === topic.length;
}

function parseFilter(filter: string, named: boolean): NamedFilterResult {
  const textError = checkText(filter, 'A topic filter');
  if (textError) return fail(textError);
  const shared = splitSharedSubscription(filter);
  let inner = filter;
  if (shared) {
    const shareError = checkShare(filter, shared.group, shared.filter);
    if (shareError) return fail(shareError);
    inner = shared.filter;
  }
  const levels = inner.split('/');
  const captures: Capture[] = [];
  for (let i = 0; i < levels.length; i++) {
    const level = levels[i]!;
    const wildcard = level[0] === '+' || level[0] === '#' ? level[0] : undefined;
    const error = checkLevel(level, wildcard, i === levels.length - 1, named, filter);
    if (error) return fail(error);
    if (wildcard === undefined || level.length === 1) continue;
    const name = level.slice(1);
    if (captures.some((c) => c.name === name)) return fail(`The wildcard name "${name}" is used twice: ${quote(filter)}`);
    captures.push({ level: i, name, rest: wildcard === '#' });
    levels[i] = wildcard;
  }
  const result: NamedFilter = { brokerFilter: levels.join('/'), captures };
  return { ok: true, filter: shared ? { ...result, shareGroup: shared.group } : result };
}

function checkShare(filter: string, group: string, inner: string): string | undefined {
  const form = '"$share/<group>/<filter>"';
  if (group === '' && !filter.startsWith(`${SHARE_PREFIX}//`)) {
    return `A shared subscription needs a group and a filter, as in ${form}: ${quote(filter)}`;
  }
  if (group === '') return `The group of a shared subscription cannot be empty, as in ${form}: ${quote(filter)}`;
  if (/[+#]/.test(group)) return `The group of a shared subscription cannot contain "+" or "#": ${quote(filter)}`;
  if (inner === '') return `A shared subscription needs a filter after its group, as in ${form}: ${quote(filter)}`;
  return undefined;
}

function checkLevel(level: string, wildcard: string | undefined, last: boolean, named: boolean, filter: string): string | undefined {
  const plus = level.indexOf('+');
  const hash = level.indexOf('#');
  if (!named || wildcard === undefined) {
    // A plain filter, or a named filter's literal level: both wildcard characters must stand alone.
    if (hash >= 0 && level !== '#') return `"#" must be a whole level, alone: ${quote(filter)}`;
    if (plus >= 0 && level !== '+') {
      return named ? `"+" must start a level, as "+" or "+name": ${quote(filter)}` : `"+" must be a whole level, alone: ${quote(filter)}`;
    }
    if (level === '#' && !last) return `"#" must be the last level, alone: ${quote(filter)}`;
    return undefined;
  }
  if (wildcard === '#' && !last) return `"#" must be the last level, as "#" or "#name": ${quote(filter)}`;
  if (level.length === 1) return undefined;
  const name = level.slice(1);
  if (!WILDCARD_NAME.test(name)) {
    return `"${level}" is not a named wildcard: after "${wildcard}" comes a name of letters, digits and "_" that does not start with a digit: ${quote(filter)}`;
  }
  if (RESERVED_NAMES.has(name)) return `"${name}" cannot name a wildcard (it is reserved in JavaScript): ${quote(filter)}`;
  return undefined;
}

/** Longest text whose UTF-8 form cannot pass MAX_BYTES: no UTF-16 unit takes more than 3 bytes. */
const SURELY_SHORT = Math.floor(MAX_BYTES / 3);

/**
 * True for a topic that is surely valid: not empty, short enough, and only characters no rule
 * looks at (no control character, wildcard, surrogate or anything from U+D800 up). A topic this
 * says nothing about gets the full check, which also explains what is wrong. Every published
 * message is checked, and this one pass of comparisons is the common case.
 */
function plainTopic(topic: string): boolean {
  const length = topic.length;
  if (length === 0 || length > SURELY_SHORT) return false;
  for (let i = 0; i < length; i++) {
    const unit = topic.charCodeAt(i);
    if (unit < 0x20 || unit === 0x23 /* # */ || unit === 0x2b /* + */ || (unit >= 0x7f && unit < 0xa0) || unit >= 0xd800) return false;
  }
  return true;
}

/**
 * Rules on the characters and length of any topic or filter. One pass over UTF-16 code units,
 * counting UTF-8 bytes on the way, so a 64 KB topic costs one scan.
 */
function checkText(text: string, what: string): string | undefined {
  if (text.length === 0) return `${what} cannot be empty`;
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    let point = unit;
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const low = i + 1 < text.length ? text.charCodeAt(i + 1) : 0;
      if (low < 0xdc00 || low > 0xdfff) return brokenCharacter(what, unit, i);
      point = 0x10000 + ((unit - 0xd800) << 10) + (low - 0xdc00);
      i++;
    } else if (unit >= 0xdc00 && unit <= 0xdfff) {
      return brokenCharacter(what, unit, i);
    }
    bytes += point < 0x80 ? 1 : point < 0x800 ? 2 : point < 0x10000 ? 3 : 4;
    if (point === 0) return `${what} cannot contain the NUL character (U+0000), found at position ${i + 1}`;
    if (point < 0x20 || (point >= 0x7f && point < 0xa0)) {
      return `${what} cannot contain the control character ${codePoint(point)} (position ${i + 1}); brokers such as Mosquitto drop the connection over it`;
    }
    if ((point >= 0xfdd0 && point <= 0xfdef) || (point & 0xfffe) === 0xfffe) {
      return `${what} cannot contain the non-character ${codePoint(point)} (position ${i + 1}); brokers such as Mosquitto drop the connection over it`;
    }
  }
  if (bytes > MAX_BYTES) return `${what} can be at most ${MAX_BYTES} bytes in UTF-8; this one has ${bytes}`;
  return undefined;
}

function brokenCharacter(what: string, unit: number, index: number): string {
  return `${what} contains a broken character (an unpaired surrogate ${codePoint(unit)}) at position ${index + 1}`;
}

function codePoint(point: number): string {
  return `U+${point.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** Quote a filter for a message; long ones are cut so the sentence stays readable. */
function quote(text: string): string {
  return JSON.stringify(text.length > 120 ? `${text.slice(0, 120)}…` : text);
}

function fail(error: string): NamedFilterResult {
  return { ok: false, error };
}

function define(target: Record<string, string>, name: string, value: string): void {
  // Assignment is the fast path (defineProperty takes V8's slow runtime path on every message);
  // only `__proto__` would replace the prototype instead of making an own property, so even a
  // hand-built NamedFilter naming it gets defineProperty.
  if (name === '__proto__') Object.defineProperty(target, name, { value, enumerable: true, writable: true, configurable: true });
  else target[name] = value;
}
