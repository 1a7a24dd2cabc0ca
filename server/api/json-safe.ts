import { UNAVAILABLE } from '../../nodes/message.ts';

/** Bytes shown of a binary value; the rest is only counted (`length`). */
export const MAX_BYTES_SHOWN = 1024;
/** Largest JSON text of one debug value; a bigger one becomes a cut string with a note. */
export const MAX_JSON_CHARS = 10 * 1024;
/** Nesting kept; deeper parts become a note instead of overflowing the stack. */
export const MAX_DEPTH = 64;

/** How a binary value travels to the editor. */
export interface BytesValue {
  type: 'bytes';
  /** The first {@link MAX_BYTES_SHOWN} bytes, base64. */
  base64: string;
  /** How many bytes the value had in all. */
  length: number;
}

/**
 * A value as the editor's debug sidebar can receive it over socket.io (JSON): UNAVAILABLE
 * becomes the string "unavailable", bytes `{ type: 'bytes', base64, length }` (first 1 KB),
 * NaN/Infinity and bigints their text, other symbols and functions a short label, undefined
 * null (inside objects the key is left out, as JSON does). A value whose JSON is longer than
 * {@link MAX_JSON_CHARS} becomes the start of that JSON as a string, with a note saying so.
 * Never throws: a debug value must not break the message that carried it.
 */
export function jsonSafe(value: unknown): unknown {
  let safe: unknown;
  try {
    safe = convert(value, 0, new Set());
  } catch (error) {
    // A getter that throws or a proxy: say so rather than lose the debug event.
    return `[value not shown: ${error instanceof Error ? error.message : String(error)}]`;
  }
  const json = JSON.stringify(safe);
  if (json === undefined || json.length <= MAX_JSON_CHARS) return safe;
  return `${json.slice(0, MAX_JSON_CHARS)}… [truncated: ${formatSize(json.length)} in all, first ${formatSize(MAX_JSON_CHARS)} shown]`;
}

function convert(value: unknown, depth: number, ancestors: Set<object>): unknown {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      // JSON would turn these into null, which reads as "no value" — show what it was.
      return Number.isFinite(value) ? value : String(value);
    case 'bigint':
      return value.toString();
    case 'undefined':
      return null;
    case 'symbol':
      return value === UNAVAILABLE ? 'unavailable' : `[${value.toString()}]`;
    case 'function':
      return `[function ${value.name || 'anonymous'}]`;
  }
  if (value === null) return null;
  const object = value as object;
  if (object instanceof Uint8Array) return bytes(object);
  if (object instanceof ArrayBuffer) return bytes(new Uint8Array(object));
  if (object instanceof Date) return Number.isNaN(object.getTime()) ? 'Invalid Date' : object.toISOString();
  if (depth >= MAX_DEPTH) return `[nested deeper than ${MAX_DEPTH} levels]`;
  // Messages are JSON so a cycle should not happen; if one does it must not hang the server.
  if (ancestors.has(object)) return '[circular]';
  ancestors.add(object);
  try {
    if (Array.isArray(object)) return object.map((item) => convert(item, depth + 1, ancestors));
    if (object instanceof Map) return convertEntries(object.entries(), depth, ancestors);
    if (object instanceof Set) return [...object].map((item) => convert(item, depth + 1, ancestors));
    if (object instanceof Error) return { error: object.name, message: object.message };
    return convertEntries(Object.entries(object), depth, ancestors);
  } finally {
    ancestors.delete(object);
  }
}

function convertEntries(entries: Iterable<[unknown, unknown]>, depth: number, ancestors: Set<object>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, item] of entries) {
    if (item === undefined) continue;
    // defineProperty, so a "__proto__" key stays a plain key and cannot change the prototype.
    Object.defineProperty(out, String(key), { value: convert(item, depth + 1, ancestors), enumerable: true, writable: true, configurable: true });
  }
  return out;
}

function bytes(data: Uint8Array): BytesValue {
  const shown = data.subarray(0, MAX_BYTES_SHOWN);
  return { type: 'bytes', base64: Buffer.from(shown.buffer, shown.byteOffset, shown.byteLength).toString('base64'), length: data.byteLength };
}

function formatSize(chars: number): string {
  return chars < 1024 ? `${chars} B` : `${(chars / 1024).toFixed(1)} KB`;
}
