import { UNAVAILABLE } from '../message.ts';
import { describe } from '../value.ts';

/**
 * Field paths into a payload: `AM2301.Temperature`, `ENERGY.Power`, `list.0` or `list[0]`,
 * and bracket-quoted keys for keys with dots, colons or spaces: `["temperature:0"].tC`.
 */

/** Segments that would reach JavaScript's object machinery instead of the payload's data. */
const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);

const INDEX = /^(?:0|[1-9]\d*)$/;
// A segment that can be written bare when showing a path back to a person.
const BARE = /^[^.[\]"'\s]+$/;

/**
 * Split a path into its segments; throws an Error saying what is wrong (an empty segment,
 * an unclosed bracket, a forbidden segment such as `__proto__`).
 */
export function parsePath(path: string): string[] {
  const segments: string[] = [];
  let i = 0;
  // True right after a segment: what follows must be `.`, `[` or the end.
  let afterSegment = false;
  while (i < path.length) {
    const ch = path[i];
    if (ch === '[') {
      const [segment, next] = readBracket(path, i);
      segments.push(segment);
      i = next;
      afterSegment = true;
    } else if (afterSegment) {
      if (ch !== '.') throw new Error(`expected "." or "[" at character ${i + 1}`);
      i++;
      afterSegment = false;
      if (i >= path.length) throw new Error('the path ends with "."');
    } else {
      let end = i;
      while (end < path.length && path[end] !== '.' && path[end] !== '[') end++;
      if (end === i) throw new Error(`empty field name at character ${i + 1} (two dots in a row?)`);
      const segment = path.slice(i, end);
      if (segment.includes(']')) throw new Error(`"]" without "[" in "${segment}"`);
      segments.push(segment);
      i = end;
      afterSegment = true;
    }
  }
  if (segments.length === 0) throw new Error('the path is empty');
  for (const segment of segments) {
    if (FORBIDDEN.has(segment)) {
      throw new Error(`"${segment}" cannot be used in a path: it names JavaScript internals, not a payload field`);
    }
  }
  return segments;
}

/** `[0]` or `["key"]` / `['key']` starting at `start`; returns the segment and the index after `]`. */
function readBracket(path: string, start: number): [string, number] {
  const quote = path[start + 1];
  if (quote === '"' || quote === "'") {
    let key = '';
    let i = start + 2;
    for (; i < path.length && path[i] !== quote; i++) {
      // A backslash lets a key contain the quote character or a backslash.
      if (path[i] === '\\' && i + 1 < path.length) i++;
      key += path[i];
    }
    if (i >= path.length) throw new Error(`the quoted key at character ${start + 2} is never closed`);
    if (path[i + 1] !== ']') throw new Error(`expected "]" after the quoted key at character ${i + 2}`);
    return [key, i + 2];
  }
  const end = path.indexOf(']', start);
  if (end < 0) throw new Error(`"[" at character ${start + 1} is never closed`);
  const inside = path.slice(start + 1, end).trim();
  if (!INDEX.test(inside)) {
    throw new Error(`"[${inside}]" is not a list index; quote a key like ["${inside}"]`);
  }
  return [inside, end + 1];
}

/** A path written back for a person, quoting segments that need it. */
export function formatPath(segments: readonly string[]): string {
  let out = '';
  for (const segment of segments) {
    if (BARE.test(segment)) out += out ? `.${segment}` : segment;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

/** The value at a path, or a sentence naming the missing field and what is there instead. */
export type PathResult = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: string };

/**
 * Read the field at `segments` of `payload`, own properties only. A missing field is an error
 * naming it and the keys that are there; a field that is `null` or UNAVAILABLE — or an object
 * on the way that is — gives UNAVAILABLE, because that is how devices say "no reading".
 */
export function readPath(payload: unknown, segments: readonly string[]): PathResult {
  let current = payload;
  for (let i = 0; i < segments.length; i++) {
    if (current === null || current === UNAVAILABLE) return { ok: true, value: UNAVAILABLE };
    const segment = segments[i]!;
    if (typeof current !== 'object' || current instanceof Uint8Array) {
      return { ok: false, error: `cannot read field "${formatPath(segments)}": ${where(segments, i)} is ${describe(current)}, not an object` };
    }
    if (Array.isArray(current)) {
      if (!INDEX.test(segment)) {
        return { ok: false, error: `cannot read field "${formatPath(segments)}": ${where(segments, i)} is a list; use an index such as [0]` };
      }
      if (Number(segment) >= current.length) {
        return {
          ok: false,
          error: `field "${formatPath(segments.slice(0, i + 1))}" is missing (${where(segments, i)} is a list of ${current.length})`,
        };
      }
    } else if (!Object.hasOwn(current, segment)) {
      return {
        ok: false,
        error: `field "${formatPath(segments.slice(0, i + 1))}" is missing (${where(segments, i)} ${listKeys(current)})`,
      };
    }
    current = (current as Record<string, unknown>)[segment];
  }
  return { ok: true, value: current === null || current === undefined ? UNAVAILABLE : current };
}

/** What an error names as the place it stopped; built only for an error, never per message. */
function where(segments: readonly string[], i: number): string {
  return i === 0 ? 'payload' : `field "${formatPath(segments.slice(0, i))}"`;
}

function listKeys(object: object): string {
  const keys = Object.keys(object);
  if (keys.length === 0) return 'has no fields';
  const shown = keys.slice(0, 12).join(', ');
  return `has: ${shown}${keys.length > 12 ? `, … ${keys.length - 12} more` : ''}`;
}
