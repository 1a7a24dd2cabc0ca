/**
 * POST /api/import against the real server: a preview changes nothing, merge and replace give
 * the document to deploy and put secrets in the credential store, nothing is ever deployed by
 * the import itself, and the password never appears in a reply.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { NrNode } from '../../nodes/import/node-red.ts';
import { startAedes, type TestBroker } from '../support/brokers.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { broker, change, mqttIn, mqttOut, node, rbe, set, switchNode, tab } from './support/nr.ts';

const PASSWORD = 'correct-horse-battery';

function exportFor(port: number, withFunction = false): NrNode[] {
  return [
    tab('t1', 'Fans'),
    broker('b1', { broker: '127.0.0.1', port: String(port), credentials: { user: 'rules', password: PASSWORD } }),
    mqttIn('in', 'zigbee2mqtt/+/th_sensor', ['sw'], { z: 't1', qos: '1' }),
    switchNode('sw', 'payload.temperature', [{ t: 'gt', v: '25', vt: 'num' }, { t: 'else' }], [['on'], ['off']], { z: 't1' }),
    change('on', [set('ON', 'str')], ['f'], { z: 't1' }),
    change('off', [set('OFF', 'str')], ['f'], { z: 't1' }),
    rbe('f', withFunction ? ['fn'] : ['out'], { z: 't1' }),
    ...(withFunction ? [node('fn', 'function', [['out']], { z: 't1', func: 'return msg;' })] : []),
    mqttOut('out', 'fan/set', { z: 't1', qos: '1', retain: 'false' }),
  ];
}

describe('POST /api/import', () => {
  let t: TestServer;
  let mqtt: TestBroker;
  before(async () => {
    mqtt = await startAedes();
    t = await startTestServer({ connectTimeoutMs: 3000 });
  });
  after(async () => {
    await t?.close();
    await mqtt?.stop();
  });

  it('previews a bare Node-RED export: converted document, report, merge plan, validation; nothing stored or deployed', async () => {
    const reply = await t.api('/api/import', { method: 'POST', body: exportFor(mqtt.port, true) });
    assert.equal(reply.status, 200, reply.text);
    assert.equal(reply.text.includes(PASSWORD), false);
    const body = reply.json();
    assert.equal(body.kind, 'node-red');
    assert.equal(body.mode, 'preview');
    assert.deepEqual(body.document.brokers[0], { id: 'b1', url: `mqtt://127.0.0.1:${mqtt.port}`, name: 'home', keepalive: 60, clean: true, username: 'rules' });
    assert.ok(body.document.nodes.some((n: { type: string }) => n.type === 'threshold'));
    assert.deepEqual(body.report.unsupported.map((r: { id: string }) => r.id), ['fn']);
    assert.deepEqual(body.report.credentials.map((c: { brokerId: string; stored: boolean }) => [c.brokerId, c.stored]), [['b1', false]]);
    assert.equal(body.merged.baseRev, null);
    assert.deepEqual(body.merged.plan.clashes, []);
    assert.equal(body.deployable, false);
    assert.deepEqual(body.validation.errors.map((e: { code: string; nodeId: string }) => [e.code, e.nodeId]), [['node.placeholder', 'fn']]);
    const flows = (await t.api('/api/flows')).json();
    assert.deepEqual([flows.rev, flows.document], [null, null]);
  });

  it('merge stores the password in the credential store; the merged document deploys and connects', async () => {
    const reply = await t.api('/api/import', { method: 'POST', body: { source: { flows: exportFor(mqtt.port), rev: 'abc' }, mode: 'merge' } });
    assert.equal(reply.status, 200, reply.text);
    assert.equal(reply.text.includes(PASSWORD), false);
    const body = reply.json();
    assert.deepEqual(body.report.credentials.map((c: { brokerId: string; stored: boolean }) => [c.brokerId, c.stored]), [['b1', true]]);
    assert.equal(body.deployable, true);
    assert.equal((await t.api('/api/flows')).json().rev, null, 'the import did not deploy');
    const put = await t.api('/api/flows', { method: 'PUT', body: body.merged.document });
    assert.equal(put.status, 200, put.text);
    const flows = (await t.api('/api/flows')).json();
    assert.deepEqual(flows.credentials, { b1: { hasPassword: true, hasPassphrase: false } });
  });

  it('importing the same export again previews clashes, renames them and reuses the broker', async () => {
    const deployed = (await t.api('/api/flows')).json();
    const body = (await t.api('/api/import', { method: 'POST', body: { source: exportFor(mqtt.port), mode: 'preview' } })).json();
    assert.equal(body.merged.baseRev, deployed.rev);
    assert.deepEqual(body.merged.plan.reusedBrokers, [{ imported: 'b1', existing: 'b1', url: `mqtt://127.0.0.1:${mqtt.port}` }]);
    assert.ok(body.merged.plan.clashes.some((c: { kind: string; id: string }) => c.kind === 'node' && c.id === 'in'));
    assert.ok(body.merged.plan.renamed.some((r: { from: string; to: string }) => r.from === 'in' && r.to === 'in-2'));
    assert.deepEqual(body.merged.document.nodes.slice(0, deployed.document.nodes.length), deployed.document.nodes);
    const replaced = (await t.api('/api/import', { method: 'POST', body: { source: exportFor(mqtt.port), mode: 'replace' } })).json();
    assert.ok(replaced.merged.plan.replaced.some((r: { id: string }) => r.id === 'in'));
    assert.equal(replaced.merged.document.nodes.length, deployed.document.nodes.length);
    assert.match(replaced.report.credentials[0].message, /already in the flow/);
  });

  it('reads a topicflow document too, and answers 400 to what is neither', async () => {
    const doc = { format: 'topicflow/1', nodes: [{ id: 'x', type: 'inject', config: {} }] };
    const body = (await t.api('/api/import', { method: 'POST', body: { source: doc } })).json();
    assert.equal(body.kind, 'topicflow');
    assert.equal(body.report.summary.nodes, 0);
    for (const bad of [{ source: 'text' }, { hello: 1 }, [{ id: 1 }], { source: { flows: [], rev: 1 }, mode: 'deploy' }]) {
      const reply = await t.api('/api/import', { method: 'POST', body: bad });
      assert.equal(reply.status, 400, `${JSON.stringify(bad)}: ${reply.text}`);
      assert.equal(typeof reply.json().error.message, 'string');
    }
  });
});
