/**
 * GET /api/examples and GET /api/examples/<file> on the real server: the editor's import
 * dialog ("Examples") lists every flow shipped in flows/ with its title, description and the
 * devices it expects, and loads one by its file name. Nothing outside flows/ (package.json,
 * the JSON Schema) can be read through it.
 */
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import type { ExampleInfo } from '../../../nodes/protocol.ts';
import { validateDocument } from '../../../nodes/document/validate.ts';
import { startTestServer, type TestServer } from '../../support/test-server.ts';

const FLOWS_DIR = fileURLToPath(new URL('../../../flows/', import.meta.url));
const SCHEMA_NAME = 'topicflow.schema.json';

interface ExampleFile {
  file: string;
  text: string;
  doc: { name?: string; description?: string; devices?: string[]; nodes: unknown[] };
}

async function exampleFiles(): Promise<ExampleFile[]> {
  const names = (await readdir(FLOWS_DIR)).filter((f) => f.endsWith('.json') && f !== SCHEMA_NAME).sort();
  return Promise.all(
    names.map(async (file) => {
      const text = await readFile(join(FLOWS_DIR, file), 'utf8');
      return { file, text, doc: JSON.parse(text) as ExampleFile['doc'] };
    }),
  );
}

describe('examples API', () => {
  let t: TestServer;
  let files: ExampleFile[];
  before(async () => {
    files = await exampleFiles();
    t = await startTestServer();
  });
  after(async () => {
    await t?.close();
  });

  it('flows/ holds at least 10 examples (issue 5: the examples library)', () => {
    assert.ok(files.length >= 10, `only ${files.length} example flows in flows/`);
  });

  it('GET /api/examples lists every example in flows/ with its name, description and devices', async () => {
    const reply = await t.api('/api/examples');
    assert.equal(reply.status, 200, reply.text);
    assert.match(String(reply.headers['content-type']), /^application\/json/);
    const listed = reply.json<ExampleInfo[]>();
    assert.deepEqual(
      listed.map((e) => e.file),
      files.map((f) => f.file),
      'every flows/*.json except the schema, sorted by file name',
    );
    for (const [i, { file, doc }] of files.entries()) {
      const info = listed[i]!;
      assert.deepEqual(
        info,
        { file, name: doc.name, description: doc.description, devices: doc.devices, nodeCount: doc.nodes.length },
        `the entry of ${file}`,
      );
      // What the import dialog shows: a real title, a description and the devices to have.
      assert.ok(info.name.trim() !== '' && info.name !== file, `${file} has no title (name)`);
      assert.ok(info.description.length >= 80, `${file}: the description is missing or too short to say what the flow does`);
      assert.ok(info.devices.length > 0, `${file} lists no devices`);
      for (const device of info.devices) assert.ok(device.trim().length > 3, `${file} lists an empty device: ${JSON.stringify(device)}`);
    }
    const titles = listed.map((e) => e.name);
    assert.equal(new Set(titles).size, titles.length, `two examples share a title: ${titles.join(', ')}`);
  });

  it('GET /api/examples/<file> returns that document, as stored and valid', async () => {
    for (const { file, text } of files) {
      const reply = await t.api(`/api/examples/${file}`);
      assert.equal(reply.status, 200, `${file}: ${reply.text}`);
      assert.match(String(reply.headers['content-type']), /^application\/json/, file);
      assert.equal(reply.text, text, `${file} is sent as it is in flows/`);
      const result = validateDocument(reply.json());
      assert.deepEqual([result.errors, result.warnings], [[], []], `${file} is not a clean flow`);
    }
  });

  it('refuses the schema, files outside flows/ and unknown names with 404', async () => {
    const refused = [
      SCHEMA_NAME,
      '..%2Fpackage.json',
      '..%2F..%2Fpackage.json',
      '%2E%2E%2Fpackage.json',
      '..%5Cpackage.json',
      '../package.json',
      'package.json',
      'no-such-flow.json',
      'zigbee-temperature-fan',
      'Zigbee-Temperature-Fan.json',
      'zigbee-temperature-fan.json%00.txt',
      '.json',
    ];
    for (const name of refused) {
      const reply = await t.api(`/api/examples/${name}`);
      assert.equal(reply.status, 404, `${name}: ${reply.status} ${reply.text.slice(0, 200)}`);
      assert.equal(reply.json<{ error: { code: string } }>().error.code, 'not-found', name);
      assert.doesNotMatch(reply.text, /"dependencies"|"\$schema"|"format"/, `${name} leaked a file`);
    }
  });
});
