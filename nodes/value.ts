import { UNAVAILABLE, type Unavailable } from './message.ts';

/** Words devices send instead of a value (Home Assistant, Zigbee2MQTT, ESPHome, Tasmota). */
const UNAVAILABLE_WORDS = new Set(['', 'nan', '-nan', 'unavailable', 'unknown', 'offline', 'none', 'null']);

/** Decimal numbers as devices write them: `154`, `-3`, `5.0`, `.5`, `1e3`; no hex, no `Infinity`. */
const NUMERIC_TEXT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** True for text that means "no value": `nan`, empty, `unavailable`, `unknown`, `offline`. */
export function isUnavailableText(text: string): boolean {
  return UNAVAILABLE_WORDS.has(text.trim().toLowerCase());
}

/** The number written in `text`, or undefined when it is not plain decimal text. */
export function parseNumericText(text: string): number | undefined {
  const trimmed = text.trim();
  if (!NUMERIC_TEXT.test(trimmed)) return undefined;
  const n = Number(trimmed);
  return Number.isFinite(n) ? n : undefined;
}

export type NumberReading =
  | { readonly kind: 'number'; readonly value: number }
  | { readonly kind: 'unavailable'; readonly value: Unavailable }
  | { readonly kind: 'invalid'; readonly reason: string };

/**
 * Read a value as a number the way a home-automation user means it: numbers and numeric
 * text (`"100.00"`) are numbers; `null`, the unavailable marker and words like `unavailable`
 * are unavailable; anything else (booleans, objects, other text) is invalid, with a reason.
 */
export function readNumber(value: unknown): NumberReading {
  if (typeof value === 'number') {
    return Number.isFinite(value)
      ? { kind: 'number', value }
      : { kind: 'unavailable', value: UNAVAILABLE };
  }
  if (value === UNAVAILABLE || value === null || value === undefined) {
    return { kind: 'unavailable', value: UNAVAILABLE };
  }
  if (typeof value === 'string') {
    const n = parseNumericText(value);
    if (n !== undefined) return { kind: 'number', value: n };
    if (isUnavailableText(value)) return { kind: 'unavailable', value: UNAVAILABLE };
    return { kind: 'invalid', reason: `"${truncate(value, 40)}" is not a number` };
  }
  return { kind: 'invalid', reason: `${describe(value)} is not a number` };
}

/** A short description of a value for error messages. */
export function describe(value: unknown): string {
  if (value === UNAVAILABLE) return 'unavailable';
  if (value instanceof Uint8Array) return `${value.length} bytes of binary data`;
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'null';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return `"${truncate(value, 40)}"`;
  return String(value);
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
