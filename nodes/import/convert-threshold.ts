import type { ConvertContext } from './context.ts';
import { messageField } from './jsonata-js.ts';
import { text, type NrNode } from './node-red.ts';
import { ruleOperand, type NrRule } from './switch-rules.ts';

/**
 * The Node-RED way of writing an ON/OFF rule — a switch with two outputs, a change node on
 * each setting a fixed payload, often a filter (rbe) after them so only changes go out —
 * is what a topicflow threshold does in one node. Recognising the pattern gives the user
 * the node they would have drawn, and is the only faithful way to convert the filter:
 * topicflow has no node that remembers the last value, but a threshold remembers its state.
 */
export interface ThresholdPattern {
  readonly switchNode: NrNode;
  readonly changes: readonly [NrNode, NrNode];
  readonly filter?: NrNode;
  /** A transform `path` op picking the tested field, when the switch tests one. */
  readonly path?: string;
  readonly config: Record<string, unknown>;
  readonly differences: readonly string[];
}

type Rule = { readonly t: string; readonly x?: number; readonly y?: number };

/** The open end of a one-sided range: every finite number is inside. */
const LOWEST = -Number.MAX_VALUE;
const HIGHEST = Number.MAX_VALUE;

/** Find every switch that forms the pattern, by switch id. */
export function findThresholdPatterns(cx: ConvertContext, nodes: readonly NrNode[]): Map<string, ThresholdPattern> {
  const found = new Map<string, ThresholdPattern>();
  for (const node of nodes) {
    if (node.type !== 'switch' || !cx.graph.isActive(node.id)) continue;
    const pattern = match(cx, node);
    if (pattern) found.set(node.id, pattern);
  }
  return found;
}

function match(cx: ConvertContext, sw: NrNode): ThresholdPattern | undefined {
  const g = cx.graph;
  if (text(sw, 'propertyType', 'msg') !== 'msg') return undefined;
  const field = messageField(text(sw, 'property', 'payload'));
  if (!field || field.root !== 'payload') return undefined;
  const rules = readRules(sw['rules']);
  if (!rules || rules.length !== 2) return undefined;

  // Each output goes to its own change node, fed by nothing else, setting a fixed payload.
  const changes: NrNode[] = [];
  const values: unknown[] = [];
  for (const port of [0, 1]) {
    const targets = g.successors(sw.id, port);
    const change = targets.length === 1 ? g.byId.get(targets[0]!) : undefined;
    if (!change || change.type !== 'change' || g.predecessors(change.id).length !== 1) return undefined;
    const value = fixedPayload(change['rules']);
    if (value === undefined) return undefined;
    changes.push(change);
    values.push(value);
  }
  if (changes[0] === changes[1] || JSON.stringify(values[0]) === JSON.stringify(values[1])) return undefined;
  const after = [g.successors(changes[0]!.id), g.successors(changes[1]!.id)].map((t) => [...t].sort().join('\u0000'));
  if (after[0] !== after[1] || after[0] === '') return undefined;

  const targets = g.successors(changes[0]!.id);
  const candidate = targets.length === 1 ? g.byId.get(targets[0]!) : undefined;
  const filter = candidate?.type === 'rbe' && g.predecessors(candidate.id).length === 2 ? candidate : undefined;
  const onChange = filter ? filterMode(filter, values[0], values[1]) : undefined;

  const condition = conditionOf(rules[0]!, rules[1]!, Boolean(onChange));
  if (!condition) return undefined;
  const differences: string[] = [];
  const [on, off] = values;
  const config: Record<string, unknown> = { ...condition.config, on, off, emit: onChange ? 'change' : 'every' };
  if (onChange?.emitFirst === false) config['emitFirst'] = false;
  if (onChange?.every) config['emit'] = 'every';

  const otherwise = rules[1]!.t === 'else' ? ` and goes to "otherwise", which sends ${JSON.stringify(values[1])}` : '';
  differences.push(
    `a value that is not a number (a missing field, e.g. a Zigbee2MQTT message without it; null; text; true/false) is a node error or "unavailable" in topicflow and changes nothing; Node-RED compares it as JavaScript does (a missing field fails every rule${otherwise})`,
  );
  if (condition.band) {
    differences.push(
      `the first value between ${condition.band[0]} and ${condition.band[1]} sets the state ${JSON.stringify(off)} and sends it at once; Node-RED sends nothing until a value leaves that band`,
    );
  }
  if (filter && onChange) differences.push(...filterKeyDifferences(cx, sw, filter));
  return { switchNode: sw, changes: [changes[0]!, changes[1]!], ...(filter && onChange ? { filter } : {}), ...(field.path ? { path: field.path } : {}), config, differences };
}

