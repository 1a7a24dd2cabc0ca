import { UNAVAILABLE } from './message.ts';
import type { PayloadResult } from './payload.ts';

/**
 * JSON as devices write it: standard JSON, except that a bare `nan`, `-nan`, `NaN`, `inf`,
 * `-inf` or `Infinity` where a value is expected (never inside a string) is UNAVAILABLE —
 * Tasmota sends `{"SI7021-02":{"Temperature":nan}}` for a failed sensor. Keys such as
 * `__proto__` become plain own fields, as with JSON.parse. `error` names what is wrong and where.
 */
export function parseLenientJson(text: string): PayloadResult<unknown> {
  // Almost every payload is valid JSON: let the native parser take it at full speed.
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    // Not standard JSON; the lenient parser decides, and explains if it is not JSON at all.
  }
  try {
    return { ok: true, value: new LenientParser(text).document() };
  } catch (error) {
    if (error instanceof LenientJsonError) return { ok: false, error: error.message };
    throw error;
  }
}

class LenientJsonError extends Error {}

/** Bare words a C printf or JavaScript writes for a value that is not a number. */
const NOT_A_NUMBER_WORD = /^[+-]?(?:nan|inf|infinity)$/i;
const JSON_NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;
// A run of characters that can form one bare token (number, true, nan…).
const WORD = /[^\s,:[\]{}"]+/y;
// Deep enough for any device, shallow enough that a hostile `[[[[…` cannot overflow the stack.
const MAX_DEPTH = 500;

/** A recursive-descent JSON reader; only used after JSON.parse has refused the text. */
class LenientParser {
  private pos = 0;
  constructor(private readonly text: string) {}

  document(): unknown {
    this.skipSpace();
    const value = this.value(0);
    this.skipSpace();
    if (this.pos < this.text.length) this.fail('unexpected text after the end of the JSON');
    return value;
  }

  private value(depth: number): unknown {
    if (depth > MAX_DEPTH) this.fail(`nested more than ${MAX_DEPTH} levels deep`);
    const ch = this.text[this.pos];
    if (ch === '{') return this.object(depth + 1);
    if (ch === '[') return this.array(depth + 1);
    if (ch === '"') return this.string();
    return this.word();
  }

  private object(depth: number): Record<string, unknown> {
    const result: Record<string, unknown> = {};
    this.pos++;
    this.skipSpace();
    if (this.text[this.pos] === '}') {
      this.pos++;
      return result;
    }
    for (;;) {
      if (this.text[this.pos] !== '"') this.fail('expected a field name in double quotes');
      const key = this.string();
      this.skipSpace();
      this.expect(':');
      this.skipSpace();
      // defineProperty, not assignment: a `__proto__` key must stay a field, never a prototype.
      Object.defineProperty(result, key, { value: this.value(depth), enumerable: true, writable: true, configurable: true });
      if (this.endOfList('}')) return result;
    }
  }

  private array(depth: number): unknown[] {
    const result: unknown[] = [];
    this.pos++;
    this.skipSpace();
    if (this.text[this.pos] === ']') {
      this.pos++;
      return result;
    }
    for (;;) {
      result.push(this.value(depth));
      if (this.endOfList(']')) return result;
    }
  }

  /** After an item: true at the closing bracket, false after a comma; anything else fails. */
  private endOfList(close: '}' | ']'): boolean {
    this.skipSpace();
    const ch = this.text[this.pos];
    this.pos++;
    if (ch === close) return true;
    if (ch !== ',') this.fail(`expected "," or "${close}"`, this.pos - 1);
    this.skipSpace();
    return false;
  }

  private string(): string {
    const start = this.pos;
    let i = start + 1;
    for (; i < this.text.length; i++) {
      const ch = this.text[i];
      if (ch === '\\') i++;
      else if (ch === '"') break;
    }
    if (i >= this.text.length) this.fail('a string is never closed', start);
    this.pos = i + 1;
    try {
      // The native parser knows every escape rule; hand it just this string.
      return JSON.parse(this.text.slice(start, i + 1)) as string;
    } catch {
      return this.fail('invalid escape or control character in a string', start);
    }
  }

  private word(): unknown {
    WORD.lastIndex = this.pos;
    const match = WORD.exec(this.text);
    if (!match) {
      if (this.pos >= this.text.length) this.fail('unexpected end of the text');
      this.fail(`unexpected "${this.text[this.pos]}"`);
    }
    const word = match[0];
    const at = this.pos;
    this.pos += word.length;
    if (word === 'true') return true;
    if (word === 'false') return false;
    if (word === 'null') return null;
    if (NOT_A_NUMBER_WORD.test(word)) return UNAVAILABLE;
    if (JSON_NUMBER.test(word)) return Number(word);
    const shown = word.length > 20 ? `${word.slice(0, 20)}…` : word;
    return this.fail(`unexpected "${shown}"`, at);
  }

  private expect(ch: string): void {
    if (this.text[this.pos] !== ch) this.fail(`expected "${ch}"`);
    this.pos++;
  }

  private skipSpace(): void {
    const text = this.text;
    while (this.pos < text.length) {
      const ch = text[this.pos];
      if (ch !== ' ' && ch !== '\t' && ch !== '\n' && ch !== '\r') break;
      this.pos++;
    }
  }

  private fail(problem: string, at = this.pos): never {
    throw new LenientJsonError(`${problem} at character ${at + 1}`);
  }
}
