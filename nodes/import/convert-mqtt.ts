import { parseNamedFilter, splitSharedSubscription, validateTopicName } from '../topic/filter.ts';
import { convertBroker } from './convert-broker.ts';
import type { Scope } from './context.ts';
import { flag, text } from './node-red.ts';

/** What Node-RED's "auto-detect" and "JSON" outputs do that topicflow's payload modes do not. */
const PARSED_DIFFERENCE =
  'payloads are read as topicflow does: "nan", "unavailable", "null" and empty payloads are "unavailable" (never published, ignored by thresholds) where Node-RED passes them on as text or null; JSON with a bare nan (Tasmota) is read, not refused';

/** The broker entry id an mqtt node uses; a broker missing from the export gets a stand-in entry. */
function brokerOf(s: Scope): string {
  const cx = s.cx;
  const ref = text(s.node, 'broker');
  const config = cx.graph.byId.get(ref);
  if (config?.type === 'mqtt-broker') return convertBroker(cx, config);
  let id = cx.brokerIds.get(ref);
  if (!id) {
    id = cx.newId(ref || 'broker');
    cx.brokerIds.set(ref, id);
    cx.brokers.push({ id, url: 'mqtt://localhost:1883' });
  }
  s.differ(`its broker "${ref}" is not in the export: it uses the new broker entry "${id}" (mqtt://localhost:1883); set the right URL`);
  return id;
}

/**
 * `mqtt in` → mqtt-in. Node-RED's output types map to payload modes: "a UTF-8 string" and the
 * legacy "auto" (string or buffer) → `string`, "auto-detect" → `auto`, "a parsed JSON object"
 * → `json`, "a Buffer" → `raw`. When only a json node follows a string subscription, the two
 * become one mqtt-in that reads JSON (see foldJson in convert.ts).
 */
export function convertMqttIn(s: Scope, parseJson: boolean): void {
  const node = s.node;
  if (text(node, 'inputs', '0') === '1' || text(node, 'topicType') === 'dynamic') {
    return s.unsupported('it subscribes to topics sent to it in messages; topicflow subscriptions are fixed in the flow');
  }
  let topic = text(node, 'topic').trim();
  if (topic === '') return s.unsupported('it has no topic');
  const config: Record<string, unknown> = {};
  const shared = splitSharedSubscription(topic);
  if (shared) {
    topic = shared.filter;
    config['shareGroup'] = shared.group;
  }
  const parsed = parseNamedFilter(topic);
  if (!parsed.ok) return s.unsupported(`its topic "${topic}" is not a valid MQTT filter: ${parsed.error}`);
  const qos = Number.parseInt(text(node, 'qos', '2'), 10);
  config['broker'] = brokerOf(s);
  config['topic'] = topic;
  config['qos'] = qos === 0 || qos === 1 ? qos : 2;

  const datatype = text(node, 'datatype', 'utf8');
  if (parseJson) {
    config['payload'] = 'json';
    s.differ('invalid JSON is a node error in both; topicflow reads a bare nan (Tasmota) as "unavailable" and an empty payload as "unavailable" instead of failing');
  } else if (datatype === 'auto-detect') {
    config['payload'] = 'auto';
    s.differ(PARSED_DIFFERENCE);
  } else if (datatype === 'json') {
    config['payload'] = 'json';
    s.differ(PARSED_DIFFERENCE);
  } else if (datatype === 'buffer') {
    config['payload'] = 'raw';
  } else if (datatype === 'utf8' || datatype === 'auto') {
    config['payload'] = 'string';
    if (datatype === 'auto') s.differ('a payload that is not UTF-8 text is a node error in topicflow; Node-RED passes it on as a Buffer');
  } else {
    return s.unsupported(`its output type "${datatype}" has no topicflow payload mode`);
  }
  // These subscription options exist only in MQTT 5; on a 3.1.1 broker Node-RED ignores them too.
  if (text(s.cx.graph.byId.get(text(node, 'broker')) ?? node, 'protocolVersion', '4') === '5') {
    if (flag(node, 'nl')) s.differ('"no local" is not set: topicflow also receives what it publishes itself on this topic');
    if (flag(node, 'rap')) s.differ('"retain as published" is not set');
    if (text(node, 'rh', '0') !== '0') s.differ('retained messages are always sent on subscribe ("retain handling" 0)');
  }
  const id = s.add('mqtt-in', config);
  s.done({ kind: 'nodes', entry: [], exits: [[id]] }, `mqtt-in ${id} on ${topic} (${String(config['payload'])})`);
}

/**
 * `mqtt out` → mqtt-out. An empty topic publishes on the message's topic (`{topic}`). Node-RED
 * takes QoS and retain from the message when the node leaves them empty: a message keeps the
 * QoS it was received with and the retain flag of a replayed retained message. topicflow's
 * mqtt-out has fixed values, so the received QoS is approximated by the subscription's.
 */
export function convertMqttOut(s: Scope): void {
  const node = s.node;
  const raw = text(node, 'topic').trim();
  // Braces are template fields in topicflow; a literal brace in a Node-RED topic is doubled.
  const topic = raw === '' ? '{topic}' : raw.replace(/[{}]/g, (b) => b + b);
  if (raw !== '') {
    const problem = validateTopicName(raw);
    if (problem) return s.unsupported(`its topic "${raw}" cannot be published to: ${problem}`);
  }
  const origins = s.cx.graph.origins(node.id);
  const subscriptions = origins.filter((o) => o.type === 'mqtt in');
  const qosText = text(node, 'qos');
  let qos: number;
  if (qosText !== '') {
    const n = Number(qosText);
    qos = n === 1 || n === 2 ? n : 0;
  } else if (subscriptions.length === 0) {
    qos = 0;
  } else {
    qos = Math.min(...subscriptions.map((o) => {
      const q = Number.parseInt(text(o, 'qos', '2'), 10);
      return q === 0 || q === 1 ? q : 2;
    }));
    s.differ(`QoS is left to the message in Node-RED (the QoS each message was received with); topicflow publishes with QoS ${qos}, the QoS of the subscription`);
  }
  const retainText = text(node, 'retain');
  const retain = flag(node, 'retain');
  if (retainText === '' && subscriptions.length > 0) {
    s.differ('retain is left to the message in Node-RED, so a retained message replayed on subscribe is published retained again; topicflow publishes without retain');
  }
  for (const key of ['respTopic', 'correl', 'contentType', 'expiry', 'userProps']) {
    if (text(node, key)) s.differ(`the MQTT 5 property "${key}" is not sent`);
  }
  const id = s.add('mqtt-out', { broker: brokerOf(s), topic, qos, retain });
  s.done({ kind: 'nodes', entry: [id], exits: [] }, `mqtt-out ${id} on ${topic}`);
}
