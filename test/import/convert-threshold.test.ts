/**
 * The ON/OFF pattern (switch → two change nodes setting fixed values → optional filter) and the
 * threshold it becomes. The converted threshold's config is run through the threshold's own
 * logic and compared with Node-RED's behaviour, written here from its documentation: rules
 * compare as JavaScript does, the filter ("rbe") passes a value only when it differs from the
 * last one it passed, "rbei" ignores the first, a deadband passes changes bigger than the band.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { validateDocument } from '../../nodes/document/validate.ts';
import { convertNodeRed } from '../../nodes/import/convert.ts';
import type { NrNode } from '../../nodes/import/node-red.ts';
import { thresholdNode } from '../../nodes/threshold/definition.ts';
import { parsePath } from '../../nodes/transform/path.ts';
import { evaluate, ruleOf, type Level, type TopicState } from '../../nodes/threshold/logic.ts';
import { broker, change, mqttIn, mqttOut, rbe, set, switchNode, tab } from './support/nr.ts';

type Rule = Record<string, unknown>;

function pattern(rules: Rule[], filter?: Record<string, unknown>, values: [string, string, string] = ['"ON"', '"OFF"', 'json']): NrNode[] {
  const next = filter ? ['f'] : ['out'];
  return [
    tab(), broker(),
    mqttIn('in', 'home/+/temperature', ['sw']),
    switchNode('sw', 'payload', rules, [['on'], ['off']]),
    change('on', [set(values[0], values[2])], next),
    change('off', [set(values[1], values[2])], next),
    ...(filter ? [rbe('f', ['out'], filter)] : []),
    mqttOut('out', 'fan/set', { qos: '1', retain: 'false' }),
  ];
}

function thresholdOf(flow: NrNode[]) {
  const { document, report } = convertNodeRed(flow);
  const node = document.nodes.find((n) => n.type === 'threshold');
  return { node, document, report };
}

/** What Node-RED sends for a sequence of values of one topic through switch → change → filter. */
function nodeRed(rules: Rule[], values: readonly number[], filter: string | undefined, gap = 0): string[] {
  const sent: string[] = [];
  let previous: string | undefined;
  let seen = false;
  for (const v of values) {
    let out: string | undefined;
    let nothingYet = true;
    rules.forEach((r, i) => {
      const x = Number(r['v']);
      const y = Number(r['v2']);
      const hit =
        r['t'] === 'else' ? nothingYet : r['t'] === 'gt' ? v > x : r['t'] === 'gte' ? v >= x : r['t'] === 'lt' ? v < x : r['t'] === 'lte' ? v <= x : (v >= x && v <= y) || (v <= x && v >= y);
      if (r['t'] === 'else') nothingYet = true;
      if (hit) {
        nothingYet = false;
        // Both rules can match only if the config is odd; the first change node's value wins for the filter.
        out ??= i === 0 ? 'ON' : 'OFF';
      }
    });
    if (out === undefined) continue;
    if (!filter) sent.push(out);
    else if (filter === 'deadband') {
      const n = out === 'ON' ? 22 : 19;
      if (previous === undefined || Math.abs(n - Number(previous)) > gap) {
        sent.push(out);
        previous = String(n);
      }
    } else if (out !== previous) {
      if (filter === 'rbe' || seen) sent.push(out);
      previous = out;
    }
    seen = true;
  }
  return sent;
}

/** What the threshold sends for the same values. */
function topicflow(config: Record<string, unknown>, values: readonly number[]): string[] {
  const parsed = thresholdNode.config.parse(config);
  const rule = ruleOf(parsed);
  let state: TopicState | undefined;
  const sent: string[] = [];
  for (const v of values) {
    const step = evaluate(rule, state, v, 0);
    state = step.next;
    if (step.emit) sent.push(label(step.emit, parsed.on, parsed.off));
  }
  return sent;
}

function label(level: Level, on: unknown, off: unknown): string {
  const value = level === 'on' ? on : off;
  return value === 'ON' || value === 22 ? 'ON' : value === 'OFF' || value === 19 ? 'OFF' : JSON.stringify(value);
}

const exhaustive: Rule[][] = [
  [{ t: 'gt', v: '25', vt: 'num' }, { t: 'else' }],
  [{ t: 'gte', v: '25', vt: 'num' }, { t: 'else' }],
  [{ t: 'lt', v: '25', vt: 'num' }, { t: 'else' }],
  [{ t: 'lte', v: '25', vt: 'num' }, { t: 'else' }],
  [{ t: 'gt', v: '25', vt: 'num' }, { t: 'lte', v: '25', vt: 'num' }],
  [{ t: 'lt', v: '25', vt: 'num' }, { t: 'gte', v: '25', vt: 'num' }],
  [{ t: 'btwn', v: '20', vt: 'num', v2: '25', v2t: 'num' }, { t: 'else' }],
];
const hysteresis: Rule[][] = [
  [{ t: 'gt', v: '25', vt: 'num' }, { t: 'lt', v: '23', vt: 'num' }],
  [{ t: 'lt', v: '23', vt: 'num' }, { t: 'gt', v: '25', vt: 'num' }],
];
// Values on and around every limit, where "sticky" equality would show.
const values = fc.array(fc.constantFrom(19, 20, 22.9, 23, 23.1, 24, 25, 25.1, 30), { minLength: 1, maxLength: 25 });

