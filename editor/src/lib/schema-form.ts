/**
 * Forms from the same zod schemas the server validates with: a config schema becomes a list
 * of field descriptors (kind, label, help text, default, options), and zod issues become
 * messages keyed by field path. Pure: no React, no DOM, so it is tested under Node.
 */
import { z } from 'zod';
import { brokerSchema } from '../../../nodes/broker.ts';
import type { NodeDefinition } from '../../../nodes/define-node.ts';
import { definitionsByType } from '../../../nodes/registry.ts';
import { FORM_HINTS, OPTION_LABELS, FIELD_LABELS, VARIANT_LABELS, type FormHints, type Widget } from './schema-form-hints.ts';

export type { Widget } from './schema-form-hints.ts';

interface FieldBase {
  /** The property name inside its parent object. */
  key: string;
  label: string;
  /** The schema's `.describe()` text. */
  help?: string;
  /** The value used when the field is left empty; shown as the placeholder. */
  default?: unknown;
  /** True when the schema refuses the config without it (no default, not optional). */
  required: boolean;
  /** Shown under "More options" unless it has a value or an error. */
  advanced?: boolean;
  widget?: Widget;
  unit?: string;
  /** An example shown in the empty input when there is no default. */
  placeholder?: string;
}

export interface TextField extends FieldBase { kind: 'text'; minLength?: number; maxLength?: number }
export interface NumberField extends FieldBase { kind: 'number'; integer: boolean; min?: number; max?: number }
export interface BooleanField extends FieldBase { kind: 'boolean' }
export interface EnumField extends FieldBase { kind: 'enum'; options: { value: string | number; label: string }[] }
/** Any JSON value typed as text: `ON`, `25`, `{"state":"ON"}`. */
export interface JsonField extends FieldBase { kind: 'json' }
/** A fixed-length list such as `[low, high]`. */
export interface TupleField extends FieldBase { kind: 'tuple'; items: FieldDescriptor[] }
export interface ObjectField extends FieldBase {
  kind: 'object';
  fields: FieldDescriptor[];
  /** The value an optional object starts with when switched on (a Last Will's topic…). */
  seed?: Record<string, unknown>;
}
/** A list of objects told apart by `discriminator` (transform `ops` by `op`). */
export interface ListField extends FieldBase { kind: 'list'; discriminator: string; variants: Variant[]; minItems?: number }
/** Exactly one of several optional keys (threshold: above / below / between / outside). */
export interface ChoiceField extends FieldBase { kind: 'choice'; options: FieldDescriptor[] }

export type FieldDescriptor = TextField | NumberField | BooleanField | EnumField | JsonField | TupleField | ObjectField | ListField | ChoiceField;

export interface Variant {
  value: string;
  label: string;
  help?: string;
  fields: FieldDescriptor[];
  /** A new item of this variant: the discriminator plus every default. */
  defaults: Record<string, unknown>;
}

type Json = Record<string, unknown>;

/** The JSON Schema of a zod schema as the form sees it: input shape, custom checks left out. */
export function toFormJsonSchema(schema: z.ZodType): Json {
  return z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Json;
}

/** Descriptors for every property of an object schema, in schema order, grouped by the hints. */
export function describeSchema(schema: z.ZodType, hints: FormHints = {}): FieldDescriptor[] {
  const root = toFormJsonSchema(schema);
  const defs = (root['$defs'] ?? {}) as Record<string, Json>;
  return applyChoices(describeProperties(root, defs, hints, ''), hints);
}

const formCache = new Map<string, FieldDescriptor[]>();

/** The form of a node type (cached); undefined for an unknown type. */
export function nodeForm(type: string, definitions: ReadonlyMap<string, NodeDefinition> = definitionsByType): FieldDescriptor[] | undefined {
  const cached = formCache.get(type);
  if (cached) return cached;
  const def = definitions.get(type);
  if (!def) return undefined;
  const hints: FormHints = { ...FORM_HINTS[type] };
  const widgets = { ...hints.widgets };
  for (const field of def.brokerFields ?? []) widgets[field] = 'broker';
  hints.widgets = widgets;
  const form = describeSchema(def.config, hints);
  formCache.set(type, form);
  return form;
}

let brokerFormCache: FieldDescriptor[] | undefined;

/** The form of a broker entry (every field of the broker schema). */
export function brokerForm(): FieldDescriptor[] {
  brokerFormCache ??= describeSchema(brokerSchema, FORM_HINTS['broker']);
  return brokerFormCache;
}

function describeProperties(schema: Json, defs: Record<string, Json>, hints: FormHints, prefix: string): FieldDescriptor[] {
  const properties = (schema['properties'] ?? {}) as Record<string, Json>;
  const required = new Set((schema['required'] ?? []) as string[]);
  return Object.entries(properties).map(([key, property]) => describeField(key, property, defs, hints, `${prefix}${key}`, required.has(key)));
}

