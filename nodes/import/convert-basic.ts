import { ruleValue } from './change-values.ts';
import type { Scope } from './context.ts';
import { messageField } from './jsonata-js.ts';
import { flag, text } from './node-red.ts';

/** Node-RED's default delay of an inject that fires once, in seconds; topicflow's is the same. */
const ONCE_DELAY_S = 0.1;

interface InjectProp {
  p?: string;
  v?: unknown;
  vt?: string;
}

/**
 * `inject` → inject: a fixed payload and topic, once after deploy and/or every N seconds.
 * A timestamp or JSONata payload is computed by a transform right after the inject.
 * Cron schedules ("at a specific time") have no equivalent: placeholder.
 */
export function convertInject(s: Scope): void {
  const node = s.node;
  if (text(node, 'crontab')) return s.unsupported(`it fires on a schedule ("${text(node, 'crontab')}"); topicflow injects only once and at fixed intervals`);
  const props = injectProps(s);
  let payload: unknown = '';
  let topic = '';
  let compute: string | undefined;
  for (const prop of props) {
    const field = messageField(prop.p ?? '');
    if (!field || field.segments.length > 0) {
      s.differ(`msg.${prop.p} is not set: topicflow messages carry only payload and topic`);
      continue;
    }
    const value = ruleValue(prop.v, prop.vt ?? 'str');
    if (value.kind === 'unsupported') return s.unsupported(`its ${field.root} cannot be converted: ${value.reason}`);
    if (field.root === 'topic') {
      if (value.kind !== 'constant') return s.unsupported('its topic is computed; only a fixed topic can be converted');
      topic = String(value.value);
    } else if (value.kind === 'constant') {
      payload = value.value;
    } else {
      // The inject node sends an empty payload; the transform computes the real one.
      compute = value.expr;
      if (value.kind === 'expr') value.differences.forEach((d) => s.differ(d));
    }
  }
  const config: Record<string, unknown> = { payload, topic, once: flag(node, 'once') };
  const repeat = Number(text(node, 'repeat', '0'));
  if (Number.isFinite(repeat) && repeat > 0) config['interval'] = Math.max(repeat, 0.1);
  if (config['once'] === true) {
    const delay = Number(text(node, 'onceDelay', String(ONCE_DELAY_S))) || ONCE_DELAY_S;
    if (delay !== ONCE_DELAY_S) s.differ(`it fires ${ONCE_DELAY_S} s after a deploy, not ${delay} s`);
    if (config['interval'] !== undefined) s.differ('its repeats are timed from the deploy rather than from the first message');
  }
  const id = s.add('inject', config);
  if (compute === undefined) return s.done({ kind: 'nodes', entry: [], exits: [[id]] }, `inject ${id}`);
  const computeId = s.add('transform', { ops: [{ op: 'expr', expr: compute }] }, { suffix: 'payload', dx: 120 });
  s.wire(id, computeId);
  s.done({ kind: 'nodes', entry: [], exits: [[computeId]] }, `inject ${id}, with transform ${computeId} computing its payload`);
}

/** The properties an inject sets, including the payload/topic fields of older exports. */
function injectProps(s: Scope): InjectProp[] {
  const node = s.node;
  if (!Array.isArray(node['props'])) {
    return [
      { p: 'payload', v: node['payload'], vt: text(node, 'payloadType', 'str') },
      { p: 'topic', v: node['topic'], vt: 'str' },
    ];
  }
  return (node['props'] as InjectProp[]).map((prop) => {
    if (prop.p === 'payload' && !('v' in prop)) return { p: 'payload', v: node['payload'], vt: text(node, 'payloadType', 'str') };
    if (prop.p === 'topic' && (prop.vt ?? 'str') === 'str' && !('v' in prop)) return { p: 'topic', v: node['topic'], vt: 'str' };
    return prop;
  });
}

/** `debug` → debug, showing the payload or the whole message. */
export function convertDebug(s: Scope): void {
  const node = s.node;
  const complete = text(node, 'complete', 'payload');
  const show = complete === 'true' ? 'message' : 'payload';
  if (complete !== 'true' && complete !== 'false' && complete !== 'payload') {
    s.differ(`it shows the payload, not ${text(node, 'targetType') === 'jsonata' ? 'a JSONata result' : `msg.${complete}`}`);
  }
  if (flag(node, 'console') && !flag(node, 'tosidebar', true)) s.differ('its output goes to the debug sidebar (and the log of a headless run), not only to the console');
  const id = s.add('debug', { show, active: flag(node, 'active', true) });
  s.done({ kind: 'nodes', entry: [id], exits: [] }, `debug ${id}`);
}

/**
 * `json` → usually nothing at all: right after a string subscription it folds into the mqtt-in,
 * which then reads JSON. Elsewhere a transform parses text with JSONata's $eval or writes JSON
 * with a `{payload}` template (exact JSON.stringify).
 */
export function convertJson(s: Scope, foldedInto: string | undefined): void {
  if (foldedInto) return s.done({ kind: 'through' }, `folded into mqtt-in ${foldedInto}, which reads the payload as JSON`);
  const node = s.node;
  if (text(node, 'property', 'payload') !== 'payload') return s.unsupported('it converts a message property other than the payload');
  const action = text(node, 'action');
  let ops: Record<string, unknown>[];
  if (action === 'str') {
    ops = [{ op: 'template', target: 'payload', template: '{payload}' }];
    if (flag(node, 'pretty')) s.differ('JSON is written compactly, not indented');
  } else {
    const toText = action === 'obj' ? '$' : '$string($)';
    ops = [{ op: 'expr', expr: `$type($) = "string" ? $eval($) : ${toText}` }];
    s.differ('text is parsed with JSONata\'s $eval, which also accepts a few things that are not JSON (e.g. 1+1)');
    if (action === '') s.differ('objects are written as JSON with numbers cut to 15 significant digits');
  }
  const id = s.add('transform', { ops });
  s.done({ kind: 'nodes', entry: [id], exits: [[id]] }, `transform ${id}`);
}
