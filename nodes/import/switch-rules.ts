import { checkNodeRedExpression, literal, messageField, onMessage } from './jsonata-js.ts';

/**
 * One rule of a Node-RED switch node as a JSONata condition on `$v` (the switch's property),
 * with the input being the payload and `$topic` bound — or the reason it cannot be one.
 * Node-RED's operators are JavaScript's loose ones; the conditions use the helpers of
 * jsonata-js.ts so that every value (numeric text, null, a missing field) goes where it
 * would in Node-RED.
 */

/** A switch rule as Node-RED exports it. */
export interface NrRule {
  readonly t: string;
  readonly v?: unknown;
  readonly vt?: string;
  readonly v2?: unknown;
  readonly v2t?: string;
  readonly case?: boolean;
}

/** A rule's condition with the differences it brings, or why it has none. */
export type RuleResult = { readonly ok: true; readonly cond: string; readonly differences: readonly string[] } | { readonly ok: false; readonly reason: string };

/** A rule operand: a constant known now, or an expression evaluated per message. */
type Operand = { readonly constant: unknown } | { readonly expr: string; readonly differences: readonly string[] };

/**
 * The value of `v` (or `v2`) the way Node-RED reads it when the node starts: without a type,
 * numeric text is a number; `num` is Number(v) unless that is NaN; `bool` is /^true$/.
 */
export function ruleOperand(v: unknown, vt: string | undefined): Operand | { readonly unsupported: string } {
  const textValue = v === undefined || v === null ? '' : String(v);
  const type = vt ?? (Number.isNaN(Number(textValue)) ? 'str' : 'num');
  switch (type) {
    case 'num':
      return { constant: Number.isNaN(Number(textValue)) ? textValue : Number(textValue) };
    case 'str':
      return { constant: textValue };
    case 'bool':
      return { constant: /^true$/.test(textValue) };
    case 'msg': {
      const field = messageField(textValue);
      if (!field) return { unsupported: `it compares with msg.${textValue}; topicflow messages carry only payload and topic` };
      return { expr: field.jsonata, differences: [] };
    }
    case 'jsonata': {
      const check = checkNodeRedExpression(textValue);
      if (check.unsupported) return { unsupported: check.unsupported };
      return { expr: onMessage(check.expression), differences: check.differences };
    }
    case 'prev':
      return { unsupported: 'it compares with the previous value, which needs state a transform does not keep' };
    default:
      return { unsupported: `it compares with a ${type} value (flow/global context, environment, dates) that topicflow flows cannot read` };
  }
}

const RELATIONAL: Record<string, string> = { lt: 'jsLt', lte: 'jsLe', gt: 'jsGt', gte: 'jsGe' };
const OPERATOR: Record<string, string> = { lt: '<', lte: '<=', gt: '>', gte: '>=' };

/**
 * A comparison with a constant, with JSONata's own operator first when the value has the
 * constant's type — the usual case (a number against a number), and the one a person reads —
 * and the JavaScript helper for everything else.
 */
function fastPath(rule: NrRule, b: string, op: string, general: string): string {
  const o = ruleOperand(rule.v, rule.vt);
  if (!('constant' in o)) return general;
  const type = typeof o.constant === 'number' ? 'number' : typeof o.constant === 'string' ? 'string' : undefined;
  // Only equality is the same for two texts; JavaScript orders two texts as text too, so the
  // fast path holds for relational operators on texts as well.
  return type ? `($type($v) = "${type}" ? $v ${op} ${b} : ${general})` : general;
}

