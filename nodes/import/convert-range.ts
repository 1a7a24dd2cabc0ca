import { setField } from './change-values.ts';
import type { Scope } from './context.ts';
import { FILTER_DIFFERENCE, filterForm, filterOps } from './filter-ops.ts';
import { messageField, withHelpers } from './jsonata-js.ts';
import { flag, text } from './node-red.ts';

/**
 * A `range` node becomes a transform with one JSONata expression that does Node-RED's
 * arithmetic step by step in the same order — `(n − minIn) / (maxIn − minIn) × (maxOut −
 * minOut) + minOut` — so results match to the last bit (a `scale` op with a precomputed
 * factor would round differently). Clamp and wrap ("roll") come first, as in Node-RED;
 * "drop" lets only in-range values through (a filter, see filter-ops.ts); "round" is
 * JavaScript's Math.round, i.e. halves upward.
 */
export function convertRange(s: Scope): void {
  const node = s.node;
  const field = messageField(text(node, 'property', 'payload'));
  if (!field || field.root !== 'payload') return s.unsupported(`it scales msg.${text(node, 'property')}; only the payload can be converted`);
  let [minin, maxin, minout, maxout] = ['minin', 'maxin', 'minout', 'maxout'].map((k) => Number(text(node, k, 'NaN')));
  if (![minin, maxin, minout, maxout].every((v) => Number.isFinite(v))) return s.unsupported('one of its input or output bounds is not a number');
  // Node-RED swaps both ranges when the input range is given upside down.
  if (minin! > maxin!) [minin, maxin, minout, maxout] = [maxin, minin, maxout, minout];
  const round = flag(node, 'round');
  if (round) [minout, maxout] = [Math.ceil(minout!), Math.floor(maxout!)];
  if (minin === maxin) return s.unsupported('its input range is empty (minimum = maximum), so Node-RED divides by zero');

  const action = text(node, 'action', 'scale');
  const steps: string[] = [`$n := $jsNum(${field.jsonata})`];
  if (action === 'clamp') steps.push(`$n := $n < ${minin} ? ${minin} : $n > ${maxin} ? ${maxin} : $n`);
  if (action === 'roll') steps.push(`$d := ${maxin} - ${minin}`, `$n := (($n - ${minin}) % $d + $d) % $d + ${minin}`);
  const scaled = `($n - ${minin}) / (${maxin} - ${minin}) * (${maxout} - ${minout}) + ${minout}`;
  const result = round ? `$floor(${scaled} + 0.5)` : scaled;
  // A missing field passes unchanged in Node-RED; a value that is not a number is dropped.
  const value = field.segments.length > 0 ? setField(field.segments, result) : result;
  const exists = field.segments.length > 0 ? `$exists(${field.jsonata})` : 'true';

  let ops: Record<string, unknown>[];
  if (action === 'drop') {
    const test = `(${exists} ? ($type($n) = "number" and $n >= ${minin} and $n <= ${maxin}) : true)`;
    ops = filterOps(test, steps, filterForm(s.cx, node.id, 0), `(${exists} ? ${value} : $)`);
    s.differ(FILTER_DIFFERENCE);
  } else {
    ops = [{ op: 'expr', expr: withHelpers(exists === 'true' ? value : `${exists} ? ${value} : $`, steps) }];
  }
  s.differ('a value that is not a number is a node error in topicflow (Node-RED only logs it); in both nothing is sent');
  const id = s.add('transform', { ops });
  const what = { scale: 'scales', clamp: 'clamps and scales', roll: 'wraps and scales', drop: 'drops values outside the input range and scales' }[action] ?? 'scales';
  s.done({ kind: 'nodes', entry: [id], exits: [[id]] }, `transform ${id}: ${what} ${minin}…${maxin} to ${minout}…${maxout}${round ? ', rounded' : ''}`);
}
