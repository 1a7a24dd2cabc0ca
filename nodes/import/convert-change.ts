import { replaceExpr, ruleValue, setField, valueExpr } from './change-values.ts';
import type { Scope } from './context.ts';
import { jsonataPath, literal, messageField } from './jsonata-js.ts';

type Op = Record<string, unknown>;

/** A change-node rule as Node-RED exports it. */
interface ChangeRule {
  t?: string;
  p?: string;
  pt?: string;
  to?: unknown;
  tot?: string;
  from?: unknown;
  fromt?: string;
}

/**
 * A `change` node becomes one transform whose ops apply its rules in order. Setting the
 * payload or topic to a constant, a copied field, a timestamp or a JSONata result, search
 * and replace, deleting or moving fields of the payload are converted; rules on flow/global
 * context are not (placeholder). Rules on message properties other than payload and topic
 * are left out with a stated difference: topicflow messages do not carry them.
 */
export function convertChange(s: Scope): void {
  const rules = readRules(s.node);
  // A fixed `set` op would turn a message a filter upstream marked "unavailable" back into a
  // real value; a JSONata literal carries "unavailable" through like every other op.
  const keepUnavailable = s.cx.filtered.has(s.node.id);
  const ops: Op[] = [];
  for (const [i, rule] of rules.entries()) {
    const n = `rule ${i + 1}`;
    if ((rule.pt ?? 'msg') !== 'msg') return s.unsupported(`${n} changes ${rule.pt} context, which topicflow flows do not have`);
    const problem = convertRule(s, rule, n, ops, keepUnavailable);
    if (problem) return s.unsupported(problem);
  }
  if (ops.length === 0) {
    return s.done({ kind: 'through' }, 'nothing left to do in topicflow: messages pass straight on');
  }
  const id = s.add('transform', { ops });
  s.done({ kind: 'nodes', entry: [id], exits: [[id]] }, `transform ${id} with ${ops.length} op(s)`);
}

/** Append the ops of one rule; returns why it cannot be converted, if it cannot. */
function convertRule(s: Scope, rule: ChangeRule, n: string, ops: Op[], keepUnavailable: boolean): string | undefined {
  const property = rule.p ?? '';
  const field = messageField(property);
  const t = rule.t ?? 'set';
  if (!field) {
    s.differ(`${n} (${t} msg.${property}) is left out: topicflow messages carry only payload and topic`);
    return undefined;
  }
  if (t === 'set') {
    // Exports from before typed values wrote "msg.x" for "copy msg.x".
    const legacyCopy = rule.tot === undefined && typeof rule.to === 'string' && rule.to.startsWith('msg.');
    const value = legacyCopy ? ruleValue(String(rule.to).slice(4), 'msg') : ruleValue(rule.to, rule.tot);
    if (value.kind === 'unsupported') return `${n} cannot be converted: ${value.reason}`;
    if (value.kind === 'expr') value.differences.forEach((d) => s.differ(d));
    if (field.root === 'topic') return setTopic(s, value, n, ops);
    if (field.segments.length > 0) {
      ops.push({ op: 'expr', expr: setField(field.segments, valueExpr(value)) });
    } else if (value.kind === 'constant') {
      ops.push(keepUnavailable ? { op: 'expr', expr: literal(value.value) } : { op: 'set', target: 'payload', value: value.value });
    } else if (value.kind === 'path') {
      ops.push({ op: 'path', path: value.path });
      s.differ(`${n}: a message without ${value.path} is a node error in topicflow (Node-RED would go on with an undefined payload)`);
    } else if (value.expr !== '$') {
      ops.push({ op: 'expr', expr: value.expr });
    }
    return undefined;
  }
  if (t === 'change') {
    if (field.root !== 'payload' || field.segments.length > 0) return `${n} searches and replaces in msg.${property}; only the payload itself can be converted`;
    const replaced = replaceExpr(rule.from, rule.fromt, ruleValue(rule.to, rule.tot));
    if ('unsupported' in replaced) return `${n} cannot be converted: ${replaced.unsupported}`;
    ops.push({ op: 'expr', expr: replaced.expr });
    return undefined;
  }
  if (t === 'delete') {
    if (field.root === 'topic') {
      s.differ(`${n} deletes msg.topic: topicflow messages always have a topic, so it stays`);
      return undefined;
    }
    if (field.segments.length === 0) return `${n} deletes the payload, which a topicflow message cannot be without`;
    const parent = field.segments.slice(0, -1);
    const key = field.segments[field.segments.length - 1]!;
    ops.push({ op: 'expr', expr: `$ ~> |${parent.length ? jsonataPath(parent) : '$'}|{}, [${literal(key)}]|` });
    return undefined;
  }
  if (t === 'move') {
    const to = messageField(String(rule.to ?? ''));
    if (field.root === 'payload' && field.path && to?.root === 'payload' && to.segments.length === 0) {
      ops.push({ op: 'path', path: field.path });
      s.differ(`${n}: a message without ${field.path} is a node error in topicflow`);
      return undefined;
    }
    if (field.root === 'topic' && to?.root === 'payload' && to.segments.length === 0) {
      ops.push({ op: 'expr', expr: '$topic' });
      s.differ(`${n} moves the topic into the payload; the message keeps its topic in topicflow`);
      return undefined;
    }
    return `${n} moves msg.${property} to msg.${String(rule.to)}, which cannot be converted`;
  }
  return `${n} has the unknown action "${t}"`;
}

/**
 * Set the topic. A constant is a `set` op; a computed topic needs three ops, because only a
 * template can write the topic: the payload and the new topic travel together as
 * `{"p": …, "t": …}`, the template takes the topic from `t`, and `path` restores `p`.
 */
function setTopic(s: Scope, value: ReturnType<typeof ruleValue>, n: string, ops: Op[]): string | undefined {
  if (value.kind === 'unsupported') return `${n} cannot be converted: ${value.reason}`;
  if (value.kind === 'constant') {
    const topic = typeof value.value === 'string' ? value.value : JSON.stringify(value.value);
    if (topic === '') {
      s.differ(`${n} sets an empty topic, which topicflow does not allow; the topic stays as it was`);
      return undefined;
    }
    ops.push({ op: 'set', target: 'topic', value: topic });
    return undefined;
  }
  ops.push(
    { op: 'expr', expr: `{"p": $, "t": ${value.expr}}` },
    { op: 'template', target: 'topic', template: '{payload.t}' },
    { op: 'path', path: 'p' },
  );
  s.differ(`${n} computes the topic: a message whose new topic is missing is a node error in topicflow`);
  return undefined;
}

/** The rules of a change node, including the single-rule form of very old exports. */
function readRules(node: Scope['node']): ChangeRule[] {
  if (Array.isArray(node['rules'])) return node['rules'] as ChangeRule[];
  const action = typeof node['action'] === 'string' ? node['action'] : 'set';
  return [{ t: action === 'replace' ? 'set' : action, p: String(node['property'] ?? ''), to: node['to'], from: node['from'] }];
}
