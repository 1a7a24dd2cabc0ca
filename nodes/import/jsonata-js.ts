import jsonata from 'jsonata';
import { formatPath, parsePath } from '../transform/path.ts';

/**
 * JSONata that behaves like the JavaScript Node-RED runs. Node-RED compares with JavaScript's
 * loose operators (`"26.5" > 25` is true, `null < 1` is true, `"abc" > 25` is false), while
 * JSONata refuses to compare a string with a number. The helpers below reproduce the loose
 * rules, so a converted switch routes every message where Node-RED would; they are written
 * into an expression only when it uses them.
 *
 * `$nan` is never bound: reading it gives JSONata's "no value", which — like JavaScript's
 * NaN — makes every comparison false.
 */
const HELPERS: Record<string, { readonly uses: readonly string[]; readonly code: string }> = {
  jsStr: {
    uses: [],
    // JavaScript's String(value), which `value + ""` and comparisons with objects use: a list
    // joins its items with "," (null items as ""), an object is "[object Object]".
    code:
      '$jsStr := function($a) {(' +
      ' $t := $exists($a) ? $type($a) : "undefined";' +
      ' $t = "string" ? $a : $t = "undefined" ? "undefined" : $t = "null" ? "null" : $t = "object" ? "[object Object]" :' +
      ' $t = "array" ? ($count($a) = 0 ? "" : $join([$map($a, function($e) { $type($e) = "null" ? "" : $jsStr($e) })], ",")) : $string($a) )}',
  },
  jsPrim: {
    uses: ['jsStr'],
    // JavaScript turns an object or list into text before comparing it with anything.
    code: '$jsPrim := function($a) { $type($a) in ["object", "array"] ? $jsStr($a) : $a }',
  },
  jsNum: {
    uses: ['jsPrim'],
    // JavaScript's Number(): numbers as they are, true → 1, null and "" → 0, decimal or hex text
    // → its value, anything else NaN. $number only takes JSON's grammar, so "+5", "007", "5."
    // and ".5" are first rewritten into it.
    code:
      '$jsNum := function($x) {(' +
      ' $a := $jsPrim($x); $t := $type($a);' +
      ' $t = "number" ? $a : $t = "boolean" ? ($a ? 1 : 0) : $t = "null" ? 0 :' +
      ' $t = "string" ? ( $s := $trim($a);' +
      ' $s = "" ? 0 :' +
      ' $contains($s, /^[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?$/) ? $number($replace($replace($replace($replace($s, /^\\+/, ""), /^(-?)0+(?=\\d)/, "$1"), /^(-?)\\./, function($m) { $m.groups[0] & "0." }), /\\.(?=[eE]|$)/, ".0")) :' +
      ' $contains($s, /^0[xX][0-9a-fA-F]+$/) ? $number($s) : $nan ) : $nan )}',
  },
  jsLt: { uses: ['jsNum'], code: relational('jsLt', '<') },
  jsLe: { uses: ['jsNum'], code: relational('jsLe', '<=') },
  jsGt: { uses: ['jsNum'], code: relational('jsGt', '>') },
  jsGe: { uses: ['jsNum'], code: relational('jsGe', '>=') },
  jsEq: {
    uses: ['jsNum'],
    // JavaScript's ==: two objects are never equal (different objects), null only equals
    // null/undefined, an object is compared as its text, the same type compares values,
    // mixed types compare as numbers.
    code:
      '$jsEq := function($x, $y) {(' +
      ' $tx := $exists($x) ? $type($x) : "undefined"; $ty := $exists($y) ? $type($y) : "undefined";' +
      ' $tx in ["object", "array"] and $ty in ["object", "array"] ? false :' +
      ' $tx in ["null", "undefined"] or $ty in ["null", "undefined"] ? ($tx in ["null", "undefined"] and $ty in ["null", "undefined"]) :' +
      ' ( $a := $jsPrim($x); $b := $jsPrim($y); $type($a) = $type($b) ? $a = $b : ($jsNum($a) = $jsNum($b)) = true ) )}',
  },
};

function relational(name: string, op: string): string {
  // Objects become text first; two texts compare as text (JavaScript does), anything else as numbers.
  return `$${name} := function($x, $y) {( $a := $jsPrim($x); $b := $jsPrim($y); $type($a) = "string" and $type($b) = "string" ? $a ${op} $b : ($jsNum($a) ${op} $jsNum($b)) = true )}`;
}

/** The names of the helpers an expression uses, in the order they must be defined. */
function helperOrder(used: ReadonlySet<string>): string[] {
  const out: string[] = [];
  const visit = (name: string): void => {
    if (out.includes(name)) return;
    for (const dep of HELPERS[name]?.uses ?? []) visit(dep);
    out.push(name);
  };
  for (const name of Object.keys(HELPERS)) if (used.has(name)) visit(name);
  return out;
}

/**
 * A JSONata block: the helpers `body` calls, then `bindings` (`$v := temperature`), then
 * `body`. Without helpers or bindings the body is returned as it is.
 */
export function withHelpers(body: string, bindings: readonly string[] = []): string {
  const used = new Set(Object.keys(HELPERS).filter((name) => body.includes(`$${name}(`) || bindings.some((b) => b.includes(`$${name}(`))));
  const defs = helperOrder(used).map((name) => HELPERS[name]!.code);
  if (defs.length === 0 && bindings.length === 0) return body;
  return `(${[...defs, ...bindings, body].join('; ')})`;
}

/** A constant as JSONata: JSON text is a JSONata literal. */
export function literal(value: unknown): string {
  return JSON.stringify(value) ?? 'null';
}

const BARE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const KEYWORDS = new Set(['and', 'or', 'in', 'true', 'false', 'null', 'function']);

