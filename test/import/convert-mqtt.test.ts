/**
 * mqtt-broker, mqtt in and mqtt out: broker URLs, connection options, credentials kept out of
 * the document, payload modes, QoS and retain.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { validateDocument } from '../../nodes/document/validate.ts';
import { convertNodeRed } from '../../nodes/import/convert.ts';
import { brokerUrl } from '../../nodes/import/convert-broker.ts';
import type { NrNode } from '../../nodes/import/node-red.ts';
import { broker, mqttIn, mqttOut, node, tab } from './support/nr.ts';

function convert(nodes: NrNode[]) {
  return convertNodeRed([tab(), ...nodes]);
}

describe('mqtt-broker → broker entry', () => {
  test('URL from host, port and TLS, or the URL Node-RED was given', () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ broker: '192.168.1.10', port: '1883' }, 'mqtt://192.168.1.10:1883'],
      [{ broker: 'mqtt.home', port: '8883', usetls: true }, 'mqtts://mqtt.home:8883'],
      [{ broker: 'mqtt.home', port: '' }, 'mqtt://mqtt.home:1883'],
      [{ broker: '', port: '1884' }, 'mqtt://localhost:1884'],
      [{ broker: 'fd00::5', port: '1883' }, 'mqtt://[fd00::5]:1883'],
      [{ broker: 'ws://hass.local:8083/mqtt', port: '1883' }, 'ws://hass.local:8083/mqtt'],
    ];
    for (const [fields, url] of cases) assert.equal(brokerUrl(broker('b1', fields)), url);
  });

  test('options, birth and Will carried over; the close message and MQTT 3.1 are stated differences', () => {
    const b = broker('b1', {
      clientid: 'nodered-main', protocolVersion: '5', keepalive: '30', cleansession: false,
      birthTopic: 'nodered/status', birthPayload: 'online', birthQos: '1', birthRetain: 'true',
      willTopic: 'nodered/status', willPayload: 'offline', willQos: '1', willRetain: 'true',
      closeTopic: 'nodered/status', closePayload: 'closed',
    });
    const { document, report } = convert([b, mqttIn('in', 'a/b', [])]);
    assert.deepEqual(document.brokers?.[0], {
      id: 'b1', url: 'mqtt://192.168.1.10:1883', name: 'home', clientId: 'nodered-main', protocolVersion: 5, keepalive: 30, clean: false,
      birth: { topic: 'nodered/status', payload: 'online', qos: 1, retain: true },
      will: { topic: 'nodered/status', payload: 'offline', qos: 1, retain: true },
    });
    const differences = report.changed.find((r) => r.id === 'b1')!.differences.join('\n');
    assert.match(differences, /close message/);
    assert.match(differences, /client id "nodered-main"/);
    const old = convert([broker('b1', { protocolVersion: '3' }), mqttIn('in', 'a', [])]);
    assert.equal(old.document.brokers?.[0]?.protocolVersion, undefined);
    assert.ok(old.report.changed.find((r) => r.id === 'b1')!.differences.some((d) => /3\.1\.1/.test(d)));
  });

  test('a password goes to the secrets, never into the document; the user name stays', () => {
    const { document, secrets, report } = convert([broker('b1', { credentials: { user: 'nodered', password: 's3cret!' } }), mqttIn('in', 'a', [])]);
    assert.equal(document.brokers?.[0]?.username, 'nodered');
    assert.deepEqual(secrets, [{ brokerId: 'b1', password: 's3cret!' }]);
    assert.equal(JSON.stringify(document).includes('s3cret!'), false);
    assert.equal(JSON.stringify(report).includes('s3cret!'), false);
    assert.match(report.credentials[0]!.message, /password/);
  });

  test('TLS settings come from the tls-config node; its key passphrase is a secret too', () => {
    const tls = { id: 't1', type: 'tls-config', name: '', cert: '/etc/certs/client.crt', key: '/etc/certs/client.key', ca: '/etc/certs/ca.crt', certname: '', keyname: '', caname: '', servername: '', verifyservercert: true, alpnprotocol: '', credentials: { passphrase: 'pw' } };
    const { document, secrets, report } = convert([broker('b1', { usetls: true, port: '8883', tls: 't1' }), tls, mqttIn('in', 'a', [])]);
    assert.deepEqual(document.brokers?.[0]?.tls, { rejectUnauthorized: true, ca: '/etc/certs/ca.crt', cert: '/etc/certs/client.crt', key: '/etc/certs/client.key' });
    assert.deepEqual(secrets, [{ brokerId: 'b1', passphrase: 'pw' }]);
    assert.equal(report.converted.find((r) => r.id === 't1')?.outcome, 'converted');
  });

  test('a public test broker is a warning before deploy; an unused broker is left out', () => {
    const { document, report } = convert([broker('b1', { broker: 'test.mosquitto.org' }), broker('b2'), mqttIn('in', 'a', [])]);
    assert.equal(document.brokers?.length, 1);
    assert.ok(report.warnings.some((w) => /test\.mosquitto\.org/.test(w)));
    assert.ok(validateDocument(document).warnings.some((w) => w.code === 'broker.public'));
    assert.match(report.changed.find((r) => r.id === 'b2')!.message, /not used/);
  });

  test('a broker missing from the export gets a stand-in entry, stated', () => {
    const { document, report } = convert([mqttIn('in', 'a', [], { broker: 'gone' })]);
    assert.deepEqual(document.brokers, [{ id: 'gone', url: 'mqtt://localhost:1883' }]);
    assert.ok(report.changed.find((r) => r.id === 'in')!.differences.some((d) => /not in the export/.test(d)));
  });
});

describe('mqtt in / mqtt out', () => {
  test('payload modes follow the output type; QoS and shared subscriptions carry over', () => {
    const modes: [string, string][] = [['auto-detect', 'auto'], ['json', 'json'], ['utf8', 'string'], ['auto', 'string'], ['buffer', 'raw']];
    for (const [datatype, payload] of modes) {
      const { document } = convert([broker(), mqttIn('in', 'zigbee2mqtt/+/th_sensor', [], { datatype, qos: '1' })]);
      assert.deepEqual(document.nodes[0]!.config, { topic: 'zigbee2mqtt/+/th_sensor', broker: 'b1', qos: 1, payload });
    }
    const shared = convert([broker(), mqttIn('in', '$share/rules/tele/+/SENSOR', [])]).document.nodes[0]!.config;
    assert.deepEqual(shared, { shareGroup: 'rules', broker: 'b1', topic: 'tele/+/SENSOR', qos: 2, payload: 'auto' });
  });

  test('a json node right after a text subscription folds into it', () => {
    const flow = [broker(), mqttIn('in', 'tele/plug/SENSOR', ['j'], { datatype: 'utf8' }), node('j', 'json', [['out']], { property: 'payload', action: '' }), mqttOut('out', 'x')];
    const { document, report } = convert(flow);
    assert.equal(document.nodes.find((n) => n.id === 'in')!.config['payload'], 'json');
    assert.equal(document.nodes.some((n) => n.id === 'j'), false);
    assert.deepEqual(document.edges, [{ source: 'in', target: 'out' }]);
    assert.match(report.converted.find((r) => r.id === 'j')!.message, /folded into mqtt-in in/);
  });

  test('dynamic subscriptions, empty and invalid topics are placeholders', () => {
    for (const n of [mqttIn('in', '', []), mqttIn('in', 'a/#/b', []), mqttIn('in', '', [], { inputs: 1 })]) {
      assert.equal(convert([broker(), n]).document.nodes[0]!.type, 'unsupported');
    }
  });

  test('mqtt out: empty topic publishes on the message topic; QoS/retain left to the message are stated', () => {
    const { document, report } = convert([broker(), mqttIn('in', 'a/+', ['out'], { qos: '1' }), mqttOut('out', '')]);
    assert.deepEqual(document.nodes.find((n) => n.id === 'out')!.config, { broker: 'b1', topic: '{topic}', qos: 1, retain: false });
    const differences = report.changed.find((r) => r.id === 'out')!.differences.join('\n');
    assert.match(differences, /QoS 1, the QoS of the subscription/);
    assert.match(differences, /retained message replayed/);
    const fixed = convert([broker(), mqttIn('in', 'a/+', ['out']), mqttOut('out', 'cmnd/{x}/POWER', { qos: '2', retain: 'true' })]);
    assert.deepEqual(fixed.document.nodes.find((n) => n.id === 'out')!.config, { broker: 'b1', topic: 'cmnd/{{x}}/POWER', qos: 2, retain: true });
    assert.equal(fixed.report.converted.find((r) => r.id === 'out')?.outcome, 'converted');
    assert.ok(validateDocument(fixed.document).ok);
  });
});
