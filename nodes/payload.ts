import { UNAVAILABLE } from './message.ts';
import { parseLenientJson } from './lenient-json.ts';
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