/** A message property Node-RED names (`payload.a["b c"]`, `topic`), in the forms topicflow uses. */
export interface MessageField {
  /** `payload` or `topic`. */
  readonly root: 'payload' | 'topic';
  /** The path inside the payload (empty for the payload itself or the topic). */
  readonly segments: readonly string[];
  /** JSONata reading it, with the payload as input and `$topic` bound. */
  readonly jsonata: string;
  /** The same path for a transform `path` op (undefined for the payload itself and the topic). */
  readonly path?: string;
}

/**
 * Read a Node-RED property expression relative to `msg` (`payload.temperature`,
 * `payload["temperature:0"].tC`, `topic`). Undefined for any other message property: topicflow
 * messages carry only the payload and the topic.
 */
export function messageField(property: string): MessageField | undefined {
  let segments: string[];
  try {
    segments = parsePath(property.trim().replace(/^msg\./, ''));
  } catch {
    return undefined;
  }
  const [root, ...rest] = segments;
  if (root === 'topic' && rest.length === 0) return { root: 'topic', segments: [], jsonata: '$topic' };
  if (root !== 'payload') return undefined;
  if (rest.length === 0) return { root: 'payload', segments: [], jsonata: '$' };
  return { root: 'payload', segments: rest, jsonata: jsonataPath(rest), path: formatPath(rest) };
}

/** Path segments as a JSONata path: bare names, `[0]` for indexes, back-quoted other keys. */
export function jsonataPath(segments: readonly string[]): string {
  let out = '';
  for (const segment of segments) {
    if (/^(?:0|[1-9]\d*)$/.test(segment) && out !== '') out += `[${segment}]`;
    else {
      const name = BARE_NAME.test(segment) && !KEYWORDS.has(segment) ? segment : `\`${segment.replace(/`/g, '')}\``;
      out += out ? `.${name}` : name;
    }
  }
  return out;
}

/** Node-RED's own JSONata functions; only `$clone` has a topicflow equivalent (messages are never shared mutably). */
const NODE_RED_ONLY = ['flowContext', 'globalContext', 'env', 'moment'];

/** What stands in the way of running a Node-RED JSONata expression in topicflow. */
export interface ExpressionCheck {
  /** Set when the expression cannot work here at all. */
  readonly unsupported?: string;
  /** Ways it will behave differently. */
  readonly differences: readonly string[];
  /** The expression to use (with `$clone` defined when it is used). */
  readonly expression: string;
}

/**
 * Check a JSONata expression written for Node-RED, whose input is the whole message: it must
 * compile, must not use Node-RED's context or environment functions, and should read only
 * `payload` and `topic` (other message properties do not exist in topicflow).
 */
export function checkNodeRedExpression(expression: string): ExpressionCheck {
  let ast: unknown;
  try {
    ast = jsonata(expression).ast();
  } catch (error) {
    const message = typeof error === 'object' && error !== null && 'message' in error ? String((error as { message: unknown }).message) : String(error);
    return { unsupported: `the JSONata expression does not compile: ${message}`, differences: [], expression };
  }
  const calls = new Set<string>();
  const names = new Set<string>();
  walk(ast, calls, names, true);
  const blocked = NODE_RED_ONLY.filter((f) => calls.has(f));
  if (blocked.length > 0) {
    return { unsupported: `it uses Node-RED's ${blocked.map((f) => `$${f}()`).join(', ')}, which topicflow does not have (no flow/global context or environment in flows)`, differences: [], expression };
  }
  const differences: string[] = [];
  const others = [...names].filter((n) => n !== 'payload' && n !== 'topic');
  if (others.length > 0) {
    differences.push(`the expression reads msg.${others.join(', msg.')}, which topicflow messages do not carry (only payload and topic): it reads nothing there`);
  }
  if (/\$\$/.test(expression)) differences.push('$$ is the payload in topicflow, not the whole message');
  const body = calls.has('clone') ? `($clone := function($v) { $v }; ${expression})` : expression;
  return { differences, expression: body };
}

/** Collect function names called anywhere and field names read from the root context. */
function walk(node: unknown, calls: Set<string>, names: Set<string>, atRoot: boolean): void {
  if (Array.isArray(node)) {
    for (const item of node) walk(item, calls, names, atRoot);
    return;
  }
  if (typeof node !== 'object' || node === null) return;
  const n = node as Record<string, unknown>;
  if (n['type'] === 'function' || n['type'] === 'partial') {
    const procedure = n['procedure'] as Record<string, unknown> | undefined;
    const value = procedure?.['value'];
    if (typeof value === 'string') calls.add(value);
  }
  if (n['type'] === 'path' && Array.isArray(n['steps'])) {
    const [first, ...rest] = n['steps'] as unknown[];
    const head = first as Record<string, unknown> | undefined;
    if (atRoot && head?.['type'] === 'name' && typeof head['value'] === 'string') names.add(head['value']);
    else walk(first, calls, names, atRoot);
    // Later steps read fields of what earlier steps found, not of the message.
    walk(rest, calls, names, false);
    return;
  }
  if (n['type'] === 'name' && atRoot && typeof n['value'] === 'string') names.add(n['value']);
  for (const [key, value] of Object.entries(n)) {
    if (key === 'procedure' || key === 'position' || key === 'value') continue;
    // Predicates and lambda bodies read their own context.
    const root = atRoot && key !== 'predicate' && key !== 'stages' && key !== 'body';
    walk(value, calls, names, root);
  }
}

/** A Node-RED JSONata expression evaluated on a message built from the payload and topic. */
export function onMessage(expression: string): string {
  return `{"payload": $, "topic": $topic}.(${expression})`;
}
