import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { collect, connectClient, freePort } from '../../support/brokers.ts';
import { runCli, startCli } from '../../support/cli.ts';

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'topicflow-cli-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('topicflow CLI', () => {
  it('--help lists the commands and options', async () => {
    const { code, output } = await runCli(['--help']);
    assert.equal(code, 0);
    for (const word of ['start', 'run FILE', 'validate FILE', '--broker URL', '--no-demo', '--data DIR']) {
      assert.ok(output.includes(word), `help mentions ${word}`);
    }
  });

  it('refuses an unknown command or option with a pointer to --help', async () => {
    const unknown = await runCli(['frobnicate']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.output, /unknown command "frobnicate"/);
    const option = await runCli(['run', 'x.json', '--brokr', 'mqtt://h']);
    assert.equal(option.code, 2);
    assert.match(option.output, /--brokr/);
    assert.match(option.output, /topicflow --help/);
  });

  it('validate prints each error with its node and field and exits 1', async () => {
    const file = join(dir, 'bad.json');
    await writeFile(
      file,
      JSON.stringify({
        format: 'topicflow/1',
        brokers: [{ id: 'home', url: 'mqtt://127.0.0.1:1883' }],
        nodes: [
          { id: 'in', type: 'mqtt-in', config: { broker: 'home', topic: 'zigbee2mqtt/#/th' } },
          { id: 'hot', type: 'threshold', config: { above: 25, hysteresis: -1 } },
        ],
        edges: [{ source: 'in', target: 'hot' }],
      }),
    );
    const { code, output } = await runCli(['validate', file]);
    assert.equal(code, 1);
    assert.match(output, /error: node in: topic: .*#/);
    assert.match(output, /error: node hot: hysteresis/);
    assert.match(output, /invalid: .*2 error\(s\)/);
  });

  it('validate accepts the example flow and exits 0', async () => {
    const { code, output } = await runCli(['validate', join(import.meta.dirname, '../../../flows/zigbee-temperature-fan.json')]);
    assert.equal(code, 0, output);
    assert.match(output, /^ok: /m);
  });

  it('run starts the embedded broker where the flow’s local broker is missing, and logs node errors as one line', async () => {
    const port = await freePort();
    const file = join(dir, 'plug.json');
    await writeFile(
      file,
      JSON.stringify({
        format: 'topicflow/1',
        brokers: [{ id: 'home', url: `mqtt://127.0.0.1:${port}` }],
        nodes: [
          { id: 'power', type: 'mqtt-in', config: { broker: 'home', topic: 'tele/+plug/SENSOR' } },
          { id: 'watts', type: 'transform', config: { ops: [{ op: 'path', path: 'ENERGY.Power' }] } },
          { id: 'busy', type: 'threshold', config: { above: 100 } },
          { id: 'notify', type: 'mqtt-out', config: { broker: 'home', topic: 'notify/{plug}' } },
        ],
        edges: [
          { source: 'power', target: 'watts' },
          { source: 'watts', target: 'busy' },
          { source: 'busy', target: 'notify' },
        ],
      }),
    );
    const run = startCli(['run', file, '--data', dir]);
    try {
      await run.waitForLine(/broker home: connected/);
      const client = await connectClient(`mqtt://127.0.0.1:${port}`);
      await client.subscribeAsync('notify/#');
      const got = collect(client, 'notify/#', 1, 5000);
      await client.publishAsync('tele/plug001/SENSOR', '{"Time":"2024-11-24T22:07:28","ENERGY":{"Power":420}}');
      assert.deepEqual((await got).map((m) => [m.topic, m.payload]), [['notify/plug001', 'ON']]);
      await client.publishAsync('tele/plug001/SENSOR', '{"Time":"2024-11-24T22:08:28"}');
      const line = await run.waitForLine(/error node watts/);
      assert.match(line, /node watts \(transform\): .*ENERGY.*\[topic tele\/plug001\/SENSOR\]/);
      await client.endAsync();
    } finally {
      assert.equal(await run.stop(), 0, run.output());
    }
  });
});
