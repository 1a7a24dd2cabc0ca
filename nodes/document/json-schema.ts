import { z } from 'zod';
import { nodeDefinitions } from '../registry.ts';
import { FORMAT, publishedDocumentSchema } from './schema.ts';

/** Where the published schema says it lives; tools key their caches on it. */
export const SCHEMA_ID = 'https://topicflow.dev/schema/topicflow-1.json';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * The JSON Schema of the `topicflow/1` flow format, built from the same zod schemas the
 * validator uses, so editors (VS Code `$schema`, JSON Schema linters) check files the same way.
 * The result is a fresh, plain JSON object and identical on every call, because
 * flows/topicflow.schema.json is compared with it byte for byte by a test.
 *
 * It describes what a file may contain (`io: 'input'`: fields with defaults are optional, and
 * unknown fields are allowed because the validator only warns about them). Checks that JSON
 * Schema cannot express — topic filter syntax, JSONata compilation, broker references, a
 * threshold setting exactly one mode — are enforced only by validateDocument.
 */
export function documentJsonSchema(): Record<string, Json> {
  const generated = z.toJSONSchema(publishedDocumentSchema(nodeDefinitions), {
    io: 'input',
    // A type with no JSON Schema form becomes `{}` (any value) instead of failing `npm run schema`;
    // refinements (topic syntax, JSONata) are left out either way, so the schema is looser than zod.
    unrepresentable: 'any',
    target: 'draft-2020-12',
  }) as Record<string, Json>;
  const { $schema, $defs, ...rest } = generated;
  const merged = mergeDefinitions(($defs ?? {}) as Record<string, Json>);
  // Our keys first so the file opens with what it is, then zod's output in its own order.
  const document: Record<string, Json> = {
    $schema: $schema ?? 'https://json-schema.org/draft/2020-12/schema',
    $id: SCHEMA_ID,
    title: `topicflow flow document (${FORMAT})`,
    description:
      'A topicflow flow: MQTT broker entries, nodes (mqtt-in, inject, transform, threshold, ' +
      'mqtt-out, debug) and the edges between them. Generated from the zod schemas in nodes/ ' +
      'by `npm run schema`. Topic syntax, JSONata expressions and broker references are ' +
      'checked only by `topicflow validate`.',
    ...(rewriteRefs(rest, merged.renamed) as Record<string, Json>),
  };
  if (Object.keys(merged.defs).length > 0) document['$defs'] = merged.defs;
  return document;
}

/**
 * zod emits one `$defs` entry per recursive schema instance, and every `z.json()` in a node
 * definition is its own instance: the file would carry the same "any JSON value" definition
 * six times as `__schema0`…`__schema5`. Definitions that are equal up to their own name are
 * merged into one, and the JSON-value one gets a name a reader understands.
 */
function mergeDefinitions(defs: Record<string, Json>): { defs: Record<string, Json>; renamed: Map<string, string> } {
  const jsonShape = selfShape(z.toJSONSchema(z.json(), { target: 'draft-2020-12' }) as Record<string, Json>, '#');
  const renamed = new Map<string, string>();
  const byShape = new Map<string, string>();
  for (const [name, def] of Object.entries(defs)) {
    const shape = selfShape(def, `#/$defs/${name}`);
    const existing = byShape.get(shape);
    if (existing) {
      renamed.set(name, existing);
      continue;
    }
    const newName = shape === jsonShape && !byShape.has(jsonShape) ? 'jsonValue' : name;
    byShape.set(shape, newName);
    renamed.set(name, newName);
  }
  const out: Record<string, Json> = {};
  for (const [name, def] of Object.entries(defs)) {
    const newName = renamed.get(name)!;
    if (!(newName in out)) out[newName] = rewriteRefs(def, renamed);
  }
  return { defs: out, renamed };
}

/** A definition's text with references to itself made anonymous, for comparing definitions. */
function selfShape(def: Json, selfRef: string): string {
  const { $schema: _ignored, ...body } = (def ?? {}) as Record<string, Json>;
  return JSON.stringify(body, (key, value: Json) => (key === '$ref' && value === selfRef ? '#self' : value));
}

/** A deep copy with every `#/$defs/<old>` reference pointing at its merged name. */
function rewriteRefs(value: Json, renamed: ReadonlyMap<string, string>): Json {
  if (Array.isArray(value)) return value.map((item) => rewriteRefs(item, renamed));
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, Json> = {};
  for (const [key, item] of Object.entries(value)) {
    if (key === '$ref' && typeof item === 'string' && item.startsWith('#/$defs/')) {
      const name = item.slice('#/$defs/'.length);
      out[key] = `#/$defs/${renamed.get(name) ?? name}`;
    } else {
      out[key] = rewriteRefs(item, renamed);
    }
  }
  return out;
}
