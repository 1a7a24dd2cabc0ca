/**
 * What a schema cannot say about its form: friendlier labels, which widget a text field
 * wants (a topic picker, a broker select), which fields are advanced, and groups of keys of
 * which exactly one is set. Keys of `widgets`, `advanced` and `units` are field paths with
 * list indexes written `*` (`ops.*.path`).
 */
import { CONDITION_KEYS } from '../../../nodes/threshold/definition.ts';

export type Widget = 'broker' | 'topic-filter' | 'topic-name' | 'payload-path' | 'multiline' | 'file';

export interface ChoiceHint {
  /** The name of the group in field paths and errors (not a key of the config). */
  key: string;
  label: string;
  help?: string;
  keys: readonly string[];
}

export interface FormHints {
  widgets?: Record<string, Widget>;
  advanced?: readonly string[];
  units?: Record<string, string>;
  choices?: readonly ChoiceHint[];
  /** Names of the members of a tuple, e.g. `['low', 'high']` (the default). */
  tupleLabels?: Record<string, readonly string[]>;
  /** Examples for empty inputs that have no default. */
  placeholders?: Record<string, string>;
  /** Help for fields the schema does not describe. */
  helps?: Record<string, string>;
  /** What an optional object holds when the user switches it on. */
  seeds?: Record<string, Record<string, unknown>>;
}

/** Hints by node type, plus `broker` for broker entries. */
export const FORM_HINTS: Record<string, FormHints> = {
  'mqtt-in': {
    widgets: { topic: 'topic-filter' },
    placeholders: { topic: 'zigbee2mqtt/+room/th_sensor', shareGroup: 'topicflow' },
    advanced: ['shareGroup', 'maxBytes'],
    units: { maxBytes: 'bytes' },
  },
  'mqtt-out': {
    widgets: { topic: 'topic-name' },
    placeholders: { topic: 'zigbee2mqtt/{room}_fan_plug/set' },
  },
  transform: {
    widgets: { 'ops.*.path': 'payload-path', 'ops.*.expr': 'multiline', 'ops.*.template': 'multiline' },
  },
  threshold: {
    placeholders: { min: 'e.g. -40', max: 'e.g. 85' },
    choices: [{ key: 'condition', label: 'Switch ON when the value is', keys: CONDITION_KEYS }],
    advanced: ['emitFirst', 'maxTopics'],
    units: { for: 's', forOff: 's' },
  },
  inject: {
    units: { interval: 's' },
    placeholders: { interval: 'only by hand' },
  },
  broker: {
    widgets: { 'tls.ca': 'file', 'tls.cert': 'file', 'tls.key': 'file' },
    placeholders: {
      url: 'mqtt://192.168.1.10:1883',
      name: 'Home broker',
      clientId: 'unique to this install',
      'tls.ca': '/etc/ssl/certs/home-ca.pem',
      'tls.cert': '/etc/topicflow/client.crt',
      'tls.key': '/etc/topicflow/client.key',
      'will.topic': 'topicflow/status',
      'birth.topic': 'topicflow/status',
    },
    helps: {
      tls: 'For mqtts:// and wss:// brokers: files on the machine that runs topicflow.',
    },
    seeds: {
      tls: { rejectUnauthorized: true },
      will: { topic: 'topicflow/status', payload: 'offline', qos: 1, retain: true },
      birth: { topic: 'topicflow/status', payload: 'online', qos: 1, retain: true },
    },
    advanced: ['clientId', 'clean', 'keepalive', 'queueLimit'],
    units: { keepalive: 's', queueLimit: 'messages' },
  },
};

/** Labels of fields whose key does not read well when humanized. */
export const FIELD_LABELS: Record<string, string> = {
  qos: 'QoS',
  for: 'Delay ON',
  forOff: 'Delay OFF',
  on: 'ON payload',
  off: 'OFF payload',
  min: 'Plausible minimum',
  max: 'Plausible maximum',
  emit: 'Send',
  emitFirst: 'Send the first state',
  maxTopics: 'Topics remembered',
  maxBytes: 'Largest payload',
  payload: 'Payload',
  show: 'Show',
  once: 'Send once after deploy',
  interval: 'Repeat every',
  format: 'Format',
  ops: 'Steps',
  id: 'Id',
  url: 'URL',
  clientId: 'Client id',
  clean: 'Clean session',
  protocolVersion: 'MQTT version',
  keepalive: 'Keepalive',
  username: 'User name',
  tls: 'TLS',
  ca: 'CA certificate file',
  cert: 'Client certificate file',
  key: 'Client key file',
  rejectUnauthorized: 'Verify the broker certificate',
  will: 'Last Will',
  birth: 'Birth message',
  retain: 'Retain',
  queueLimit: 'Offline queue',
  above: 'above',
  below: 'below',
  between: 'between',
  outside: 'outside',
  decimals: 'Decimals',
  factor: 'Multiply by',
  offset: 'Then add',
  expr: 'Expression',
};

/** Labels of enum values, by field key. */
export const OPTION_LABELS: Record<string, Record<string, string>> = {
  qos: { '0': '0 — at most once', '1': '1 — at least once', '2': '2 — exactly once' },
  protocolVersion: { '4': 'MQTT 3.1.1', '5': 'MQTT 5' },
  from: { C: '°C', F: '°F', K: 'K', W: 'W', kW: 'kW', Wh: 'Wh', kWh: 'kWh' },
  to: { C: '°C', F: '°F', K: 'K', W: 'W', kW: 'kW', Wh: 'Wh', kWh: 'kWh' },
  emit: { change: 'only when the state changes', every: 'for every value' },
  show: { payload: 'the payload', message: 'the whole message' },
  target: { payload: 'the payload', topic: 'the topic' },
  payload: { auto: 'auto (JSON, number or text)', json: 'JSON', string: 'text', number: 'number', raw: 'raw bytes' },
  format: { auto: 'auto (text as is, numbers, objects as JSON)', json: 'always JSON' },
};

/** Labels and one-line help of the transform ops. */
export const VARIANT_LABELS: Record<string, { label: string; help?: string }> = {
  path: { label: 'Pick a field', help: 'Take one field of a JSON payload' },
  number: { label: 'Parse a number', help: 'Turn numeric text such as "21.5" into a number' },
  scale: { label: 'Scale', help: 'value × factor + offset' },
  round: { label: 'Round', help: 'Round to a number of decimals' },
  convert: { label: 'Convert unit', help: '°C ↔ °F ↔ K, W ↔ kW, Wh ↔ kWh' },
  expr: { label: 'JSONata expression', help: 'Compute a new value from the payload' },
  set: { label: 'Set a value', help: 'Replace the payload or the topic with a fixed value' },
  template: { label: 'Template', help: 'Build text from captures and payload fields' },
};
