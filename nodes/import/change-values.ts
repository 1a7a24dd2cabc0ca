import { checkNodeRedExpression, jsonataPath, literal, messageField, onMessage } from './jsonata-js.ts';

/**
 * The value side of a change-node rule (`to`/`tot`, or `from`/`fromt` of a "change" rule),
 * read the way Node-RED reads it when the node starts.
 */
export type RuleValue =
  | { readonly kind: 'constant'; readonly value: unknown }
  /** JSONata computing the value per message (payload as input, `$topic` bound). */
  | { readonly kind: 'expr'; readonly expr: string; readonly differences: readonly string[] }
  /** A field of the payload, readable with a transform `path` op. */
  | { readonly kind: 'path'; readonly path: string; readonly expr: string }
  | { readonly kind: 'unsupported'; readonly reason: string };

/** The value a "set" rule (or a "change" rule's replacement) sets. */
export function ruleValue(to: unknown, tot: string | undefined): RuleValue {
  const raw = to === undefined || to === null ? '' : String(to);
  switch (tot ?? 'str') {
    case 'str':
      return { kind: 'constant', value: raw };
    case 'num': {
      const n = Number(raw);
      return Number.isFinite(n) ? { kind: 'constant', value: n } : { kind: 'unsupported', reason: `"${raw}" is not a number` };
    }
    case 'bool':
      return { kind: 'constant', value: /^true$/i.test(raw) };
    case 'json':
      try {
        return { kind: 'constant', value: JSON.parse(raw) as unknown };
      } catch {
        // Node-RED refuses to start such a node; converting it would invent a behaviour.
        return { kind: 'unsupported', reason: `its JSON value is not valid JSON (Node-RED does not start this node either)` };
      }
    case 'date':
      if (raw === '') return { kind: 'expr', expr: '$millis()', differences: [] };
      if (raw === 'iso') return { kind: 'expr', expr: '$now()', differences: [] };
      return { kind: 'unsupported', reason: `the timestamp format "${raw}" has no JSONata equivalent here` };
    case 'jsonata': {
      const check = checkNodeRedExpression(raw);
      if (check.unsupported) return { kind: 'unsupported', reason: check.unsupported };
      return { kind: 'expr', expr: onMessage(check.expression), differences: check.differences };
    }
    case 'msg': {
      const field = messageField(raw);
      if (!field) return { kind: 'unsupported', reason: `it copies msg.${raw}; topicflow messages carry only payload and topic` };
      if (field.path) return { kind: 'path', path: field.path, expr: field.jsonata };
      return { kind: 'expr', expr: field.jsonata, differences: [] };
    }
    case 'env':
      return { kind: 'unsupported', reason: 'it reads an environment variable; a flow file must not depend on the machine it runs on' };
    case 'flow':
    case 'global':
      return { kind: 'unsupported', reason: `it reads ${tot} context, which topicflow flows do not have` };
    default:
      return { kind: 'unsupported', reason: `values of type "${tot}" cannot be converted` };
  }
}

/** The JSONata for a value (a constant as its literal). */
export function valueExpr(value: Exclude<RuleValue, { kind: 'unsupported' }>): string {
  return value.kind === 'constant' ? literal(value.value) : value.expr;
}

/**
 * JSONata for Node-RED's "change" (search and replace) on the payload. Text has every
 * occurrence replaced, unless the whole text equals the search value, in which case the
 * payload becomes the (typed) replacement; a number or true/false is replaced only when it
 * equals the search value of that type; anything else passes unchanged.
 */
export function replaceExpr(from: unknown, fromt: string | undefined, to: RuleValue): { expr: string } | { unsupported: string } {
  if (to.kind !== 'constant') return { unsupported: 'only a fixed replacement value can be converted' };
  const type = fromt ?? 'str';
  if (!['str', 'num', 'bool', 're'].includes(type)) return { unsupported: `searching for a ${type} value cannot be converted` };
  const search = from === undefined || from === null ? '' : String(from);
  if (type === 're') {
    try {
      new RegExp(search, 'g');
    } catch (error) {
      return { unsupported: `its regular expression does not compile: ${(error as Error).message}` };
    }
  }
  const value = to.value;
  // JavaScript's replace() inserts String(value); "$" patterns in it would mean something else in JSONata.
  const replacement = typeof value === 'object' && value !== null ? '[object Object]' : String(value);
  if (replacement.includes('$')) return { unsupported: 'a replacement containing "$" cannot be converted exactly' };
  if (type !== 're' && search === '') return { unsupported: 'searching for empty text cannot be converted' };
  const pattern = type === 're' ? `/${search.replace(/(^|[^\\])\//g, '$1\\/')}/` : literal(search);
  const exact = type === 're' ? 'false' : `$c = ${literal(search)}`;
  const boolFix = typeof value === 'boolean' ? `$r = ${literal(replacement)} ? ${literal(value)} : $r` : '$r';
  const numeric = type === 'num' && Number.isFinite(Number(search)) ? `$type($c) = "number" ? ($c = ${Number(search)} ? ${literal(value)} : $c) : ` : '';
  const boolean = type === 'bool' ? `$type($c) = "boolean" ? ($string($c) = ${literal(search)} ? ${literal(value)} : $c) : ` : '';
  return {
    expr: `($c := $; $type($c) = "string" ? (${exact} ? ${literal(value)} : ($r := $replace($c, ${pattern}, ${literal(replacement)}); ${boolFix})) : ${numeric}${boolean}$c)`,
  };
}

/** JSONata that sets `segments` of the payload to `value` (the payload otherwise unchanged). */
export function setField(segments: readonly string[], value: string): string {
  const parent = segments.slice(0, -1);
  const key = segments[segments.length - 1]!;
  if (parent.length === 0) return `$merge([$, {${literal(key)}: ${value}}])`;
  // The value is computed against the message before the update operator changes the context.
  return `($value := ${value}; $ ~> |${jsonataPath(parent)}|{${literal(key)}: $value}|)`;
}
