import type { ConvertContext } from './context.ts';
import { withHelpers } from './jsonata-js.ts';

/**
 * Transform ops that let a message through only when a condition holds. topicflow has no
 * filter op: a transform always passes each message on. What it does have is "unavailable":
 * a value that mqtt-out never publishes, threshold ignores, and every transform op except a
 * fixed `set` carries along unchanged. So a message that fails the condition leaves as
 * unavailable, and one that passes keeps its value:
 *
 * - `text` form, when only mqtt-out / debug / fixed values follow: `cond ? $ : null`, then a
 *   `{payload}` template — it turns null into unavailable and any other value into its text,
 *   which mqtt-out publishes byte for byte as Node-RED would publish the value itself.
 * - `typed` form, when later nodes need the value as it was (an object to pick from): the
 *   value is wrapped as `{"v": …}` so the template writes it as exact JSON, and `$eval` reads
 *   it back unchanged.
 */
export type FilterForm = 'text' | 'typed';

/** The ops of a filter; `value` is the JSONata of what passes (default: the payload itself). */
export function filterOps(test: string, bindings: readonly string[], form: FilterForm, value = '$'): Record<string, unknown>[] {
  if (form === 'text') {
    return [
      { op: 'expr', expr: withHelpers(`${test} ? ${value} : null`, bindings) },
      { op: 'template', target: 'payload', template: '{payload}' },
    ];
  }
  return [
    { op: 'expr', expr: withHelpers(`${test} ? {"v": ${value}} : null`, bindings) },
    { op: 'template', target: 'payload', template: '{payload}' },
    { op: 'expr', expr: '$eval($).v' },
  ];
}

/** The sentence every filter's report carries. */
export const FILTER_DIFFERENCE =
  'messages a rule does not pass continue as "unavailable" (topicflow has no filter op): mqtt-out does not publish them and threshold ignores them, but a debug node shows them';

/**
 * The form a filter on `port` of `nodeId` can use: `text` when every node it feeds only
 * publishes, shows, or replaces the payload with a fixed value — none of them can tell
 * `26` from `"26"` on the wire.
 */
export function filterForm(cx: ConvertContext, nodeId: string, port: number): FilterForm {
  const targets = cx.graph.successors(nodeId, port).map((id) => cx.graph.byId.get(id)!);
  const textSafe = targets.every((t) => {
    if (t.type === 'mqtt out') return true;
    if (t.type === 'debug') return true;
    if (t.type === 'change') return fixedValuesOnly(t['rules']);
    return false;
  });
  return textSafe && targets.length > 0 ? 'text' : 'typed';
}

/** True when a change node replaces the payload with a constant and sets nothing but constants. */
export function fixedValuesOnly(rules: unknown): boolean {
  if (!Array.isArray(rules) || rules.length === 0) return false;
  // Setting only the topic would pass the (text) payload on to nodes that may need its type.
  if (!rules.some((r: unknown) => typeof r === 'object' && r !== null && (r as Record<string, unknown>)['p'] === 'payload')) return false;
  return rules.every((r: unknown) => {
    if (typeof r !== 'object' || r === null) return false;
    const rule = r as Record<string, unknown>;
    const pt = rule['pt'] ?? 'msg';
    const tot = rule['tot'] ?? 'str';
    return rule['t'] === 'set' && pt === 'msg' && (rule['p'] === 'payload' || rule['p'] === 'topic') && ['str', 'num', 'bool', 'json', 'date'].includes(String(tot));
  });
}

/** True when a node is a filter topicflow expresses with unavailable values (see filterOps). */
export function isFilterNode(node: { type: string; [k: string]: unknown }): boolean {
  if (node.type === 'switch') return true;
  return node.type === 'range' && node['action'] === 'drop';
}