/** The condition of one rule on `$v`. `else` is not handled here: it depends on the other rules. */
export function ruleCondition(rule: NrRule): RuleResult {
  const differences: string[] = [];
  const operand = (v: unknown, vt: string | undefined): string | { reason: string } => {
    const o = ruleOperand(v, vt);
    if ('unsupported' in o) return { reason: o.unsupported };
    if ('constant' in o) return literal(o.constant);
    differences.push(...o.differences);
    return o.expr;
  };
  const done = (cond: string): RuleResult => ({ ok: true, cond, differences });
  const t = rule.t;
  if (t in RELATIONAL || t === 'eq' || t === 'neq') {
    const b = operand(rule.v, rule.vt);
    if (typeof b !== 'string') return { ok: false, reason: b.reason };
    if (t === 'eq') return done(fastPath(rule, b, '=', `$jsEq($v, ${b})`));
    if (t === 'neq') return done(fastPath(rule, b, '!=', `$not($jsEq($v, ${b}))`));
    return done(fastPath(rule, b, OPERATOR[t]!, `$${RELATIONAL[t]}($v, ${b})`));
  }
  switch (t) {
    case 'btwn': {
      const b = operand(rule.v, rule.vt);
      const c = operand(rule.v2, rule.v2t);
      if (typeof b !== 'string') return { ok: false, reason: b.reason };
      if (typeof c !== 'string') return { ok: false, reason: c.reason };
      // Either order of the bounds, as Node-RED allows.
      return done(`($jsGe($v, ${b}) and $jsLe($v, ${c})) or ($jsLe($v, ${b}) and $jsGe($v, ${c}))`);
    }
    case 'cont': {
      const b = operand(rule.v, rule.vt);
      if (typeof b !== 'string') return { ok: false, reason: b.reason };
      return done(`$contains($jsStr($v), $jsStr(${b}))`);
    }
    case 'regex': {
      const pattern = rule.v === undefined || rule.v === null ? '' : String(rule.v);
      try {
        new RegExp(pattern, rule.case ? 'i' : '');
      } catch (error) {
        return { ok: false, reason: `its regular expression does not compile: ${(error as Error).message}` };
      }
      return done(`$contains($jsStr($v), /${escapeSlashes(pattern)}/${rule.case ? 'i' : ''})`);
    }
    case 'true':
      return done('$v = true');
    case 'false':
      return done('$v = false');
    case 'null':
      return done('($not($exists($v)) or $type($v) = "null")');
    case 'nnull':
      return done('($exists($v) and $type($v) != "null")');
    case 'empty':
      return done(emptiness('= 0'));
    case 'nempty':
      return done(emptiness('!= 0'));
    case 'istype':
      return typeCondition(String(rule.v ?? ''));
    case 'hask': {
      const b = operand(rule.v, rule.vt);
      if (typeof b !== 'string') return { ok: false, reason: b.reason };
      return done(`($type($v) = "object" and $jsStr(${b}) in $keys($v))`);
    }
    case 'jsonata_exp': {
      const check = checkNodeRedExpression(String(rule.v ?? ''));
      if (check.unsupported) return { ok: false, reason: check.unsupported };
      return { ok: true, cond: `(${onMessage(check.expression)}) = true`, differences: check.differences };
    }
    case 'head':
    case 'tail':
    case 'index':
      return { ok: false, reason: `the "${t}" rule works on message sequences (msg.parts), which topicflow does not have` };
    default:
      return { ok: false, reason: `its rule "${t}" is not one topicflow can convert` };
  }
}

/** Node-RED's "is empty": a string, list or object with nothing in it; anything else is not. */
function emptiness(test: string): string {
  return `($type($v) = "string" ? $length($v) ${test} : $type($v) = "array" ? $count($v) ${test} : $type($v) = "object" ? $count($keys($v)) ${test} : false)`;
}

function typeCondition(type: string): RuleResult {
  const ok = (cond: string): RuleResult => ({ ok: true, cond, differences: [] });
  switch (type) {
    case 'string':
    case 'number':
    case 'boolean':
    case 'array':
    case 'object':
    case 'null':
      return ok(`$type($v) = "${type}"`);
    case 'undefined':
      return ok('$not($exists($v))');
    default:
      return { ok: false, reason: `the "is of type ${type}" rule has no equivalent for topicflow payloads` };
  }
}

/** A regular expression's text inside JSONata's /…/ delimiters. */
function escapeSlashes(pattern: string): string {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === '\\' && i + 1 < pattern.length) {
      out += ch + pattern[++i]!;
    } else {
      out += ch === '/' ? '\\/' : ch;
    }
  }
  return out;
}

/**
 * Which messages reach port `port` of a switch: JSONata bindings computing each rule up to that
 * port and the final test. Node-RED's "otherwise" matches when no rule matched since the last
 * "otherwise"; with "stop after first match" a port gets a message only if no earlier port did.
 */
export function portCondition(conditions: readonly (string | 'else')[], port: number, stopAtFirst: boolean): { bindings: string[]; test: string } {
  // Which rules this port depends on: with "stop after first match" every earlier one; with
  // "check all", its own rule, or for "otherwise" the rules back to the previous otherwise —
  // which in turn needs the rules before that one, when it matched only if none of them did.
  const needed = new Set<number>([port]);
  if (stopAtFirst) for (let i = 0; i < port; i++) needed.add(i);
  else if (conditions[port] === 'else') for (let i = 0; i < port; i++) needed.add(i);
  const bindings: string[] = [];
  let flag = 'true';
  for (let i = 0; i <= port; i++) {
    if (!needed.has(i)) continue;
    const cond = conditions[i]!;
    // The flag ("nothing matched since the last otherwise") is only worked out when an
    // "otherwise" up to this port needs it.
    const later = conditions.slice(i + 1, port + 1).includes('else');
    if (cond === 'else') {
      bindings.push(`$r${i} := ${flag}`);
      if (later) bindings.push(`$f${i} := $not($r${i})`);
    } else {
      bindings.push(`$r${i} := (${cond}) = true`);
      if (later) bindings.push(`$f${i} := ${flag === 'true' ? '' : `${flag} and `}$not($r${i})`);
    }
    if (later) flag = `$f${i}`;
  }
  const earlier = Array.from({ length: port }, (_, i) => `$r${i}`);
  const test = stopAtFirst && earlier.length > 0 ? `$r${port} and $not(${earlier.join(' or ')})` : `$r${port}`;
  return { bindings, test };
}
