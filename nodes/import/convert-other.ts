import type { Scope } from './context.ts';
import { text } from './node-red.ts';

/**
 * The Node-RED nodes that become no node of their own: links and junctions (plain wires),
 * comments (added to the tab's description), groups, and everything topicflow cannot run
 * (placeholders, or for config nodes a line in the report).
 */

/** `link in`, `link out` (link mode) and `junction`: their wires become direct edges. */
export function convertWire(s: Scope): void {
  const node = s.node;
  if (node.type === 'link out' && node['mode'] === 'return') {
    return s.unsupported('it returns to a "link call", which topicflow does not have');
  }
  if (node.type === 'link out') {
    const links = Array.isArray(node['links']) ? (node['links'] as unknown[]).filter((l): l is string => typeof l === 'string') : [];
    const missing = links.filter((l) => !s.cx.graph.byId.has(l));
    if (missing.length > 0) s.differ(`it links to ${missing.join(', ')}, which ${missing.length === 1 ? 'is' : 'are'} not in this export: that wire is left out`);
    const across = links.filter((l) => s.cx.graph.byId.get(l)?.z !== node.z && s.cx.graph.byId.has(l));
    if (across.length > 0) return s.done({ kind: 'through' }, 'becomes edges straight to the nodes behind its link in, on another flow tab');
  }
  s.done({ kind: 'through' }, 'becomes direct edges between the nodes it connected');
}

/** A comment's text is kept in the description of its flow tab. */
export function convertComment(s: Scope): void {
  const tab = s.cx.flows.find((f) => f.id === s.node.z);
  const body = [s.node.name, text(s.node, 'info')].filter((t) => t && t.trim() !== '').join(': ');
  if (!tab || body === '') return s.listed('changed', 'comments are not kept as nodes; this one was empty or not on a tab', { differences: ['the comment is gone'] });
  tab.description = tab.description ? `${tab.description}\n\n${body}` : body;
  s.listed('changed', `its text is added to the description of flow tab "${tab.label}"`, { differences: ['topicflow has no comment nodes'] });
}

/** Groups only draw a box around nodes; the nodes themselves are converted. */
export function convertGroup(s: Scope): void {
  s.listed('changed', 'groups are not kept; the nodes in it are', { differences: ['the box around the nodes is gone'] });
}

/** Node types whose job topicflow does another way, and what to tell the user. */
const OTHER_REASONS: Record<string, string> = {
  catch: 'topicflow shows every node error in the editor and the log; there is no catch node to route them',
  status: 'topicflow shows node status in the editor; there is no status node to route it',
  complete: 'there is no "complete" event to route in topicflow',
  rbe: 'topicflow has no node that passes a value on only when it changed; a threshold does this for ON/OFF decisions (used when the filter follows a switch that sets fixed values)',
  'link call': 'topicflow has no link calls',
  delay: 'topicflow has no delay or rate-limit node (a threshold\'s "for" delays a switch)',
  trigger: 'topicflow has no trigger node (a threshold\'s "for"/"forOff" delays cover switching after a time)',
  template: 'topicflow has no mustache template node; a transform "template" op fills {fields} in text',
  exec: 'topicflow never runs programs from a flow file',
  subflow: 'subflows are not converted',
};

/** A flow node topicflow cannot run: a placeholder keeps it, and its wiring, in the document. */
export function convertUnknown(s: Scope): void {
  const type = s.node.type;
  if (type.startsWith('subflow:')) return s.unsupported('subflows are not converted: open the subflow in Node-RED and import its nodes instead');
  s.unsupported(OTHER_REASONS[type] ?? `topicflow has no "${type}" node`);
}

/** A config node that is not a broker (dashboard, TLS unused, global config…): listed only. */
export function convertConfigNode(s: Scope): void {
  if (s.node.type === 'mqtt-broker' || s.node.type === 'tls-config') {
    return s.listed('changed', 'not used by any imported node, so it was left out', { differences: ['left out: nothing uses it'] });
  }
  s.listed('unsupported', `config node "${s.node.type}" has no topicflow equivalent`, { reason: `config node "${s.node.type}" has no topicflow equivalent` });
}

