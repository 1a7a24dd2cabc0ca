/**
 * Plain JSON values (what JSON.parse gives) compared, copied and frozen, for the validator's
 * memory of the last document: it keeps a private copy of each node it checked and reuses
 * the check when a new document holds a node equal to that copy.
 */

function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/**
 * True when `value` equals `json` exactly: same keys in the same order, numbers equal as
 * Object.is sees them (0 and -0 differ), nothing but plain objects, arrays and primitives.
 * `json` must come from `cloneJson`. `value` may be anything (a class instance or a hole
 * makes it unequal), but what JSON cannot hold is not looked at: symbol keys and
 * non-enumerable properties (checking them would double the cost of the comparison).
 */
export function equalJson(value: unknown, json: unknown): boolean {
  if (Object.is(value, json)) return true;
  if (typeof value !== 'object' || value === null || typeof json !== 'object' || json === null) return false;
  if (Array.isArray(value)) {
    if (!Array.isArray(json) || value.length !== json.length) return false;
    for (let i = 0; i < value.length; i++) {
      if (!(i in value) || !equalJson(value[i], json[i])) return false;
    }
    return true;
  }
  if (Array.isArray(json) || !isPlainObject(value)) return false;
  const keys = Object.keys(value);
  const jsonKeys = Object.keys(json);
  if (keys.length !== jsonKeys.length) return false;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    if (key !== jsonKeys[i] || !equalJson((value as Record<string, unknown>)[key], (json as Record<string, unknown>)[key])) return false;
  }
  return true;
}

/**
 * A deep copy of `value` if it is plain JSON (finite numbers other than -0, strings,
 * booleans, null, arrays without holes, plain objects), else undefined. As in equalJson,
 * what JSON cannot hold is not looked at: symbol keys and non-enumerable properties are
 * left out of the copy, and an accessor is copied as the value it reads.
 */
export function cloneJson(value: unknown): unknown {
  // JSON's own round trip makes the copy (natively, fast); equalJson then tells whether it
  // is exact, which it is not for anything JSON cannot hold (a non-finite number, -0, a
  // hole, undefined, a class instance, a toJSON method): those come back changed or not at all.
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch {
    return undefined; // a BigInt or a cycle: not JSON
  }
  if (text === undefined) return undefined;
  const copy = JSON.parse(text) as unknown;
  return equalJson(value, copy) ? copy : undefined;
}

/** Freeze `value` and everything inside it; returns it. */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
