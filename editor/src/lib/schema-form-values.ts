/**
 * How form inputs turn into config values and back: numbers typed as text, any-JSON fields
 * (`ON`, `25`, `{"state":"ON"}`), empty inputs that fall back to the default, and the
 * threshold's condition select that moves a value from one key to another.
 */
import type { ChoiceField, FieldDescriptor, ObjectField } from './schema-form.ts';

/** The text shown for a number field; raw text the user typed that is not a number stays as is. */
export function numberToText(value: unknown): string {
  if (value === undefined || value === null) return '';
  return String(value);
}

/**
 * What a number input holds: undefined when empty (the default applies), a number when the
 * text is one, else the text itself, so the schema reports it and typing is never blocked.
 */
export function textToNumber(text: string): number | string | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  const n = Number(trimmed.replace(',', '.'));
  return /^[+-]?(\d+[.,]?\d*|[.,]\d+)([eE][+-]?\d+)?$/.test(trimmed) && Number.isFinite(n) ? n : text;
}

export type JsonKind = 'text' | 'number' | 'true/false' | 'object' | 'list' | 'null';

export interface JsonReading {
  value: unknown;
  kind: JsonKind;
  /** Set when the text looks like JSON but is not valid: it is sent as text. */
  note?: string;
}

/** Kind of a JSON value, for the badge next to a JSON field. */
export function jsonKind(value: unknown): JsonKind {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'list';
  switch (typeof value) {
    case 'number':
      return 'number';
    case 'boolean':
      return 'true/false';
    case 'object':
      return 'object';
    default:
      return 'text';
  }
}

/**
 * Read an any-JSON field the way a person means it: `ON` is text, `25` a number, `true` a
 * boolean, `{"state":"ON"}` an object; `"25"` (quoted) is the text 25.
 */
export function textToJson(text: string): JsonReading {
  const trimmed = text.trim();
  if (trimmed === '') return { value: text, kind: 'text' };
  try {
    const value: unknown = JSON.parse(trimmed);
    return { value, kind: jsonKind(value) };
  } catch (error) {
    if (/^[[{"]/.test(trimmed)) {
      return { value: text, kind: 'text', note: `not valid JSON (${(error as Error).message}); it is sent as text` };
    }
    return { value: text, kind: 'text' };
  }
}

/** The text for a JSON value such that textToJson reads it back as the same value. */
export function jsonToText(value: unknown): string {
  if (value === undefined) return '';
  if (typeof value === 'string') {
    const back = textToJson(value);
    return back.kind === 'text' && back.value === value ? value : JSON.stringify(value);
  }
  return JSON.stringify(value);
}

/** `object` with `key` set to `value`, or without `key` when value is undefined. */
export function withField(object: Record<string, unknown> | undefined, key: string, value: unknown): Record<string, unknown> {
  const next = { ...object };
  if (value === undefined) delete next[key];
  else next[key] = value;
  return next;
}

/** The key of the choice group that the config sets (the first one), or undefined. */
export function currentChoice(config: Record<string, unknown>, choice: ChoiceField): string | undefined {
  return choice.options.find((o) => config[o.key] !== undefined)?.key;
}

/**
 * Switch a choice group to `toKey`, carrying the value over where it makes sense: a number
 * stays a number (above 25 → below 25), a number becomes a range around it, a range's low
 * end becomes the number. Every other key of the group is removed.
 */
export function switchChoice(config: Record<string, unknown>, choice: ChoiceField, toKey: string): Record<string, unknown> {
  const fromKey = currentChoice(config, choice);
  const target = choice.options.find((o) => o.key === toKey);
  if (!target || fromKey === toKey) return config;
  const old = fromKey === undefined ? undefined : config[fromKey];
  const next = { ...config };
  for (const option of choice.options) delete next[option.key];
  next[toKey] = carryOver(old, target);
  return next;
}

function carryOver(old: unknown, target: FieldDescriptor): unknown {
  const low = Array.isArray(old) ? old[0] : old;
  const base = typeof low === 'number' ? low : 20;
  if (target.kind === 'tuple') {
    if (Array.isArray(old)) return [...old];
    return [base, base + 5];
  }
  return base;
}

/** A new config value for an optional object field switched on (Last Will, birth, TLS). */
export function seedObject(field: ObjectField): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of field.fields) if (f.required && f.kind === 'text') out[f.key] = '';
  return { ...out, ...structuredClone(field.seed ?? {}) };
}

/** Move item `from` of a list to index `to` (clamped). */
export function moveItem<T>(list: readonly T[], from: number, to: number): T[] {
  const out = [...list];
  const clamped = Math.max(0, Math.min(out.length - 1, to));
  const [item] = out.splice(from, 1);
  if (item !== undefined) out.splice(clamped, 0, item);
  return out;
}
