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
export function revisionId(previousRev: string | undefined, seq: number, content: string | Uint8Array): string {
  // Two updates hash the same bytes as one of the joined text, without copying the document.
  return createHash('sha256').update(`${previousRev ?? ''}\n${seq}\n`).update(content).digest('hex').slice(0, 12);
}

export function revisionFileName(seq: number, rev: string): string {
  return `${String(seq).padStart(8, '0')}-${rev}.json`;
}

/**
 * A JSON object of `fields` with the document's already-serialized text (or its UTF-8
 * bytes) added last, so a large document is never turned into text for the file again.
 */
export function withDocument(fields: object, content: string): string;
export function withDocument(fields: object, content: string | Uint8Array): string | Buffer;
export function withDocument(fields: object, content: string | Uint8Array): string | Buffer {
  const head = `${JSON.stringify(fields).slice(0, -1)},"document":`;
  if (typeof content === 'string') return `${head}${content}}`;
  return Buffer.concat([Buffer.from(head), content, Buffer.from('}')]);
}

/** The UTF-8 JSON text `text` without a byte order mark (which JSON.parse refuses, and a body parser drops). */
export function withoutBom(text: Uint8Array): Uint8Array {
  return text[0] === 0xef && text[1] === 0xbb && text[2] === 0xbf ? text.subarray(3) : text;
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
  #text: string | Uint8Array | undefined;
  #value: unknown;

  private constructor(text: string | Uint8Array | undefined, value: unknown) {
    this.#text = text;
    this.#value = value;
  }

  /** From JSON text, or its UTF-8 bytes. */
  static fromText(text: string | Uint8Array): StoredDocument {
    return new StoredDocument(text, undefined);
  }

  static fromValue(value: unknown): StoredDocument {
    return new StoredDocument(undefined, deepFreeze(value));
  }

  get value(): unknown {
    if (this.#text !== undefined) {
      const text = typeof this.#text === 'string' ? this.#text : Buffer.from(this.#text.buffer, this.#text.byteOffset, this.#text.byteLength).toString('utf8');
      this.#value = deepFreeze(JSON.parse(text) as unknown);
      this.#text = undefined;
    }
    return this.#value;
  }
}