describe('switch + change (+ filter) → threshold', () => {
  for (const rules of exhaustive) {
    for (const filter of [undefined, 'rbe', 'rbei']) {
      test(`${rules.map((r) => `${r['t']} ${r['v'] ?? ''}`).join(' / ')}${filter ? ` + ${filter}` : ''} sends what Node-RED sends (property)`, () => {
        const { node, document } = thresholdOf(pattern(rules, filter ? { func: filter } : undefined));
        assert.ok(node, 'a threshold');
        assert.ok(validateDocument(document).ok);
        fc.assert(fc.property(values, (vs) => assert.deepEqual(topicflow(node.config, vs), nodeRed(rules, vs, filter), JSON.stringify(vs))), { numRuns: 300 });
      });
    }
  }

  for (const rules of hysteresis) {
    test(`hysteresis ${rules.map((r) => `${r['t']} ${r['v']}`).join(' / ')} + rbe sends what Node-RED sends once a value left the band (property)`, () => {
      const { node, report } = thresholdOf(pattern(rules, { func: 'rbe' }));
      assert.ok(node);
      assert.equal(node.config['hysteresis'], 2);
      assert.ok(report.changed.find((r) => r.id === 'sw')!.differences.some((d) => /first value between 23 and 25/.test(d)));
      const start = fc.constantFrom(19, 20, 30);
      fc.assert(fc.property(start, values, (first, vs) => assert.deepEqual(topicflow(node.config, [first, ...vs]), nodeRed(rules, [first, ...vs], 'rbe'))), { numRuns: 300 });
    });
  }

  test('hysteresis without a filter is not a threshold (Node-RED repeats every value): the switch becomes filters', () => {
    const { node, document } = thresholdOf(pattern(hysteresis[0]!));
    assert.equal(node, undefined);
    assert.ok(document.nodes.some((n) => n.id === 'sw-out1'));
  });

  test('a deadband filter folds when a switch between the two values passes the band', () => {
    const rules = [{ t: 'lt', v: '5', vt: 'num' }, { t: 'else' }];
    const { node, report } = thresholdOf(pattern(rules, { func: 'deadband', gap: '1' }, ['22', '19', 'num']));
    assert.ok(node);
    assert.equal(node.config['emit'], 'change');
    assert.equal(report.converted.find((r) => r.id === 'f')?.becomes[0], node.id);
    fc.assert(fc.property(fc.array(fc.constantFrom(3, 4.9, 5, 5.1, 8), { maxLength: 20 }), (vs) => assert.deepEqual(topicflow(node.config, vs), nodeRed(rules, vs, 'deadband', 1))));
  });

  test('a deadband wider than the step between the values, a narrowband, or text values stay a placeholder', () => {
    const rules = [{ t: 'lt', v: '5', vt: 'num' }, { t: 'else' }];
    for (const [filter, values] of [
      [{ func: 'deadband', gap: '5' }, ['22', '19', 'num']],
      [{ func: 'narrowband', gap: '5' }, ['22', '19', 'num']],
      [{ func: 'deadband', gap: '1' }, ['"ON"', '"OFF"', 'json']],
    ] as const) {
      const { document, report } = convertNodeRed(pattern(rules, filter, [...values] as [string, string, string]));
      const placeholder = document.nodes.find((n) => n.id === 'f');
      assert.equal(placeholder?.type, 'unsupported', JSON.stringify(filter));
      assert.ok(report.unsupported.some((r) => r.id === 'f'));
    }
  });

  test('a field of the payload is picked by a path transform before the threshold', () => {
    const flow = pattern([{ t: 'gt', v: '25', vt: 'num' }, { t: 'else' }], { func: 'rbe' });
    (flow.find((n) => n.id === 'sw') as Record<string, unknown>)['property'] = 'payload["temperature:0"].tC';
    const { document } = convertNodeRed(flow);
    const op = (document.nodes.find((n) => n.id === 'sw-value')?.config['ops'] as { op: string; path: string }[])[0]!;
    assert.equal(op.op, 'path');
    assert.deepEqual(parsePath(op.path), ['temperature:0', 'tC']);
    assert.deepEqual(document.edges.filter((e) => e.source === 'sw-value'), [{ source: 'sw-value', target: 'sw-threshold' }]);
    assert.deepEqual(document.edges.filter((e) => e.source === 'sw-threshold'), [{ source: 'sw-threshold', target: 'out' }]);
  });

  test('the report says what a missing field, text or null does differently, and folds the change nodes and filter', () => {
    const { report } = convertNodeRed(pattern([{ t: 'gt', v: '25', vt: 'num' }, { t: 'else' }], { func: 'rbe' }));
    const sw = report.changed.find((r) => r.id === 'sw')!;
    assert.match(sw.message, /ON above 25/);
    assert.ok(sw.differences.some((d) => /missing field/.test(d) && /"otherwise", which sends "OFF"/.test(d)));
    for (const id of ['on', 'off', 'f']) assert.equal(report.converted.find((r) => r.id === id)?.becomes[0], 'sw');
  });
});
