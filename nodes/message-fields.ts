import { isUnavailable, type Message } from './message.ts';

const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * The text a template field stands for in a message: a capture (`room`), `topic`,
 * `sourceTopic`, `payload`, or a field inside the payload (`payload.state`). Undefined
 * when the message has no such field or its value is not a scalar.
 */
export function messageFieldText(msg: Message, field: string): string | undefined {
  if (Object.hasOwn(msg.captures, field)) return msg.captures[field];
  if (field === 'topic') return msg.topic;
  if (field === 'sourceTopic') return msg.sourceTopic;
  if (field !== 'payload' && !field.startsWith('payload.')) return undefined;
  let value: unknown = msg.payload;
  for (const key of field.split('.').slice(1)) {
    if (FORBIDDEN.has(key) || value === null || typeof value !== 'object' || !Object.hasOwn(value, key)) {
      return undefined;
    }
    value = (value as Record<string, unknown>)[key];
  }
  return scalarText(value);
}

function scalarText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'boolean') return String(value);
  if (value === null || value === undefined || isUnavailable(value)) return undefined;
  return JSON.stringify(value);
}