function readRules(raw: unknown): Rule[] | undefined {
  if (!Array.isArray(raw)) return undefined;
  const out: Rule[] = [];
  for (const r of raw as NrRule[]) {
    if (r.t === 'else') {
      out.push({ t: 'else' });
      continue;
    }
    if (!['gt', 'gte', 'lt', 'lte', 'btwn'].includes(r.t)) return undefined;
    const x = ruleOperand(r.v, r.vt);
    const y = r.t === 'btwn' ? ruleOperand(r.v2, r.v2t) : undefined;
    if (!('constant' in x) || typeof x.constant !== 'number') return undefined;
    if (y && (!('constant' in y) || typeof y.constant !== 'number')) return undefined;
    out.push({ t: r.t, x: x.constant, ...(y && 'constant' in y ? { y: y.constant as number } : {}) });
  }
  return out;
}

/** The payload a change node sets when that is all it does and the value is a fixed one. */
function fixedPayload(raw: unknown): unknown {
  if (!Array.isArray(raw) || raw.length !== 1) return undefined;
  const rule = raw[0] as Record<string, unknown>;
  if (rule['t'] !== 'set' || rule['p'] !== 'payload' || (rule['pt'] ?? 'msg') !== 'msg') return undefined;
  const to = rule['to'] === undefined || rule['to'] === null ? '' : String(rule['to']);
  switch (rule['tot'] ?? 'str') {
    case 'str':
      return to;
    case 'num':
      return Number.isFinite(Number(to)) ? Number(to) : undefined;
    case 'bool':
      return /^true$/i.test(to);
    case 'json':
      try {
        const value: unknown = JSON.parse(to);
        // null would read as "unavailable" downstream; a threshold cannot send it.
        return value === null ? undefined : value;
      } catch {
        return undefined;
      }
    default:
      return undefined;
  }
}

/**
 * How a filter (rbe) behaves on two alternating fixed values: passing only changes (emit on
 * change), or every value, or something a threshold cannot do (undefined).
 */
function filterMode(filter: NrNode, a: unknown, b: unknown): { emitFirst: boolean; every?: boolean } | undefined {
  if (text(filter, 'property', 'payload') !== 'payload') return undefined;
  const func = text(filter, 'func', 'rbe');
  if (func === 'rbe') return { emitFirst: true };
  if (func === 'rbei') return { emitFirst: false };
  if (func !== 'deadband' && func !== 'deadbandEq') return undefined;
  const x = typeof a === 'number' ? a : parseFloat(String(a));
  const y = typeof b === 'number' ? b : parseFloat(String(b));
  if (Number.isNaN(x) || Number.isNaN(y)) return undefined;
  const gapText = text(filter, 'gap', '0');
  const percent = gapText.endsWith('%');
  const g = parseFloat(gapText) || 0;
  // The band is measured from the last value sent, in each direction; a switch must pass both ways.
  const gap = (from: number) => (percent ? Math.abs((from * g) / 100) : g);
  const passes = (diff: number, from: number) => (func === 'deadbandEq' ? diff >= gap(from) : diff > gap(from));
  const diff = Math.abs(x - y);
  if (!passes(diff, x) || !passes(diff, y)) return undefined;
  // A repeat differs by 0: it passes only a deadbandEq with a band of 0, i.e. every value.
  const repeats = passes(0, x) && passes(0, y);
  return repeats ? { emitFirst: true, every: true } : { emitFirst: true };
}

