import { UNAVAILABLE } from './message.ts';
import { isUnavailableText, parseNumericText } from './value.ts';

/**
 * How the bytes of an MQTT message become a payload (mqtt-in) and back (mqtt-out).
 * Devices are sloppy: Tasmota writes bare `nan` into JSON, Shelly Gen1 sends numbers as
 * text, Zigbee2MQTT sends JSON. `auto` turns each of those into what a person means.
 */
export const PAYLOAD_MODES = ['auto', 'json', 'string', 'number', 'raw'] as const;
/** One of PAYLOAD_MODES. */
export type PayloadMode = (typeof PAYLOAD_MODES)[number];

/** The outcome of reading or writing a payload; `error` is a sentence for a person. */
export type PayloadResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };

/** What `encodePayload` gives: the bytes (or text) to publish, or why nothing is published. */
export type EncodeResult = { readonly ok: true; readonly wire: string | Uint8Array } | { readonly ok: false; readonly error: string };

// `fatal` so that broken UTF-8 is reported instead of silently becoming U+FFFD.
const decoder = new TextDecoder('utf-8', { fatal: true });

// C0 control characters other than tab, LF and CR, plus DEL: text never contains them,
// binary data almost always does.
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

const NOT_TEXT = 'payload is binary data, not text; use payload mode "raw" to receive it as bytes';

/**
 * Turn the bytes of an MQTT message into a payload.
 * - `auto`: unavailable words (`nan`, empty, `unavailable`, `offline`…) → UNAVAILABLE; numeric
 *   text → number; text starting with `{` or `[` → JSON (bare `nan`/`inf` tokens become
 *   UNAVAILABLE) or an error; `true`/`false` → boolean; any other text → the string as sent.
 * - `json`: JSON as above for the whole text; an empty payload or a top-level `null` is UNAVAILABLE.
 * - `string`: the text. `number`: a number, or UNAVAILABLE for an unavailable word.
 * - `raw`: the bytes themselves.
 * Every mode except `raw` rejects bytes that are not UTF-8.
 */
export function parsePayload(bytes: Uint8Array, mode: PayloadMode): PayloadResult<unknown> {
  if (mode === 'raw') return { ok: true, value: bytes };
  let text: string;
  try {
    text = decoder.decode(bytes);
  } catch {
    return { ok: false, error: NOT_TEXT };
  }
  switch (mode) {
    case 'string':
      return { ok: true, value: text };
    case 'number':
      return readNumberText(text);
    case 'json':
      return readJsonText(text);
    case 'auto':
      return readAutoText(text);
  }
}

function readNumberText(text: string): PayloadResult<unknown> {
  const n = parseNumericText(text);
  if (n !== undefined) return { ok: true, value: n };
  if (isUnavailableText(text)) return { ok: true, value: UNAVAILABLE };
  return { ok: false, error: `payload ${quote(text)} is not a number` };
}

function readJsonText(text: string): PayloadResult<unknown> {
  // An empty payload is how MQTT clears a retained topic (a device removed), not a mistake
  // of the user, so it counts as "no value" like it does in auto mode.
  if (text.trim() === '') return { ok: true, value: UNAVAILABLE };
  const parsed = parseLenientJson(text);
  if (!parsed.ok) return { ok: false, error: `payload is not valid JSON: ${parsed.error}` };
  return { ok: true, value: parsed.value === null ? UNAVAILABLE : parsed.value };
}

function readAutoText(text: string): PayloadResult<unknown> {
  const first = text.charCodeAt(0);
  if (first === 0x7b /* { */ || first === 0x5b /* [ */) {
    // The usual device report. Text JSON.parse accepts holds no control character except
    // possibly DEL inside a string, and is neither a number nor an unavailable word, so this
    // gives what the checks below would, without their passes over the text.
    try {
      const value: unknown = JSON.parse(text);
      if (text.indexOf('\u007f') < 0) return { ok: true, value };
    } catch {
      // Not standard JSON: the checks below decide, and explain what is wrong.
    }
  }
  if (CONTROL.test(text)) return { ok: false, error: NOT_TEXT };
  if (isUnavailableText(text)) return { ok: true, value: UNAVAILABLE };
  const n = parseNumericText(text);
  if (n !== undefined) return { ok: true, value: n };
  const trimmed = text.trim();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    const parsed = parseLenientJson(text);
    if (parsed.ok) return { ok: true, value: parsed.value };
    return {
      ok: false,
      error: `payload looks like JSON but is not valid: ${parsed.error}; use payload mode "string" to receive it as text`,
    };
  }
  if (trimmed === 'true') return { ok: true, value: true };
  if (trimmed === 'false') return { ok: true, value: false };
  return { ok: true, value: text };
}

/**
 * The wire form of a payload: a string as its plain text (`ON`, not `"ON"`), a number as
 * decimal text, a boolean as `true`/`false`, `null` as `null`, an object or array as JSON
 * (an unavailable value nested inside becomes `null`), bytes as they are. An unavailable or
 * undefined payload is not published: that is the caller's cue to count it, not send it.
 */
export function encodePayload(value: unknown): EncodeResult {
  if (value === UNAVAILABLE || value === undefined) {
    return { ok: false, error: 'unavailable value is not published' };
  }
  if (value instanceof Uint8Array) return { ok: true, wire: value };
  switch (typeof value) {
    case 'string':
      return { ok: true, wire: value };
    case 'number':
      // NaN and Infinity have no decimal text a device could read: they mean "no value".
      return Number.isFinite(value)
        ? { ok: true, wire: String(value) }
        : { ok: false, error: 'unavailable value is not published' };
    case 'bigint':
      return { ok: true, wire: value.toString() };
    case 'boolean':
      return { ok: true, wire: value ? 'true' : 'false' };
    case 'object':
      return encodeJson(value);
    default:
      return { ok: false, error: `a ${typeof value} cannot be published as a payload` };
  }
}

function encodeJson(value: object | null): EncodeResult {
  try {
    // JSON.stringify would drop a symbol-valued field silently; "no value" is null in JSON.
    const wire = JSON.stringify(value, (_key, v: unknown) => (v === UNAVAILABLE ? null : v));
    return { ok: true, wire };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { ok: false, error: `payload cannot be written as JSON: ${reason}` };
  }
}

function quote(text: string): string {
  return JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
}

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
