/**
 * Zod issues as messages under form fields, and as the problems the canvas outlines nodes
 * with. Paths are dotted with list indexes as numbers: `ops.1.path`, `between.0`; an issue
 * about the whole config has the path ''.
 */
import type { z } from 'zod';
import type { NodeDefinition } from '../../../nodes/define-node.ts';
import type { Problem } from '../../../nodes/errors.ts';
import type { ChoiceField, FieldDescriptor } from './schema-form.ts';

/** Messages by dotted field path; each list has no repeats, most specific first. */
export type FieldErrors = Record<string, string[]>;

type Issue = z.core.$ZodIssue;

/** `['ops', 1, 'path']` → `ops.1.path`. */
export function issuePath(path: readonly PropertyKey[]): string {
  return path.map(String).join('.');
}

/**
 * Messages by field. Issues about the whole config go to the choice group when the form has
 * one (threshold: "Set one of above, below…" belongs under the condition select).
 */
export function fieldErrors(issues: readonly Issue[], form: readonly FieldDescriptor[] = []): FieldErrors {
  const out: FieldErrors = {};
  const choice = form.find((f): f is ChoiceField => f.kind === 'choice');
  for (const issue of issues) {
    let path = issuePath(issue.path);
    if (path === '' && choice) path = choice.key;
    const list = (out[path] ??= []);
    const message = friendlyMessage(issue);
    if (!list.includes(message)) list.push(message);
  }
  return out;
}

/** Messages for `path` and everything inside it (a tuple shows `between` and `between.0`). */
export function errorsUnder(errors: FieldErrors, path: string): string[] {
  const out: string[] = [];
  for (const [key, messages] of Object.entries(errors)) {
    if (key === path || key.startsWith(`${path}.`)) for (const m of messages) if (!out.includes(m)) out.push(m);
  }
  return out;
}

/**
 * The issue's message, or a plain sentence where zod's generic one would show ("Invalid input:
 * expected number, received string" → "enter a number"). Messages a schema wrote stay as written.
 */
export function friendlyMessage(issue: Issue): string {
  const generic = /^(Invalid input|Invalid discriminator|Too small|Too big|Invalid option|Invalid string)/.test(issue.message);
  if (!generic) return issue.message;
  switch (issue.code) {
    case 'invalid_type': {
      if (/received undefined$/.test(issue.message)) return 'required';
      const expected = issue.expected;
      if (expected === 'number' || expected === 'int') return 'enter a number';
      if (expected === 'boolean') return 'must be true or false';
      if (expected === 'string') return 'enter text';
      return `must be ${expected === 'array' ? 'a list' : `a${/^[aeiou]/.test(expected) ? 'n' : ''} ${expected}`}`;
    }
    case 'too_small':
      if (issue.origin === 'number') return issue.inclusive === false ? `must be more than ${String(issue.minimum)}` : `must be at least ${String(issue.minimum)}`;
      if (issue.origin === 'string') return Number(issue.minimum) <= 1 ? 'must not be empty' : `must be at least ${String(issue.minimum)} characters`;
      if (issue.origin === 'array') return `needs at least ${String(issue.minimum)} item${Number(issue.minimum) === 1 ? '' : 's'}`;
      return issue.message;
    case 'too_big':
      if (issue.origin === 'number') return issue.inclusive === false ? `must be less than ${String(issue.maximum)}` : `must be at most ${String(issue.maximum)}`;
      if (issue.origin === 'string') return `must be at most ${String(issue.maximum)} characters`;
      return issue.message;
    case 'invalid_value':
      return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'invalid_format':
      return issue.format === 'regex' ? 'has characters that are not allowed here' : issue.message;
    case 'invalid_union':
      return issue.path.at(-1) === 'op' ? 'choose a step type' : 'is not a value this field takes';
    default:
      return issue.message;
  }
}

/** Problem codes the editor's own check produces; they replace the server's for that node. */
export const LOCAL_PROBLEM_CODES: ReadonlySet<string> = new Set(['config.invalid', 'config.unknown-broker']);

/**
 * The problems of a node's config as the server's validator would report them: each issue of
 * its schema, and each broker field naming no broker of the document. `index` places the
 * problem path (`nodes[3].config.topic`) like the server's.
 */
export function configProblems(
  def: NodeDefinition,
  nodeId: string,
  index: number,
  config: unknown,
  brokerIds: ReadonlySet<string>,
): Problem[] {
  const at = `nodes[${index}].config`;
  const problems: Problem[] = [];
  const parsed = def.config.safeParse(config);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = issuePath(issue.path);
      problems.push({ code: 'config.invalid', nodeId, path: field ? `${at}.${field}` : at, message: `${field || 'config'}: ${friendlyMessage(issue)}` });
    }
  }
  const values = (config ?? {}) as Record<string, unknown>;
  for (const field of def.brokerFields ?? []) {
    const ref = values[field];
    if (typeof ref === 'string' && ref !== '' && !brokerIds.has(ref)) {
      problems.push({ code: 'config.unknown-broker', nodeId, path: `${at}.${field}`, message: `${field}: there is no broker "${ref}" in this document` });
    }
  }
  return problems;
}

/** Results of {@link configProblems} by config object (configs are replaced, never changed in place). */
const checkedConfigs = new WeakMap<object, { nodeId: string; index: number; brokerIds: ReadonlySet<string>; problems: readonly Problem[] }>();

/**
 * {@link configProblems}, remembered per config object and broker set (the same Set object while
 * the brokers do not change, see node-derived.ts `brokerIdSet`): the canvas nodes and the live
 * validation check each config once, not once each (with a thousand nodes, the schema checks
 * were a tenth of the load). `index` undefined: the caller does not use the paths, any will do.
 * The result is shared: copy it before changing it.
 */
export function configProblemsCached(
  def: NodeDefinition,
  nodeId: string,
  index: number | undefined,
  config: unknown,
  brokerIds: ReadonlySet<string>,
): readonly Problem[] {
  if (config === null || typeof config !== 'object') return configProblems(def, nodeId, index ?? 0, config, brokerIds);
  const hit = checkedConfigs.get(config);
  if (hit && hit.nodeId === nodeId && hit.brokerIds === brokerIds && (index === undefined || hit.index === index)) return hit.problems;
  const problems = configProblems(def, nodeId, index ?? 0, config, brokerIds);
  checkedConfigs.set(config, { nodeId, index: index ?? 0, brokerIds, problems });
  return problems;
}

/** Keep a node's problems that are not the editor's own (edges, ids), and add `local`. */
export function mergeProblems(existing: readonly Problem[] | undefined, local: readonly Problem[]): Problem[] {
  return [...(existing ?? []).filter((p) => !LOCAL_PROBLEM_CODES.has(p.code)), ...local];
}
