import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseProcStat, parseStatusKb } from '../../bench/lib/proc.ts';
import { fileGroup } from '../../bench/lib/profile.ts';
import { summarizeRow } from '../../bench/lib/report.ts';
import { median, percentile, ratio } from '../../bench/lib/stats.ts';
import { parseActuatorTopic, rulesDocument } from '../../bench/lib/workload.ts';
import { validateDocument } from '../../nodes/document/validate.ts';

describe('bench helpers', () => {
  it('percentile interpolates between the closest ranks', () => {
    const cases: [number[], number, number][] = [
      [[1], 50, 1],
      [[1, 2, 3, 4], 50, 2.5],
      [[4, 3, 2, 1], 0, 1],
      [[4, 3, 2, 1], 100, 4],
      [[10, 20, 30, 40, 50], 25, 20],
      [Array.from({ length: 101 }, (_, i) => i), 99, 99],
    ];
    for (const [values, p, want] of cases) assert.equal(percentile(values, p), want, `${p}th of ${values.join(',')}`);
    assert.ok(Number.isNaN(percentile([], 50)));
    assert.throws(() => percentile([1], 101));
  });

  it('median leaves out figures a repetition could not measure', () => {
    assert.equal(median([3, 1, 2]), 2);
    assert.equal(median([3, Number.NaN, 1]), 2);
    assert.ok(Number.isNaN(median([Number.NaN])));
    assert.equal(ratio(6, 3), 2);
    assert.ok(Number.isNaN(ratio(1, 0)));
  });

  it('parses utime and stime of /proc/<pid>/stat, even with spaces and ")" in the command name', () => {
    const rest = 'S 1 2 3 0 -1 4194560 1000 0 0 0 1234 567 0 0 20 0 11 0 100 1000000 5000 18446744073709551615';
    assert.deepEqual(parseProcStat(`4242 (node) ${rest}`), { utime: 1234, stime: 567 });
    assert.deepEqual(parseProcStat(`4242 (my (odd) name) ${rest}`), { utime: 1234, stime: 567 });
    assert.throws(() => parseProcStat('4242 node S 1'));
    assert.throws(() => parseProcStat('4242 (node) S 1 2'));
  });

  it('reads VmRSS and VmHWM of /proc/<pid>/status in bytes', () => {
    const status = 'Name:\tnode\nVmHWM:\t  150000 kB\nVmRSS:\t   70000 kB\nThreads:\t11\n';
    assert.equal(parseStatusKb(status, 'VmRSS'), 70000 * 1024);
    assert.equal(parseStatusKb(status, 'VmHWM'), 150000 * 1024);
    assert.equal(parseStatusKb('Name:\tnode\n', 'VmRSS'), undefined);
  });

  it('groups profile URLs by package, project file or Node module', () => {
    assert.equal(fileGroup('file:///work/x/node_modules/mqtt/build/lib/client.js', '/work/x'), 'npm:mqtt');
    assert.equal(fileGroup('file:///work/x/node_modules/@scope/pkg/a.js', '/work/x'), 'npm:@scope/pkg');
    assert.equal(fileGroup('file:///work/x/server/engine/engine.ts', '/work/x'), 'server/engine/engine.ts');
    assert.equal(fileGroup('node:events', '/work/x'), 'node:events');
    assert.equal(fileGroup('', '/work/x'), '(native / VM)');
  });

  it('checks a row against its target on the ratio or the value, and says by how much it is missed', () => {
    const cpu = summarizeRow({ figure: 'cpu', unit: 'µs', engine: [30, 36, 33], relay: [25, 30, 25], target: { text: '≤ 1.2×', limit: 1.2, on: 'ratio' } });
    assert.equal(cpu.engine, 33);
    assert.equal(cpu.ratio, 1.2);
    assert.equal(cpu.met, true);
    const ms = summarizeRow({ figure: 'deploy', unit: 'ms', engine: [75, 60, 90], target: { text: '≤ 50 ms', limit: 50, on: 'value' } });
    assert.equal(ms.met, false);
    assert.equal(Math.round(ms.overByPercent!), 50);
  });

  it('generates a valid document of K independent rules whose outputs name their rule', () => {
    const result = validateDocument(rulesDocument({ rules: 3, qos: 1, brokerUrl: 'mqtt://127.0.0.1:1883' }));
    assert.ok(result.ok, JSON.stringify(result.errors));
    assert.equal(result.document!.nodes.length, 12);
    assert.equal(result.warnings.length, 0);
    assert.deepEqual(parseActuatorTopic('actuator/7/kitchen/fan'), { rule: 7, room: 'kitchen' });
    assert.equal(parseActuatorTopic('sensors/7/kitchen/th'), undefined);
  });
});
