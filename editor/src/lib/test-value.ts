/** Reading what a person types as a test message for a node. Pure. */

/** Typed text as a payload: JSON (numbers, true/false, objects…) when it parses, else the text. */
export function parseTestPayload(text: string): unknown {
  const trimmed = text.trim();
  if (trimmed === '') return '';
  try {
    return JSON.parse(trimmed) as unknown;
  } catch {
    // Not JSON: plain text such as ON, open or hello, sent as typed.
    return text;
  }
}

/** A topic that matches `filter`: each `+name`/`+` level becomes the capture's name (or "test"), `#` becomes "test". */
export function sampleTopic(filter: string): string {
  const plain = filter.replace(/^\$share\/[^/]+\//, '');
  return plain
    .split('/')
    .map((level) => (level === '#' || level === '+' ? 'test' : level.startsWith('+') ? level.slice(1) : level))
    .join('/');
}