/** `pattern` is the field's path with list indexes as `*` (`ops.*.path`), the key of hints. */
function describeField(key: string, raw: Json, defs: Record<string, Json>, hints: FormHints, pattern: string, required: boolean): FieldDescriptor {
  const schema = resolve(raw, defs);
  const help = hints.helps?.[pattern] ?? raw['description'] ?? schema['description'];
  const base: FieldBase = {
    key,
    label: FIELD_LABELS[key] ?? humanize(key),
    required,
    ...(typeof help === 'string' ? { help } : {}),
    ...('default' in raw ? { default: raw['default'] } : {}),
    ...(hints.advanced?.includes(pattern) ? { advanced: true } : {}),
    ...(hints.widgets?.[pattern] ? { widget: hints.widgets[pattern] } : {}),
    ...(hints.units?.[pattern] ? { unit: hints.units[pattern] } : {}),
    ...(hints.placeholders?.[pattern] ? { placeholder: hints.placeholders[pattern] } : {}),
  };
  const options = enumOptions(schema, key);
  if (options) return { ...base, kind: 'enum', options };
  if (isAnyJson(schema, defs)) return { ...base, kind: 'json' };
  switch (schema['type']) {
    case 'string':
      return { ...base, kind: 'text', ...numberProp(schema, 'minLength'), ...numberProp(schema, 'maxLength') };
    case 'number':
    case 'integer':
      return {
        ...base,
        kind: 'number',
        integer: schema['type'] === 'integer',
        ...numberProp(schema, 'minimum', 'min'),
        ...(Number.isSafeInteger(schema['maximum']) && (schema['maximum'] as number) >= Number.MAX_SAFE_INTEGER ? {} : numberProp(schema, 'maximum', 'max')),
      };
    case 'boolean':
      return { ...base, kind: 'boolean' };
    case 'object':
      if (schema['properties']) {
        const seed = hints.seeds?.[pattern];
        return { ...base, kind: 'object', fields: describeProperties(schema, defs, hints, `${pattern}.`), ...(seed ? { seed } : {}) };
      }
      return { ...base, kind: 'json' };
    case 'array': {
      const prefixItems = schema['prefixItems'] as Json[] | undefined;
      if (prefixItems) {
        const names = hints.tupleLabels?.[pattern] ?? ['low', 'high'];
        const items = prefixItems.map((item, i) => describeField(String(i), item, defs, hints, `${pattern}.${i}`, true));
        items.forEach((item, i) => (item.label = names[i] ?? `#${i + 1}`));
        return { ...base, kind: 'tuple', items };
      }
      const list = describeVariants(schema['items'] as Json | undefined, defs, hints, `${pattern}.*.`);
      if (list) return { ...base, kind: 'list', ...list, ...numberProp(schema, 'minItems') };
      return { ...base, kind: 'json' };
    }
    default:
      return { ...base, kind: 'json' };
  }
}

function describeVariants(items: Json | undefined, defs: Record<string, Json>, hints: FormHints, prefix: string): Pick<ListField, 'discriminator' | 'variants'> | undefined {
  const members = (items?.['oneOf'] ?? items?.['anyOf']) as Json[] | undefined;
  if (!members?.length) return undefined;
  const objects = members.map((m) => resolve(m, defs));
  const first = objects[0]!['properties'] as Record<string, Json> | undefined;
  const discriminator = Object.keys(first ?? {}).find((k) =>
    objects.every((o) => (o['properties'] as Record<string, Json> | undefined)?.[k]?.['const'] !== undefined),
  );
  if (!discriminator) return undefined;
  const variants = objects.map((object): Variant => {
    const value = String((object['properties'] as Record<string, Json>)[discriminator]!['const']);
    const fields = describeProperties(object, defs, hints, prefix).filter((f) => f.key !== discriminator);
    const defaults: Record<string, unknown> = { [discriminator]: value };
    for (const f of fields) if (f.default !== undefined) defaults[f.key] = structuredClone(f.default);
    const label = VARIANT_LABELS[value];
    return { value, label: label?.label ?? humanize(value), ...(label?.help ? { help: label.help } : {}), fields, defaults };
  });
  return { discriminator, variants };
}

/** Replace the keys of each hinted choice group by one `choice` field where the first of them was. */
function applyChoices(fields: FieldDescriptor[], hints: FormHints): FieldDescriptor[] {
  let out = fields;
  for (const choice of hints.choices ?? []) {
    const members = out.filter((f) => choice.keys.includes(f.key));
    if (members.length === 0) continue;
    const at = out.indexOf(members[0]!);
    const field: ChoiceField = { key: choice.key, label: choice.label, required: true, kind: 'choice', options: members, ...(choice.help ? { help: choice.help } : {}) };
    out = [...out.slice(0, at), field, ...out.slice(at).filter((f) => !members.includes(f))];
  }
  return out;
}

function resolve(schema: Json, defs: Record<string, Json>): Json {
  const ref = schema['$ref'];
  if (typeof ref !== 'string') return schema;
  const target = defs[ref.replace('#/$defs/', '')];
  return target ? { ...target, ...schema, $ref: undefined } : schema;
}

function enumOptions(schema: Json, key: string): EnumField['options'] | undefined {
  const labels = OPTION_LABELS[key] ?? {};
  const label = (value: string | number) => labels[String(value)] ?? String(value);
  if (Array.isArray(schema['enum'])) return (schema['enum'] as (string | number)[]).map((value) => ({ value, label: label(value) }));
  const members = schema['anyOf'] as Json[] | undefined;
  if (members?.length && members.every((m) => m['const'] !== undefined)) {
    return members.map((m) => ({ value: m['const'] as string | number, label: label(m['const'] as string | number) }));
  }
  return undefined;
}

/** True for a union that takes text, numbers, booleans, lists and objects alike (z.json()). */
function isAnyJson(schema: Json, defs: Record<string, Json>): boolean {
  const members = schema['anyOf'] as Json[] | undefined;
  if (!members) return false;
  const types = new Set(members.map((m) => resolve(m, defs)['type']));
  return ['string', 'number', 'boolean', 'object', 'array'].every((t) => types.has(t));
}

function numberProp(schema: Json, from: string, to = from): Record<string, number> {
  const value = schema[from];
  return typeof value === 'number' ? { [to]: value } : {};
}

/** `shareGroup` → `Share group`. */
export function humanize(key: string): string {
  const words = key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/[-_]/g, ' ').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
