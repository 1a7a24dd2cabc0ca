/** How debug values are shown in the sidebar, cheaply even for large payloads. Pure. */

/**
 * A one-line preview of a value as compact JSON, cut at `max` characters. Stops walking a
 * large object once the preview is long enough, so a 1 MB payload costs no more than a small one.
 */
export function previewValue(value: unknown, max = 80): string {
  if (typeof value === 'string') return value.length > max ? `${value.slice(0, max - 1)}…` : value;
  const out: string[] = [];
  let length = 0;
  const write = (text: string): boolean => {
    out.push(text);
    length += text.length;
    return length <= max;
  };
  const walk = (v: unknown): boolean => {
    if (Array.isArray(v)) {
      if (!write('[')) return false;
      for (let i = 0; i < v.length; i++) if ((i > 0 && !write(',')) || !walk(v[i])) return false;
      return write(']');
    }
    if (typeof v === 'object' && v !== null) {
      if (!write('{')) return false;
      let first = true;
      for (const key in v) {
        if (!Object.hasOwn(v, key)) continue;
        if ((!first && !write(',')) || !write(`${JSON.stringify(key)}:`) || !walk((v as Record<string, unknown>)[key])) return false;
        first = false;
      }
      return write('}');
    }
    // Strings are cut before quoting: a long one must not be copied whole.
    if (typeof v === 'string') return write(JSON.stringify(v.length > max ? v.slice(0, max) : v));
    return write(v === undefined ? 'null' : String(v));
  };
  const whole = walk(value);
  const text = out.join('');
  return whole && text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** `[3]` for a list, `{2}` for an object: how many items are inside. */
export function sizeLabel(value: object): string {
  return Array.isArray(value) ? `[${value.length}]` : `{${Object.keys(value).length}}`;
}
