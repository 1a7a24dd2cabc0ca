/**
 * Templates such as `actuator/{room}/fan` or `Power is {payload} W`: `{name}` is replaced
 * by a value the caller looks up; `{{` and `}}` stand for literal braces.
 */
export type TemplatePart = { readonly text: string } | { readonly field: string };

export type TemplateResult = { readonly ok: true; readonly value: string } | { readonly ok: false; readonly missing: string };

const FIELD = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_:-]+)*$/;

/** Split a template into text and fields; throws an Error naming the problem when malformed. */
export function parseTemplate(template: string): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let text = '';
  for (let i = 0; i < template.length; i++) {
    const ch = template[i]!;
    if ((ch === '{' || ch === '}') && template[i + 1] === ch) {
      text += ch;
      i++;
    } else if (ch === '{') {
      const end = template.indexOf('}', i + 1);
      if (end < 0) throw new Error(`"{" at position ${i + 1} is never closed`);
      const field = template.slice(i + 1, end).trim();
      if (!FIELD.test(field)) throw new Error(`"{${field}}" is not a field name`);
      if (text) parts.push({ text });
      text = '';
      parts.push({ field });
      i = end;
    } else if (ch === '}') {
      throw new Error(`"}" at position ${i + 1} has no opening "{"`);
    } else {
      text += ch;
    }
  }
  if (text) parts.push({ text });
  return parts;
}

/** The field names a template uses, in order. */
export function templateFields(parts: readonly TemplatePart[]): string[] {
  return parts.flatMap((p) => ('field' in p ? [p.field] : []));
}

/** Fill a parsed template; the first field the lookup cannot answer is reported as missing. */
export function renderTemplate(
  parts: readonly TemplatePart[],
  lookup: (field: string) => string | undefined,
): TemplateResult {
  let out = '';
  for (const part of parts) {
    if ('text' in part) {
      out += part.text;
      continue;
    }
    const value = lookup(part.field);
    if (value === undefined) return { ok: false, missing: part.field };
    out += value;
  }
  return { ok: true, value: out };
}
