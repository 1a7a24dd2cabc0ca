/**
 * The published JSON Schema stays in step with the zod schemas, and every example flow in
 * flows/ is valid — including files added later, since the list is read from the folder.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import { SCHEMA_ID, documentJsonSchema } from '../../../nodes/document/json-schema.ts';
import { publishedDocumentSchema } from '../../../nodes/document/schema.ts';
import { validateDocument } from '../../../nodes/document/validate.ts';
import { nodeDefinitions } from '../../../nodes/registry.ts';
import { SCHEMA_FILE, schemaFileText } from '../../../server/tools/write-schema.ts';

const FLOWS_DIR = fileURLToPath(new URL('../../../flows/', import.meta.url));
const SCHEMA_NAME = 'topicflow.schema.json';
const STALE = `flows/${SCHEMA_NAME} is out of date with the zod schemas in nodes/: run \`npm run schema\``;

describe('published JSON Schema', () => {
  test('flows/topicflow.schema.json is up to date', () => {
    const onDisk = readFileSync(SCHEMA_FILE, 'utf8');
    // Compare the parsed objects first: on a change, the diff names the field that moved.
    assert.deepEqual(JSON.parse(onDisk), documentJsonSchema(), STALE);
    assert.equal(onDisk, schemaFileText(), `${STALE} (the content matches, the formatting does not)`);
    assert.equal(SCHEMA_FILE, join(FLOWS_DIR, SCHEMA_NAME));
  });

  test('is the same on every call', () => {
    assert.equal(JSON.stringify(documentJsonSchema()), JSON.stringify(documentJsonSchema()));
  });

  test('says what it is', () => {
    const schema = documentJsonSchema();
    assert.equal(schema['$id'], SCHEMA_ID);
    assert.equal(schema['$schema'], 'https://json-schema.org/draft/2020-12/schema');
    assert.match(String(schema['title']), /topicflow\/1/);
    assert.equal(typeof schema['description'], 'string');
  });

  test('has one "any JSON value" definition, not one per z.json() in the node types', () => {
    const text = JSON.stringify(documentJsonSchema());
    assert.deepEqual(Object.keys(documentJsonSchema()['$defs'] as object), ['jsonValue']);
    assert.doesNotMatch(text, /__schema\d/);
    // Every reference points at a definition that exists.
    for (const [, name] of text.matchAll(/"\$ref":"#\/\$defs\/([^"]+)"/g)) assert.equal(name, 'jsonValue');
  });

  test('lists every node type with its config', () => {
    const schema = documentJsonSchema() as { properties: { nodes: { items: { oneOf: { properties: { type: { const: string } } }[] } } } };
    const types = schema.properties.nodes.items.oneOf.map((variant) => variant.properties.type.const);
    assert.deepEqual(types, nodeDefinitions.map((d) => d.type));
  });
});

const flowFiles = readdirSync(FLOWS_DIR)
  .filter((name) => name.endsWith('.json') && name !== SCHEMA_NAME)
  .sort();

describe('flow files in flows/', () => {
  test('there is at least one example flow', () => {
    assert.ok(flowFiles.length > 0, 'flows/ holds no example flow');
  });

  for (const name of flowFiles) {
    test(`${name} is a valid flow`, () => {
      const input: unknown = JSON.parse(readFileSync(join(FLOWS_DIR, name), 'utf8'));
      const result = validateDocument(input);
      assert.deepEqual(result.errors, [], `flows/${name} has errors`);
      assert.equal(result.ok, true);
      // The JSON Schema is generated from this schema; a file the validator accepts but this
      // one refuses would get red squiggles in an editor that checks it against the schema.
      const published = publishedDocumentSchema(nodeDefinitions).safeParse(input);
      assert.ok(published.success, `flows/${name} fails the published schema: ${published.error?.message}`);
    });
  }
});
