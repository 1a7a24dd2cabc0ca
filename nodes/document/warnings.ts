import { isPublicTestBroker } from '../broker.ts';
import type { NodeDefinition } from '../define-node.ts';
import type { Problem } from '../errors.ts';
import { parseTemplate } from '../template.ts';
import { levelsOverlap } from '../topic/cover.ts';
import { parseNamedFilter, splitSharedSubscription, validateTopicFilter } from '../topic/filter.ts';
import type { FlowDocument, FlowNode } from './schema.ts';

/**
 * Things that are allowed but rarely meant: nodes wired to nothing, an mqtt-out that
 * publishes where an mqtt-in of the same broker listens (a feedback loop), loops in the
 * graph, broker entries nothing uses, and public test brokers anyone can write to.
 */
export function documentWarnings(doc: FlowDocument, definitions: ReadonlyMap<string, NodeDefinition>): Problem[] {
  const warnings: Problem[] = [];
  const outgoing = new Map<string, string[]>();
  const hasIncoming = new Set<string>();
  for (const e of doc.edges) {
    const list = outgoing.get(e.source);
    if (list) list.push(e.target);
    else outgoing.set(e.source, [e.target]);
    hasIncoming.add(e.target);
  }

  for (let i = 0; i < doc.nodes.length; i++) {
    const node = doc.nodes[i]!;
    const def = definitions.get(node.type);
    if (!def) continue;
    const noIn = def.inputs > 0 && !hasIncoming.has(node.id);
    const noOut = def.outputs > 0 && !outgoing.has(node.id);
    if (noIn || noOut) {
      const what = noIn && noOut ? 'is not wired' : noIn ? 'has nothing wired to its input' : 'has nothing wired to its output';
      warnings.push({ code: 'node.unwired', nodeId: node.id, path: `nodes[${i}]`, message: `${node.type} "${label(node)}" ${what}` });
    }
  }

  warnings.push(...feedbackLoops(doc, outgoing));
  warnings.push(...graphCycles(doc, outgoing));

  const usedBrokers = new Set<unknown>();
  for (const n of doc.nodes) {
    for (const field of definitions.get(n.type)?.brokerFields ?? []) usedBrokers.add(n.config[field]);
  }
  doc.brokers.forEach((b, i) => {
    if (!usedBrokers.has(b.id)) {
      warnings.push({ code: 'broker.unused', brokerId: b.id, path: `brokers[${i}]`, message: `broker "${b.id}" is not used by any node` });
    }
    if (isPublicTestBroker(b.url)) {
      warnings.push({
        code: 'broker.public',
        brokerId: b.id,
        path: `brokers[${i}].url`,
        message: `broker "${b.id}" is a public test broker (${b.url}): anyone can read these messages and switch your devices`,
      });
    }
  });
  return warnings;
}

function feedbackLoops(doc: FlowDocument, outgoing: Map<string, string[]>): Problem[] {
  // Each mqtt-in filter is parsed once, and filed by its first level: a literal first level
  // can only overlap a pattern with the same first level or a wildcard one. So a document of
  // 1,000 independent rules costs 1,000 look-ups, not 1,000,000 filter comparisons.
  type In = { node: FlowNode; levels: readonly string[] };
  const byFirst = new Map<string, In[]>();
  const wildFirst: In[] = [];
  const all: In[] = [];
  for (const node of doc.nodes) {
    if (node.type !== 'mqtt-in') continue;
    const levels = remembered(filterLevelsOf, node.config, filterLevels);
    if (!levels) continue;
    const entry = { node, levels };
    all.push(entry);
    const first = entry.levels[0]!;
    if (first === '+' || first === '#') wildFirst.push(entry);
    else (byFirst.get(first) ?? byFirst.set(first, []).get(first)!).push(entry);
  }
  const problems: Problem[] = [];
  doc.nodes.forEach((out, i) => {
    if (out.type !== 'mqtt-out') return;
    const levels = remembered(patternLevelsOf, out.config, patternLevels);
    if (!levels) return;
    const first = levels[0]!;
    const candidates = first === '+' || first === '#' ? all : [...(byFirst.get(first) ?? []), ...wildFirst];
    for (const { node: input, levels: inLevels } of candidates) {
      if (input.config.broker !== out.config.broker) continue;
      if (!levelsOverlap(inLevels, levels)) continue;
      const downstream = reachable(input.id, outgoing).has(out.id);
      problems.push({
        code: 'flow.feedback-loop',
        nodeId: out.id,
        path: `nodes[${i}].config.topic`,
        message: downstream
          ? `mqtt-out "${label(out)}" publishes on "${out.config.topic}", which its own source mqtt-in "${label(input)}" (${input.config.topic}) receives: every message will come back in a loop`
          : `mqtt-out "${label(out)}" publishes on "${out.config.topic}", which mqtt-in "${label(input)}" (${input.config.topic}) also receives`,
      });
    }
  });
  return problems;
}

