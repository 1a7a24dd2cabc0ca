import type { Scope } from './context.ts';
import { FILTER_DIFFERENCE, filterForm, filterOps } from './filter-ops.ts';
import { checkNodeRedExpression, messageField, onMessage } from './jsonata-js.ts';
import { text } from './node-red.ts';
import { portCondition, ruleCondition, type NrRule } from './switch-rules.ts';

/** Vertical distance between the transforms that stand for a switch's outputs. */
const PORT_SPACING = 50;

/**
 * A `switch` that is not part of an ON/OFF pattern (see convert-threshold.ts): one transform
 * per wired output, each letting through exactly the messages Node-RED sends to that output.
 * "Stop after first match" and "check all rules" are both kept: with the first, an output
 * gets a message only when no earlier rule matched.
 */
export function convertSwitch(s: Scope): void {
  const node = s.node;
  const property = switchProperty(s);
  if ('unsupported' in property) return s.unsupported(property.unsupported);

  const rules = Array.isArray(node['rules']) ? (node['rules'] as NrRule[]) : [];
  const conditions: (string | 'else')[] = [];
  for (const [i, rule] of rules.entries()) {
    if (rule.t === 'else') {
      conditions.push('else');
      continue;
    }
    const result = ruleCondition(rule);
    if (!result.ok) return s.unsupported(`rule ${i + 1} cannot be converted: ${result.reason}`);
    result.differences.forEach((d) => s.differ(d));
    conditions.push(result.cond);
  }
  if (s.node['repair'] === true) s.differ('"recreate message sequences" has no meaning in topicflow (there are no sequences)');

  // Node-RED's default is "check all rules"; only the text "false" stops at the first match.
  const stopAtFirst = text(node, 'checkall', 'true') === 'false';
  const wires = node.wires ?? [];
  const exits: string[][] = [];
  let wired = 0;
  for (let port = 0; port < conditions.length; port++) {
    if (s.cx.graph.successors(node.id, port).length === 0) {
      exits.push([]);
      continue;
    }
    const { bindings, test } = portCondition(conditions, port, stopAtFirst);
    const ops = filterOps(test, [...property.bindings, ...bindings], filterForm(s.cx, node.id, port));
    const id = s.add('transform', { ops }, { suffix: `out${port + 1}`, name: `${node.name || 'switch'} → ${port + 1}`, dy: wired * PORT_SPACING });
    exits.push([id]);
    wired++;
  }
  for (let port = conditions.length; port < wires.length; port++) exits.push([]);
  if (wired === 0) return s.done({ kind: 'nodes', entry: [], exits }, 'no output is wired, so nothing was added');
  s.differ(FILTER_DIFFERENCE);
  const entry = exits.flat();
  s.done({ kind: 'nodes', entry, exits }, `${wired} transform(s), one per wired output (${entry.join(', ')})`);
}

/** The JSONata binding `$v := …` for the property a switch tests. */
function switchProperty(s: Scope): { bindings: string[] } | { unsupported: string } {
  const type = text(s.node, 'propertyType', 'msg');
  const property = text(s.node, 'property', 'payload');
  if (type === 'msg') {
    const field = messageField(property);
    if (!field) return { unsupported: `it tests msg.${property}; topicflow messages carry only payload and topic` };
    return { bindings: [`$v := ${field.jsonata}`] };
  }
  if (type === 'jsonata') {
    const check = checkNodeRedExpression(property);
    if (check.unsupported) return { unsupported: check.unsupported };
    check.differences.forEach((d) => s.differ(d));
    return { bindings: [`$v := ${onMessage(check.expression)}`] };
  }
  return { unsupported: `it tests a ${type} value (flow/global context or environment), which topicflow flows cannot read` };
}
