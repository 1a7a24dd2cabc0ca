import jsonata from 'jsonata';

/**
 * JSONata for the expr op. JSONata runs no JavaScript and reaches nothing outside its input,
 * so a flow file that carries an expression still cannot run code.
 */

/** Bounds on one evaluation, so one bad expression cannot hang or flood the runtime. */
export interface ExpressionLimits {
  /** Wall-clock milliseconds one evaluation may take. */
  readonly timeoutMs: number;
  /** Deepest nesting of evaluation steps (runaway recursion). */
  readonly maxDepth: number;
  /** Longest sequence an evaluation may build (`[1..100000000]`). */
  readonly maxSequence: number;
}

/**
 * The default bounds. JSONata checks its timeout at every evaluation step (its `timeout`
 * option); the check is cooperative, so one long built-in call — a pathological regex — is
 * not interrupted. Because an evaluation is a chain of microtasks, it holds the event loop for
 * as long as it runs: the timeout is therefore also the longest pause one message can cause.
 */
export const DEFAULT_LIMITS: ExpressionLimits = { timeoutMs: 1000, maxDepth: 1000, maxSequence: 100_000 };

/** An expression's value as plain data, or why there is none. */
export type ExprOutcome = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: string };

/** A compiled expression; evaluate one message at a time (the runtime queues them). */
export interface CompiledExpression {
  evaluate(input: unknown, bindings: Readonly<Record<string, unknown>>): Promise<ExprOutcome>;
}

/**
 * Compile JSONata text once; throws an Error with JSONata's own explanation and position when
 * the text is not a valid expression (the config schema turns that into a validation issue).
 */
export function compileExpression(text: string, limits: ExpressionLimits = DEFAULT_LIMITS): CompiledExpression {
  let expression: jsonata.Expression;
  try {
    expression = jsonata(text, { timeout: limits.timeoutMs, stack: limits.maxDepth, sequence: limits.maxSequence });
  } catch (error) {
    throw new Error(`JSONata: ${jsonataMessage(error)}`);
  }
  return {
    async evaluate(input, bindings) {
      let result: unknown;
      try {
        result = await expression.evaluate(input, bindings);
      } catch (error) {
        return { ok: false, error: `expression failed: ${jsonataMessage(error)}` };
      }
      return toPlainValue(result);
    },
  };
}

/** JSONata throws plain objects `{ code, position, message }`, not Errors. */
function jsonataMessage(error: unknown): string {
  if (typeof error === 'object' && error !== null && 'message' in error) {
    const { message, position } = error as { message: unknown; position?: unknown };
    const where = typeof position === 'number' && position > 0 ? ` (near character ${position})` : '';
    return `${String(message)}${where}`;
  }
  return String(error);
}

/**
 * JSONata's results carry its own bookkeeping (a `sequence` flag on arrays, function
 * objects); a message must hold plain data, so copy the result into plain arrays and objects.
 */
function toPlainValue(result: unknown): ExprOutcome {
  if (result === undefined) return { ok: false, error: 'expression gave no value' };
  const found: { fn: boolean } = { fn: false };
  const value = plain(result, 0, found);
  if (found.fn) return { ok: false, error: 'expression gave a function, not a value' };
  return { ok: true, value };
}

// Payloads are at most a few levels deep; past this the value is passed on as it is.
const MAX_COPY_DEPTH = 200;

function plain(value: unknown, depth: number, found: { fn: boolean }): unknown {
  if (typeof value === 'function') {
    found.fn = true;
    return undefined;
  }
  if (typeof value !== 'object' || value === null || depth > MAX_COPY_DEPTH) return value;
  if ('_jsonata_function' in value || '_jsonata_lambda' in value) {
    found.fn = true;
    return undefined;
  }
  if (Array.isArray(value)) return value.map((item: unknown) => plain(item, depth + 1, found));
  // JSONata builds objects without a prototype; downstream code expects ordinary objects.
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return value;
  // fromEntries defines own fields, so a `__proto__` key stays a field.
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v, depth + 1, found)]));
}