/**
 * The parsed topics of frozen configs. The incremental validator hands every deploy that
 * leaves a node alone the same deep-frozen config, whose topic therefore cannot change:
 * parsing it once saves most of the cost of these warnings for a large document.
 */
const filterLevelsOf = new WeakMap<object, readonly string[] | null>();
const patternLevelsOf = new WeakMap<object, readonly string[] | null>();

function remembered(
  cache: WeakMap<object, readonly string[] | null>,
  config: Record<string, unknown>,
  compute: (topic: string) => readonly string[] | null,
): readonly string[] | null {
  if (!Object.isFrozen(config)) return compute(String(config['topic']));
  let levels = cache.get(config);
  if (levels === undefined) cache.set(config, (levels = compute(String(config['topic']))));
  return levels;
}

/** The levels of an mqtt-in's filter as the broker sees it, or null when it does not parse. */
function filterLevels(topic: string): string[] | null {
  const parsed = parseNamedFilter(topic);
  return parsed.ok ? parsed.filter.brokerFilter.split('/') : null;
}

function patternLevels(template: string): string[] | null {
  return publishPattern(template)?.split('/') ?? null;
}

/** The topics an mqtt-out template can publish on, as a filter: each templated level becomes `+`. */
function publishPattern(template: string): string | undefined {
  let pattern: string;
  try {
    const parts = parseTemplate(template);
    // A field may expand to several levels (a #rest capture), so a level with a field may be anything.
    // NUL marks a field: the mqtt-out schema refuses it in the text, so no literal text can pose as one.
    const marked = parts.map((p) => ('text' in p ? p.text : '\u0000')).join('');
    pattern = marked.split('/').map((level) => (level.includes('\u0000') ? '+' : level)).join('/');
  } catch {
    return undefined;
  }
  // The mqtt-out schema only refuses wildcards, so the text may still be something no broker
  // accepts (a control character, `$share/…`, over 65535 bytes). Nothing can loop through such
  // a topic, and filtersOverlap throws on it, which would make validation itself crash.
  if (validateTopicFilter(pattern) !== undefined || splitSharedSubscription(pattern)) return undefined;
  return pattern;
}

const NO_TARGETS: readonly string[] = [];

function graphCycles(doc: FlowDocument, outgoing: Map<string, string[]>): Problem[] {
  const state = new Map<string, 1 | 2>();
  const problems: Problem[] = [];
  const reported = new Set<string>();
  // Iterative DFS: a deep chain of 10,000 nodes must not overflow the stack here either.
  for (const start of doc.nodes) {
    if (state.has(start.id)) continue;
    const first = outgoing.get(start.id);
    if (!first) {
      state.set(start.id, 2);
      continue;
    }
    const stack: { id: string; targets: readonly string[]; next: number }[] = [{ id: start.id, targets: first, next: 0 }];
    state.set(start.id, 1);
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const targets = top.targets;
      if (top.next >= targets.length) {
        state.set(top.id, 2);
        stack.pop();
        continue;
      }
      const target = targets[top.next++]!;
      const seen = state.get(target);
      if (seen === 1 && !reported.has(target)) {
        reported.add(target);
        const cycle = stack.slice(stack.findIndex((f) => f.id === target)).map((f) => f.id);
        problems.push({
          code: 'flow.cycle',
          nodeId: target,
          message: `nodes ${[...cycle, target].join(' → ')} form a loop; a message going round it is stopped after 1000 hops`,
        });
      } else if (seen === undefined) {
        state.set(target, 1);
        stack.push({ id: target, targets: outgoing.get(target) ?? NO_TARGETS, next: 0 });
      }
    }
  }
  return problems;
}

function reachable(from: string, outgoing: Map<string, string[]>): Set<string> {
  const seen = new Set<string>([from]);
  const queue = [from];
  while (queue.length > 0) {
    for (const next of outgoing.get(queue.pop()!) ?? []) {
      if (!seen.has(next)) {
        seen.add(next);
        queue.push(next);
      }
    }
  }
  return seen;
}

function label(node: FlowNode): string {
  return node.name ? `${node.name}` : node.id;
}
