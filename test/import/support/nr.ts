/**
 * Builders for Node-RED nodes as Node-RED 4 exports them (with its defaults), so each unit
 * test states only what it is about.
 */
import type { NrNode } from '../../../nodes/import/node-red.ts';

export const TAB = 'tab1';

let counter = 0;
/** A fresh id, as unique as Node-RED's own. */
export function nrId(prefix = 'n'): string {
  return `${prefix}${(++counter).toString(16).padStart(4, '0')}`;
}

export function tab(id = TAB, label = 'Flow 1', extra: Record<string, unknown> = {}): NrNode {
  return { id, type: 'tab', label, disabled: false, info: '', env: [], ...extra };
}

export function broker(id = 'b1', extra: Record<string, unknown> = {}): NrNode {
  return {
    id, type: 'mqtt-broker', name: 'home', broker: '192.168.1.10', port: '1883', clientid: '', autoConnect: true, usetls: false,
    protocolVersion: '4', keepalive: '60', cleansession: true, autoUnsubscribe: true,
    birthTopic: '', birthQos: '0', birthRetain: 'false', birthPayload: '', birthMsg: {},
    closeTopic: '', closeQos: '0', closeRetain: 'false', closePayload: '', closeMsg: {},
    willTopic: '', willQos: '0', willRetain: 'false', willPayload: '', willMsg: {}, userProps: '', sessionExpiry: '', ...extra,
  };
}

export function mqttIn(id: string, topic: string, wires: string[], extra: Record<string, unknown> = {}): NrNode {
  return { id, type: 'mqtt in', z: TAB, name: '', topic, qos: '2', datatype: 'auto-detect', broker: 'b1', nl: false, rap: true, rh: 0, inputs: 0, x: 100, y: 100, wires: [wires], ...extra };
}

export function mqttOut(id: string, topic: string, extra: Record<string, unknown> = {}): NrNode {
  return { id, type: 'mqtt out', z: TAB, name: '', topic, qos: '', retain: '', respTopic: '', contentType: '', userProps: '', correl: '', expiry: '', broker: 'b1', x: 500, y: 100, wires: [], ...extra };
}

export function change(id: string, rules: Record<string, unknown>[], wires: string[], extra: Record<string, unknown> = {}): NrNode {
  return { id, type: 'change', z: TAB, name: '', rules: rules.map((r) => ({ pt: 'msg', ...r })), action: '', property: '', from: '', to: '', reg: false, x: 300, y: 100, wires: [wires], ...extra };
}

export function set(to: unknown, tot: string, p = 'payload'): Record<string, unknown> {
  return { t: 'set', p, pt: 'msg', to, tot };
}

export function switchNode(id: string, property: string, rules: Record<string, unknown>[], wires: string[][], extra: Record<string, unknown> = {}): NrNode {
  return { id, type: 'switch', z: TAB, name: '', property, propertyType: 'msg', rules, checkall: 'true', repair: false, outputs: rules.length, x: 200, y: 100, wires, ...extra };
}

export function rbe(id: string, wires: string[], extra: Record<string, unknown> = {}): NrNode {
  return { id, type: 'rbe', z: TAB, name: '', func: 'rbe', gap: '', start: '', inout: 'out', septopics: true, property: 'payload', topi: 'topic', x: 400, y: 100, wires: [wires], ...extra };
}

export function node(id: string, type: string, wires: string[][], extra: Record<string, unknown> = {}): NrNode {
  return { id, type, z: TAB, name: '', x: 250, y: 150, wires, ...extra };
}
