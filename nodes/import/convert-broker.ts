import type { BrokerEntryInput } from '../broker.ts';
import { isPublicTestBroker } from '../broker.ts';
import type { ConvertContext } from './context.ts';
import { flag, text, type NrNode } from './node-red.ts';

/**
 * An `mqtt-broker` config node becomes a broker entry. Its user name goes into the entry (it
 * is not a secret); its password never does: it is handed back separately so the caller can
 * put it in the credential store, and the report says where it went.
 */
export function convertBroker(cx: ConvertContext, node: NrNode): string {
  const existing = cx.brokerIds.get(node.id);
  if (existing) return existing;
  const s = cx.scope(node);
  const id = cx.newId(node.id);
  cx.brokerIds.set(node.id, id);

  const entry: BrokerEntryInput = { id, url: brokerUrl(node) };
  if (node.name) entry.name = node.name.slice(0, 200);
  const clientId = text(node, 'clientid');
  if (clientId) {
    entry.clientId = clientId.slice(0, 128);
    s.differ(`it keeps the client id "${clientId}": while Node-RED still runs with the same id, the broker keeps disconnecting one of them`);
  }
  const version = text(node, 'protocolVersion', '4');
  if (version === '5') entry.protocolVersion = 5;
  else if (version === '3' || flag(node, 'compatmode')) s.differ('MQTT 3.1 (protocol version 3) becomes MQTT 3.1.1, which every current broker speaks');
  const keepalive = Number(text(node, 'keepalive', '60'));
  if (Number.isInteger(keepalive) && keepalive >= 0 && keepalive <= 65535) entry.keepalive = keepalive;
  // Node-RED forces a clean session without a client id: a persistent session needs a fixed id.
  entry.clean = flag(node, 'cleansession', true) || !clientId;

  const birth = message(node, 'birth');
  if (birth) entry.birth = birth;
  const will = message(node, 'will');
  if (will) entry.will = will;
  if (text(node, 'closeTopic')) {
    s.differ(`the close message on "${text(node, 'closeTopic')}" is not sent: topicflow sends nothing when it disconnects cleanly (the Last Will covers a lost connection)`);
  }
  if (text(node, 'autoConnect', 'true') === 'false') s.differ('topicflow connects at deploy; "connect automatically" off has no equivalent');
  for (const [key, what] of [['sessionExpiry', 'session expiry'], ['topicAliasMaximum', 'topic alias maximum'], ['maximumPacketSize', 'maximum packet size'], ['receiveMaximum', 'receive maximum'], ['userProps', 'user properties']] as const) {
    if (text(node, key) && text(node, key) !== '0') s.differ(`the MQTT 5 ${what} is not set`);
  }

  const tls = tlsOptions(cx, node, s.differ.bind(s));
  if (tls) entry.tls = tls;

  const credentials = node['credentials'];
  if (typeof credentials === 'object' && credentials !== null) {
    const { user, password } = credentials as Record<string, unknown>;
    if (typeof user === 'string' && user !== '') entry.username = user.slice(0, 256);
    if (typeof password === 'string' && password !== '') cx.secrets.push({ brokerId: id, password });
  }
  if (isPublicTestBroker(entry.url)) {
    cx.warnings.push(`broker "${id}" is a public test broker (${entry.url}): anyone can read these messages and switch your devices; point it at your own broker before deploying`);
  }
  cx.brokers.push(entry);
  s.done({ kind: 'nodes', entry: [], exits: [] }, `broker entry ${id} (${entry.url})`, { becomes: [id] });
  return id;
}

/** The broker URL: Node-RED accepts a full URL in `broker`, else builds one from host, port and TLS. */
export function brokerUrl(node: NrNode): string {
  const host = text(node, 'broker').trim();
  if (host.includes('://')) return host;
  const scheme = flag(node, 'usetls') ? 'mqtts' : 'mqtt';
  const port = text(node, 'port').trim() || '1883';
  if (host === '') return `${scheme}://localhost:${port}`;
  const bracketed = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  return `${scheme}://${bracketed}:${port}`;
}

/** Birth or Will message of a broker node, when it has a topic. */
function message(node: NrNode, kind: 'birth' | 'will'): BrokerEntryInput['birth'] {
  const topic = text(node, `${kind}Topic`);
  if (!topic) return undefined;
  const qos = Number(text(node, `${kind}Qos`, '0'));
  return {
    topic,
    payload: text(node, `${kind}Payload`),
    qos: qos === 1 || qos === 2 ? qos : 0,
    retain: flag(node, `${kind}Retain`),
  };
}

/** TLS file paths and verification from the broker's `tls-config` node. */
function tlsOptions(cx: ConvertContext, node: NrNode, differ: (text: string) => void): BrokerEntryInput['tls'] {
  if (!flag(node, 'usetls')) return undefined;
  const tlsId = text(node, 'tls');
  const config = tlsId ? cx.graph.byId.get(tlsId) : undefined;
  if (!config) return flag(node, 'verifyservercert', true) ? undefined : { rejectUnauthorized: false };
  const tls: NonNullable<BrokerEntryInput['tls']> = { rejectUnauthorized: flag(config, 'verifyservercert', true) };
  for (const key of ['ca', 'cert', 'key'] as const) {
    const path = text(config, key);
    if (path) tls[key] = path;
    else if (text(config, `${key}name`)) differ(`the ${key} file uploaded into Node-RED ("${text(config, `${key}name`)}") is not in the export: save it as a file and set tls.${key}`);
  }
  if (text(config, 'servername')) differ(`the TLS server name "${text(config, 'servername')}" is not set (topicflow checks the host name of the URL)`);
  if (text(config, 'alpnprotocol')) differ('the ALPN protocol is not set');
  const credentials = config['credentials'];
  if (typeof credentials === 'object' && credentials !== null) {
    const passphrase = (credentials as Record<string, unknown>)['passphrase'];
    if (typeof passphrase === 'string' && passphrase !== '') {
      const brokerId = cx.brokerIds.get(node.id)!;
      const found = cx.secrets.find((f) => f.brokerId === brokerId);
      if (found) found.passphrase = passphrase;
      else cx.secrets.push({ brokerId, passphrase });
    }
  }
  // One TLS config node may serve several brokers; it is reported once.
  if (!cx.reports.has(config.id)) cx.scope(config).done({ kind: 'nodes', entry: [], exits: [] }, `TLS settings of broker entry ${cx.brokerIds.get(node.id)}`);
  return tls;
}
