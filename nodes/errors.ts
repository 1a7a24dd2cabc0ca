/**
 * Errors say who must act: the user (bad input), the operator (a broker down, a disk
 * full), or us (a bug). The HTTP layer and the CLI map each class to its own answer.
 */
export interface Problem {
  /** Stable machine-readable code, e.g. `config.invalid` or `edge.unknown-target`. */
  readonly code: string;
  readonly message: string;
  readonly nodeId?: string;
  readonly brokerId?: string;
  /** Dotted path of the field inside the document, e.g. `nodes[3].config.topic`. */
  readonly path?: string;
}

export class UserInputError extends Error {
  override readonly name = 'UserInputError';
  constructor(message: string, readonly problems: readonly Problem[] = []) {
    super(message);
  }
}

export class OperationalError extends Error {
  override readonly name = 'OperationalError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** Anything thrown, as an Error: strings and odd values become an Error with their text. */
export function ensureError(value: unknown): Error {
  if (value instanceof Error) return value;
  let text: string;
  try {
    text = typeof value === 'string' ? value : JSON.stringify(value);
  } catch {
    text = String(value);
  }
  return new Error(text ?? String(value));
}
