/**
 * How the flow store lays out its files: revision ids and file names, the JSON text of a
 * saved flow, and the document kept in memory as that text until someone reads it.
 */
import { createHash } from 'node:crypto';
import { deepFreeze } from '../../nodes/document/json-value.ts';

export const REVISION_NAME = /^(\d{8,})-([0-9a-f]{12})\.json$/;

/**
 * The id of a revision: 12 hex digits of sha256 over the previous rev, the sequence number
 * and the document's JSON text. Chaining the previous rev makes saving the same document
 * twice give two revs, so a client's If-Match can never confuse them.
 */
export function revisionId(previousRev: string | undefined, seq: number, content: string): string {
  return createHash('sha256').update(`${previousRev ?? ''}\n${seq}\n${content}`).digest('hex').slice(0, 12);
}

export function revisionFileName(seq: number, rev: string): string {
  return `${String(seq).padStart(8, '0')}-${rev}.json`;
}

/**
 * A JSON object of `fields` with the document's already-serialized text added last, so a
 * large document is turned into text once per save rather than once per file.
 */
export function withDocument(fields: object, content: string): string {
  return `${JSON.stringify(fields).slice(0, -1)},"document":${content}}`;
}

export function nodeCountOf(document: unknown): number {
  const nodes = (document as { nodes?: unknown } | null)?.nodes;
  return Array.isArray(nodes) ? nodes.length : 0;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A saved document, kept as its JSON text and parsed (deep-frozen) only when someone reads
 * it: a deploy's reply must not wait for a parse of a document the caller already has.
 */
export class StoredDocument {
  #text: string | undefined;
  #value: unknown;

  private constructor(text: string | undefined, value: unknown) {
    this.#text = text;
    this.#value = value;
  }

  static fromText(text: string): StoredDocument {
    return new StoredDocument(text, undefined);
  }

  static fromValue(value: unknown): StoredDocument {
    return new StoredDocument(undefined, deepFreeze(value));
  }

  get value(): unknown {
    if (this.#text !== undefined) {
      this.#value = deepFreeze(JSON.parse(this.#text) as unknown);
      this.#text = undefined;
    }
    return this.#value;
  }
}
