import type { Scope } from './context.ts';
import { jsonataPath } from './jsonata-js.ts';
import { text } from './node-red.ts';

/**
 * A `function` node is never run: a shared flow is not allowed to bring code along. It stays
 * as a placeholder with its JavaScript in the report, and when the code only computes the
 * payload from message fields with arithmetic, comparisons and Math functions, the report
 * suggests the JSONata a transform `expr` op would use instead.
 */
export function convertFunction(s: Scope): void {
  const code = text(s.node, 'func');
  const extras = ['initialize', 'finalize'].filter((k) => text(s.node, k).trim() !== '');
  const libs = Array.isArray(s.node['libs']) && (s.node['libs'] as unknown[]).length > 0;
  const outputs = Number(text(s.node, 'outputs', '1'));
  let reason = 'a function node runs JavaScript, and topicflow never runs code from a flow file: rewrite it as a transform (JSONata)';
  if (extras.length > 0) reason += `; it also has ${extras.join(' and ')} code`;
  if (libs) reason += '; it loads modules';
  if (outputs > 1) reason += `; it has ${outputs} outputs`;
  const suggestion = outputs <= 1 && extras.length === 0 && !libs ? suggestJsonata(code) : undefined;
  s.unsupported(reason, { code, ...(suggestion ? { suggestion } : {}) });
}

type Token = { kind: 'num' | 'str' | 'name' | 'op'; text: string };

const TOKEN = /\s*(?:(\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)|("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')|([A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*|\[(?:\d+|"[^"]*"|'[^']*')\])*)|(===|!==|==|!=|<=|>=|&&|\|\||[-+*/%()<>?:,]))/y;

const MATH: Record<string, (args: string[]) => string | undefined> = {
  'Math.round': ([x]) => (x ? `$floor(${x} + 0.5)` : undefined),
  'Math.floor': ([x]) => (x ? `$floor(${x})` : undefined),
  'Math.ceil': ([x]) => (x ? `$ceil(${x})` : undefined),
  'Math.abs': ([x]) => (x ? `$abs(${x})` : undefined),
  'Math.sqrt': ([x]) => (x ? `$sqrt(${x})` : undefined),
  'Math.pow': ([x, y]) => (x && y ? `$power(${x}, ${y})` : undefined),
  'Math.min': (args) => (args.length ? `$min([${args.join(', ')}])` : undefined),
  'Math.max': (args) => (args.length ? `$max([${args.join(', ')}])` : undefined),
  Number: ([x]) => (x ? `$number(${x})` : undefined),
  parseFloat: ([x]) => (x ? `$number(${x})` : undefined),
};

/**
 * A JSONata expression equivalent to `msg.payload = EXPR; return msg;` or
 * `return { payload: EXPR };`, or undefined when the code does anything else.
 */
export function suggestJsonata(code: string): string | undefined {
  const body = code.replace(/\/\/[^\n]*/g, '').replace(/\/\*[\s\S]*?\*\//g, '').trim();
  const assigned = /^msg\.payload\s*=\s*([\s\S]+?);?\s*return\s+msg\s*;?$/.exec(body);
  const returned = /^return\s*\{\s*payload\s*:\s*([\s\S]+?)\s*\}\s*;?$/.exec(body);
  const expr = assigned?.[1] ?? returned?.[1];
  if (!expr || expr.includes(';')) return undefined;
  const tokens = tokenize(expr);
  if (!tokens) return undefined;
  // "+" joins text in JavaScript but only adds numbers in JSONata: do not guess which is meant.
  if (tokens.some((t) => t.kind === 'str') && tokens.some((t) => t.text === '+')) return undefined;
  const parser = { tokens, pos: 0 };
  const out = translate(parser, ')');
  return out !== undefined && parser.pos === tokens.length ? out.trim() : undefined;
}

function tokenize(expr: string): Token[] | undefined {
  const tokens: Token[] = [];
  TOKEN.lastIndex = 0;
  let end = 0;
  while (end < expr.trimEnd().length) {
    TOKEN.lastIndex = end;
    const m = TOKEN.exec(expr);
    if (!m) return undefined;
    end = TOKEN.lastIndex;
    if (m[1] !== undefined) tokens.push({ kind: 'num', text: m[1] });
    else if (m[2] !== undefined) tokens.push({ kind: 'str', text: JSON.stringify(m[2].slice(1, -1).replace(/\\(.)/g, '$1')) });
    else if (m[3] !== undefined) tokens.push({ kind: 'name', text: m[3] });
    else tokens.push({ kind: 'op', text: m[4]! });
  }
  return tokens;
}

const OPS: Record<string, string> = { '===': '=', '==': '=', '!==': '!=', '!=': '!=', '&&': 'and', '||': 'or' };

/** Translate tokens up to (not including) an unmatched `stop`; undefined on anything unknown. */
function translate(p: { tokens: Token[]; pos: number }, stop: string): string | undefined {
  let out = '';
  while (p.pos < p.tokens.length) {
    const t = p.tokens[p.pos]!;
    if (t.kind === 'op' && (t.text === stop || (stop === ')' && t.text === ','))) return out;
    p.pos++;
    if (t.kind === 'num' || t.kind === 'str') out += t.text;
    else if (t.kind === 'op') {
      if (t.text === '(') {
        const inner = translate(p, ')');
        if (inner === undefined || p.tokens[p.pos]?.text !== ')') return undefined;
        p.pos++;
        out += `(${inner})`;
      } else if (t.text === ',') return undefined;
      else out += ` ${OPS[t.text] ?? t.text} `;
    } else {
      const call = MATH[t.text];
      if (call) {
        if (p.tokens[p.pos]?.text !== '(') return undefined;
        p.pos++;
        const args: string[] = [];
        while (p.tokens[p.pos]?.text !== ')') {
          const arg = translate(p, ')');
          if (arg === undefined || arg.trim() === '') return undefined;
          args.push(arg.trim());
          if (p.tokens[p.pos]?.text === ',') p.pos++;
          else if (p.tokens[p.pos]?.text !== ')') return undefined;
        }
        p.pos++;
        const mapped = call(args);
        if (mapped === undefined) return undefined;
        out += mapped;
      } else {
        const name = fieldName(t.text);
        if (name === undefined) return undefined;
        out += name;
      }
    }
  }
  return out;
}

/** `msg.payload.a[0]` → `a[0]`, `msg.payload` → `$`, `msg.topic` → `$topic`; other names are not known. */
function fieldName(name: string): string | undefined {
  if (name === 'msg.payload') return '$';
  if (name === 'msg.topic') return '$topic';
  if (!name.startsWith('msg.payload.') && !name.startsWith('msg.payload[')) return undefined;
  const rest = name.slice('msg.payload'.length);
  const segments: string[] = [];
  const part = /\.([A-Za-z_$][\w$]*)|\[(\d+)\]|\["([^"]*)"\]|\['([^']*)'\]/y;
  let at = 0;
  while (at < rest.length) {
    part.lastIndex = at;
    const m = part.exec(rest);
    if (!m) return undefined;
    segments.push(m[1] ?? m[2] ?? m[3] ?? m[4]!);
    at = part.lastIndex;
  }
  return jsonataPath(segments);
}
