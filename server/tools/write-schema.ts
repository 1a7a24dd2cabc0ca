/**
 * `npm run schema`: writes the JSON Schema of the flow format to flows/topicflow.schema.json.
 * Run it after changing a node's config schema; a test fails while the file is out of date.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { documentJsonSchema } from '../../nodes/document/json-schema.ts';

/** The path of the published schema file; the freshness test reads the same path. */
export const SCHEMA_FILE = fileURLToPath(new URL('../../flows/topicflow.schema.json', import.meta.url));

/** The exact bytes the schema file must hold: 2-space JSON and a trailing newline. */
export function schemaFileText(): string {
  return `${JSON.stringify(documentJsonSchema(), null, 2)}\n`;
}

// Only write when run as a script, so the test can import SCHEMA_FILE and schemaFileText.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(SCHEMA_FILE, schemaFileText());
  console.log(`wrote ${SCHEMA_FILE}`);
}
