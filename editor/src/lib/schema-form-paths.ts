/**
 * Suggestions for a transform's `path` field: the payload that reaches the op (the last one
 * seen on the topic of the mqtt-in feeding it, through the ops before it) and its numeric
 * fields as `path = value`. Also the seen topics an mqtt-in filter matches.
 */
import { parsePayload, PAYLOAD_MODES, type PayloadMode } from '../../../nodes/payload.ts';
import type { SeenTopic } from '../../../nodes/protocol.ts';
import { parseNamedFilter, topicMatchesFilter } from '../../../nodes/topic/index.ts';
import { formatPath, parsePath, readPath } from '../../../nodes/transform/path.ts';
import { parseNumericText } from '../../../nodes/value.ts';

export interface PathSuggestion {
  path: string;
  value: number | string;
}

/** Every numeric leaf of a payload (numbers and numeric text) with its path, in document order. */
export function numericLeaves(payload: unknown, limit = 200): PathSuggestion[] {
  const out: PathSuggestion[] = [];
  const walk = (value: unknown, segments: string[], depth: number) => {
    if (out.length >= limit || depth > 20) return;
    if (typeof value === 'number' && Number.isFinite(value) && segments.length > 0) out.push({ path: formatPath(segments), value });
    else if (typeof value === 'string' && segments.length > 0 && parseNumericText(value) !== undefined) out.push({ path: formatPath(segments), value });
    else if (Array.isArray(value)) value.forEach((item, i) => walk(item, [...segments, String(i)], depth + 1));
    else if (value !== null && typeof value === 'object' && !(value instanceof Uint8Array)) {
      for (const [key, item] of Object.entries(value)) walk(item, [...segments, key], depth + 1);
    }
  };
  walk(payload, [], 0);
  return out;
}

/** The seen topics an mqtt-in filter (named wildcards allowed) matches on a broker, newest first. */
export function topicsMatching(filter: string, broker: string | undefined, topics: readonly SeenTopic[]): SeenTopic[] {
  const parsed = parseNamedFilter(filter);
  if (!parsed.ok) return [];
  return topics
    .filter((t) => (broker === undefined || t.broker === broker) && topicMatchesFilter(parsed.filter.brokerFilter, t.topic))
    .sort((a, b) => b.lastSeen.localeCompare(a.lastSeen));
}

/** Topics in code-point order, so `a/b` sorts before `a_b` whatever the locale. */
function byTopic(a: SeenTopic, b: SeenTopic): number {
  return a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : 0;
}

/**
 * The topics to offer: what a typed filter matches, else those containing the typed text.
 * Before the user types (`typed` false) every topic is offered, those the field's filter
 * matches first.
 */
export function suggestTopics(text: string, mode: 'filter' | 'name', broker: string | undefined, topics: readonly SeenTopic[], typed = true): SeenTopic[] {
  const onBroker = topics.filter((t) => !broker || t.broker === broker);
  const trimmed = text.trim();
  if (!typed) {
    const matching = new Set(mode === 'filter' && trimmed ? topicsMatching(trimmed, broker, onBroker) : []);
    return [...onBroker].sort((a, b) => Number(matching.has(b)) - Number(matching.has(a)) || byTopic(a, b));
  }
  if (mode === 'filter' && /[+#]/.test(trimmed) && parseNamedFilter(trimmed).ok) {
    return topicsMatching(trimmed, broker, onBroker).sort(byTopic);
  }
  const needle = trimmed.toLowerCase();
  const hits = needle ? onBroker.filter((t) => t.topic.toLowerCase().includes(needle)) : [...onBroker];
  return hits.sort(byTopic);
}

/** A seen payload as the mqtt-in node would parse it; undefined for binary or unparseable data. */
export function parseSeenPayload(seen: SeenTopic, mode: unknown = 'auto'): unknown {
  if (seen.binary) return undefined;
  const payloadMode: PayloadMode = PAYLOAD_MODES.includes(mode as PayloadMode) ? (mode as PayloadMode) : 'auto';
  const result = parsePayload(new TextEncoder().encode(seen.payload), payloadMode);
  return result.ok ? result.value : undefined;
}

export interface GraphNode {
  id: string;
  data: { type: string; config: Record<string, unknown> };
}

export interface Sample {
  /** The topic the sample was seen on (or the inject node's topic). */
  topic: string;
  payload: unknown;
}

/**
 * The payload that reaches op `opIndex` of transform `nodeId`: found by walking edges back to
 * an mqtt-in (its newest matching seen topic) or an inject node (its payload), through the
 * ops of transforms on the way. Undefined when nothing was seen or an op on the way (scale,
 * expr…) makes the shape unknowable here.
 */
export function sampleBeforeOp(
  nodeId: string,
  opIndex: number,
  nodes: readonly GraphNode[],
  edges: readonly { source: string; target: string }[],
  topics: readonly SeenTopic[],
): Sample | undefined {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const inputOf = (id: string, visited: Set<string>): Sample | undefined => {
    for (const edge of edges) {
      if (edge.target !== id || visited.has(edge.source)) continue;
      const source = byId.get(edge.source);
      if (!source) continue;
      const sample = outputOf(source, new Set([...visited, source.id]));
      if (sample) return sample;
    }
    return undefined;
  };
  const outputOf = (node: GraphNode, visited: Set<string>): Sample | undefined => {
    const config = node.data.config;
    switch (node.data.type) {
      case 'mqtt-in': {
        const seen = topicsMatching(String(config['topic'] ?? ''), typeof config['broker'] === 'string' ? config['broker'] : undefined, topics)[0];
        if (!seen) return undefined;
        const payload = parseSeenPayload(seen, config['payload']);
        return payload === undefined ? undefined : { topic: seen.topic, payload };
      }
      case 'inject':
        return { topic: String(config['topic'] ?? ''), payload: config['payload'] };
      case 'transform': {
        const input = inputOf(node.id, visited);
        const ops = Array.isArray(config['ops']) ? (config['ops'] as unknown[]) : [];
        return input && applyOps(input, ops);
      }
      default:
        return undefined;
    }
  };
  const node = byId.get(nodeId);
  if (!node) return undefined;
  const input = inputOf(nodeId, new Set([nodeId]));
  const ops = Array.isArray(node.data.config['ops']) ? (node.data.config['ops'] as unknown[]) : [];
  return input && applyOps(input, ops.slice(0, Math.max(0, opIndex)));
}

/** Follow the ops whose effect on the payload's shape is known without running them. */
function applyOps(sample: Sample, ops: readonly unknown[]): Sample | undefined {
  let payload = sample.payload;
  for (const raw of ops) {
    const op = (raw ?? {}) as Record<string, unknown>;
    if (op['op'] === 'path') {
      let segments: string[];
      try {
        segments = parsePath(String(op['path'] ?? ''));
      } catch {
        return undefined;
      }
      const read = readPath(payload, segments);
      if (!read.ok) return undefined;
      payload = read.value;
    } else if ((op['op'] === 'set' || op['op'] === 'template') && op['target'] === 'topic') {
      continue;
    } else if (op['op'] === 'set') {
      payload = op['value'];
    } else {
      return undefined;
    }
  }
  return { topic: sample.topic, payload };
}
