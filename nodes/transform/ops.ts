import { UNAVAILABLE, type Message } from '../message.ts';
import { describe, parseNumericText, readNumber } from '../value.ts';
import { parseTemplate, renderTemplate, type TemplatePart } from '../template.ts';
import type { TransformConfig, TransformOp } from './definition.ts';
import { compileExpression, DEFAULT_LIMITS, type ExpressionLimits } from './expr.ts';
import { convertUnit, roundHalfAwayFromZero, tidy } from './numeric.ts';
import { parsePath, readPath } from './path.ts';

/**
 * The transform's logic, free of any runtime: each op is a function from a message to a new
 * message or a reason it cannot handle it. Messages are never changed in place.
 */

/** A transformed message, or a sentence saying why the message could not be transformed. */
export type OpResult = { readonly ok: true; readonly msg: Message } | { readonly ok: false; readonly error: string };

/** Ops that finish at once return a result; only `expr` (JSONata) returns a promise. */
export type Transform = (msg: Message) => OpResult | Promise<OpResult>;

type Step = (msg: Message) => OpResult | Promise<OpResult>;

/**
 * Compile a validated config into one function. Paths, templates and JSONata are parsed here,
 * once per node creation, never per message. The function runs synchronously until it meets
 * an `expr` op, so a transform without one never waits.
 */
export function compileOps(config: TransformConfig, limits: ExpressionLimits = DEFAULT_LIMITS): Transform {
  const steps = config.ops.map((op) => compileStep(op, limits));
  // With several ops, saying which one failed saves the user guessing.
  const label = (i: number, error: string): string =>
    steps.length > 1 ? `step ${i + 1} (${config.ops[i]!.op}): ${error}` : error;

  const runFrom = (start: number, msg: Message): OpResult | Promise<OpResult> => {
    let current = msg;
    for (let i = start; i < steps.length; i++) {
      const result = steps[i]!(current);
      if (result instanceof Promise) {
        return result.then((r) => (r.ok ? runFrom(i + 1, r.msg) : { ok: false, error: label(i, r.error) }));
      }
      if (!result.ok) return { ok: false, error: label(i, result.error) };
      current = result.msg;
    }
    return { ok: true, msg: current };
  };
  // One op, the usual case: its own result is the transform's (no step label to add).
  if (steps.length === 1) return steps[0]!;
  return (msg) => runFrom(0, msg);
}

function compileStep(op: TransformOp, limits: ExpressionLimits): Step {
  switch (op.op) {
    case 'path': {
      const segments = parsePath(op.path);
      const only = segments.length === 1 ? segments[0]! : undefined;
      return (msg) => {
        const payload = msg.payload;
        if (payload === UNAVAILABLE) return ok(msg, UNAVAILABLE);
        // One field of a plain object (the usual device report), read in place: what readPath
        // gives for it, without its result object and segment array.
        if (only !== undefined && typeof payload === 'object' && payload !== null && !Array.isArray(payload) && !(payload instanceof Uint8Array) && Object.hasOwn(payload, only)) {
          const value = (payload as Record<string, unknown>)[only];
          return ok(msg, value === null || value === undefined ? UNAVAILABLE : value);
        }
        const read = readPath(payload, segments);
        return read.ok ? ok(msg, read.value) : read;
      };
    }
    case 'number':
      return (msg) => {
        const reading = readNumber(msg.payload);
        return reading.kind === 'invalid' ? fail(reading.reason) : ok(msg, reading.value);
      };
    case 'scale':
      return numeric('scale', (x) => tidy(x * op.factor + op.offset));
    case 'round':
      return numeric('round', (x) => roundHalfAwayFromZero(x, op.decimals));
    case 'convert':
      return numeric('convert', (x) => convertUnit(x, op.from, op.to));
    case 'expr':
      return exprStep(op.expr, limits);
    case 'set':
      return setStep(op.target, op.value);
    case 'template':
      return templateStep(op.target, parseTemplate(op.template));
  }
}

function ok(msg: Message, payload: unknown): OpResult {
  return { ok: true, msg: { ...msg, payload } };
}