/**
 * The condition for rules [a → first value, b → second value]. `swap` means ON is the second
 * value. `band` is the dead band of a hysteresis pair (only sound with a change filter).
 */
function conditionOf(a: Rule, b: Rule, onChange: boolean): { config: Record<string, unknown>; band?: [number, number] } | undefined {
  const complement: Record<string, string> = { gt: 'lte', lte: 'gt', gte: 'lt', lt: 'gte' };
  const exhaustive = b.t === 'else' || (b.t === complement[a.t] && b.x === a.x);
  if (exhaustive) {
    // A threshold with "above X" keeps its state at exactly X (it switches OFF only below X);
    // Node-RED's rules decide X itself. "between" and "outside" have no such band: each value
    // is ON or OFF by itself, with both ends counted inside. So "> X" is "outside [lowest, X]".
    switch (a.t) {
      case 'gt':
        return { config: { outside: [LOWEST, a.x] } };
      case 'gte':
        return { config: { between: [a.x, HIGHEST] } };
      case 'lt':
        return { config: { outside: [a.x, HIGHEST] } };
      case 'lte':
        return { config: { between: [LOWEST, a.x] } };
      case 'btwn': {
        if (b.t !== 'else') return undefined;
        const low = Math.min(a.x!, a.y!);
        const high = Math.max(a.x!, a.y!);
        return low < high ? { config: { between: [low, high] } } : undefined;
      }
    }
    return undefined;
  }
  // Hysteresis written as two rules with a gap between them: nothing is sent inside the gap,
  // so only a filter that passes changes makes it the same as a threshold's held state.
  if (!onChange || a.x === undefined || b.x === undefined) return undefined;
  if (a.t === 'gt' && b.t === 'lt' && b.x < a.x) return { config: { above: a.x, hysteresis: bandWidth(a.x, b.x, (h) => a.x! - h === b.x) }, band: [b.x, a.x] };
  if (a.t === 'lt' && b.t === 'gt' && a.x < b.x) return { config: { below: a.x, hysteresis: bandWidth(b.x, a.x, (h) => a.x! + h === b.x) }, band: [a.x, b.x] };
  return undefined;
}

/**
 * The hysteresis between two limits, chosen so that the threshold's own arithmetic (limit ∓ h)
 * lands exactly on the other limit, as Node-RED's second rule does: 25 − 0.5 is 24.5, but
 * 0.3 − 0.2 is not 0.1 (it is 0.09999999999999998), so there the unrounded difference is used.
 */
function bandWidth(high: number, low: number, exact: (h: number) => boolean): number {
  // The shortest that is exact, for a config a person can read; the raw difference otherwise.
  const candidates = [Number((high - low).toPrecision(12)), Number((high - low).toPrecision(15)), high - low];
  return candidates.find(exact) ?? high - low;
}

/** A filter keeps its memory per msg.topic; a threshold per source topic. Say when that can differ. */
function filterKeyDifferences(cx: ConvertContext, sw: NrNode, filter: NrNode): string[] {
  const origins = cx.graph.origins(sw.id);
  const single = origins.length === 1 && origins[0]!.type === 'mqtt in' && !/[+#]/.test(text(origins[0]!, 'topic'));
  if (single) return [];
  const septopics = filter['septopics'] !== false;
  const rewrites = cx.graph.ancestors(sw.id).some((n) => n.type === 'change' && JSON.stringify(n['rules'] ?? []).includes('"p":"topic"'));
  if (!septopics) return ['Node-RED\'s filter compared all topics together ("apply to all topics" off); the threshold keeps each source topic apart'];
  if (rewrites) return ['Node-RED\'s filter keeps its memory per msg.topic, which a change node upstream rewrites; the threshold keeps it per topic the message arrived on'];
  return [];
}