function fail(error: string): OpResult {
  return { ok: false, error };
}

/** An op on numbers: UNAVAILABLE passes through; anything but a number is refused. */
function numeric(name: string, apply: (x: number) => number): Step {
  return (msg) => {
    const value = msg.payload;
    if (value === UNAVAILABLE) return ok(msg, UNAVAILABLE);
    if (typeof value === 'number') {
      const result = apply(value);
      return Number.isFinite(result) ? ok(msg, result) : fail(`${name} of ${value} is out of range`);
    }
    // Numeric text is the common mistake (Zigbee2MQTT's "100.00"): point at the fix.
    if (typeof value === 'string' && parseNumericText(value) !== undefined) {
      return fail(`${name} needs a number, got the text ${describe(value)}; add a "number" op before it`);
    }
    return fail(`${name} needs a number, got ${describe(value)}`);
  };
}

function exprStep(text: string, limits: ExpressionLimits): Step {
  const expression = compileExpression(text, limits);
  return async (msg) => {
    // There is nothing to compute from "no reading"; downstream nodes count it.
    if (msg.payload === UNAVAILABLE) return ok(msg, UNAVAILABLE);
    const outcome = await expression.evaluate(msg.payload, {
      topic: msg.topic,
      sourceTopic: msg.sourceTopic,
      captures: msg.captures,
    });
    return outcome.ok ? ok(msg, outcome.value) : outcome;
  };
}

function setStep(target: 'payload' | 'topic', value: unknown): Step {
  // Frozen so that no node downstream can change the value every later message shares.
  const shared = deepFreeze(structuredClone(value));
  if (target === 'topic') return (msg) => ({ ok: true, msg: { ...msg, topic: String(shared) } });
  return (msg) => ok(msg, shared);
}

/** Why a template field could not be filled. */
type FieldValue = { readonly text: string } | { readonly unavailable: true } | undefined;

function templateStep(target: 'payload' | 'topic', parts: readonly TemplatePart[]): Step {
  return (msg) => {
    let unavailableField: string | undefined;
    const rendered = renderTemplate(parts, (field) => {
      const found = lookupField(msg, field);
      if (found === undefined) return undefined;
      if ('unavailable' in found) {
        unavailableField ??= field;
        return '';
      }
      return found.text;
    });
    if (!rendered.ok) {
      const captures = Object.keys(msg.captures);
      const known = captures.length ? `captures: ${captures.join(', ')}; ` : '';
      return fail(`template field {${rendered.missing}} has no value (${known}also payload, payload.<field>, topic)`);
    }
    if (unavailableField !== undefined) {
      // Text built from "no reading" would look like a real value downstream.
      if (target === 'payload') return ok(msg, UNAVAILABLE);
      return fail(`template field {${unavailableField}} is unavailable, so there is no topic to send to`);
    }
    if (target === 'topic') {
      if (rendered.value === '') return fail('the template gave an empty topic');
      return { ok: true, msg: { ...msg, topic: rendered.value } };
    }
    return ok(msg, rendered.value);
  };
}

/** Captures first (the names a user gave in the topic filter), then payload, payload.x, topic. */
function lookupField(msg: Message, field: string): FieldValue {
  if (Object.hasOwn(msg.captures, field)) return { text: msg.captures[field]! };
  if (field === 'topic') return { text: msg.topic };
  if (field === 'payload') return fieldText(msg.payload);
  if (field.startsWith('payload.')) {
    const read = readPath(msg.payload, field.slice('payload.'.length).split('.'));
    return read.ok ? fieldText(read.value) : undefined;
  }
  return undefined;
}

function fieldText(value: unknown): FieldValue {
  if (value === UNAVAILABLE || value === null || value === undefined) return { unavailable: true };
  if (typeof value === 'string') return { text: value };
  if (value instanceof Uint8Array) return { text: `${value.length} bytes` };
  if (typeof value === 'object') return { text: JSON.stringify(value) };
  return { text: String(value) };
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const item of Object.values(value)) deepFreeze(item);
  }
  return value;
}
