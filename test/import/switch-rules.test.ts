/**
 * The switch rules' JSONata against JavaScript itself: Node-RED's switch compares with
 * JavaScript's loose operators, so the reference here is those operators, applied to a table
 * of awkward values (numeric text, padded text, hex, null, a missing field, true, lists,
 * objects). Every value × rule must route exactly as JavaScript decides.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import jsonata from 'jsonata';
import fc from 'fast-check';
import { withHelpers } from '../../nodes/import/jsonata-js.ts';
import { portCondition, ruleCondition, type NrRule } from '../../nodes/import/switch-rules.ts';

const MISSING = Symbol('missing field');

const VALUES: unknown[] = [
  0, -0, 1, 25, 25.5, -3, 1e21, 0.1, 30, 'ON', 'on', 'OFF', '', ' ', '26', ' 30 ', '30.0', '+5', '007', '5.', '.5', '1e3', '0x1F', '-0',
  'abc', 'error 5', 'X12', 'x9', 'true', 'null', true, false, null, MISSING, [], [5], [30], [1, 2], ['a'], {}, { a: 1 }, 'm', 'b', 'zebra',
];

/** The payload and the JSONata that reads the tested value from it. */
function holder(value: unknown): { payload: unknown } {
  return { payload: value === MISSING ? {} : { x: value } };
}

const compiled = new Map<string, jsonata.Expression>();
async function evaluate(cond: string, value: unknown): Promise<boolean> {
  let expr = compiled.get(cond);
  if (!expr) compiled.set(cond, (expr = jsonata(withHelpers(`(${cond}) = true`, ['$v := x']))));
  return (await expr.evaluate(holder(value).payload, { topic: 't' })) === true;
}

/* eslint-disable eqeqeq -- the loose operators are the point: they are Node-RED's semantics */
const js = (v: unknown): any => (v === MISSING ? undefined : v);
const RULES: { rule: NrRule; reference: (a: any) => boolean }[] = [
  { rule: { t: 'eq', v: 'ON', vt: 'str' }, reference: (a) => a == 'ON' },
  { rule: { t: 'eq', v: '30', vt: 'num' }, reference: (a) => a == 30 },
  { rule: { t: 'eq', v: '', vt: 'str' }, reference: (a) => a == '' },
  { rule: { t: 'eq', v: 'true', vt: 'bool' }, reference: (a) => a == true },
  { rule: { t: 'neq', v: 'OFF', vt: 'str' }, reference: (a) => a != 'OFF' },
  { rule: { t: 'neq', v: '0', vt: 'num' }, reference: (a) => a != 0 },
  { rule: { t: 'gt', v: '25', vt: 'num' }, reference: (a) => a > 25 },
  { rule: { t: 'gte', v: '30', vt: 'num' }, reference: (a) => a >= 30 },
  { rule: { t: 'lt', v: '0', vt: 'num' }, reference: (a) => a < 0 },
  { rule: { t: 'lte', v: '0', vt: 'num' }, reference: (a) => a <= 0 },
  { rule: { t: 'gt', v: 'b', vt: 'str' }, reference: (a) => a > 'b' },
  { rule: { t: 'lt', v: '25' }, reference: (a) => a < 25 },
  { rule: { t: 'btwn', v: '10', vt: 'num', v2: '30', v2t: 'num' }, reference: (a) => (a >= 10 && a <= 30) || (a <= 10 && a >= 30) },
  { rule: { t: 'btwn', v: '30', vt: 'num', v2: '10', v2t: 'num' }, reference: (a) => (a >= 30 && a <= 10) || (a <= 30 && a >= 10) },
  { rule: { t: 'btwn', v: 'b', vt: 'str', v2: 'm', v2t: 'str' }, reference: (a) => (a >= 'b' && a <= 'm') || (a <= 'b' && a >= 'm') },
  { rule: { t: 'cont', v: 'err', vt: 'str' }, reference: (a) => `${a}`.indexOf('err') !== -1 },
  { rule: { t: 'cont', v: '5', vt: 'num' }, reference: (a) => `${a}`.indexOf('5') !== -1 },
  { rule: { t: 'regex', v: '^x\\d+$', vt: 'str', case: true }, reference: (a) => /^x\d+$/i.test(`${a}`) },
  { rule: { t: 'regex', v: 'a/b|N', vt: 'str' }, reference: (a) => /a\/b|N/.test(`${a}`) },
  { rule: { t: 'true' }, reference: (a) => a === true },
  { rule: { t: 'false' }, reference: (a) => a === false },
  { rule: { t: 'null' }, reference: (a) => a === undefined || a === null },
  { rule: { t: 'nnull' }, reference: (a) => a !== undefined && a !== null },
  { rule: { t: 'empty' }, reference: (a) => (typeof a === 'string' || Array.isArray(a) ? a.length === 0 : typeof a === 'object' && a !== null ? Object.keys(a).length === 0 : false) },
  { rule: { t: 'nempty' }, reference: (a) => (typeof a === 'string' || Array.isArray(a) ? a.length !== 0 : typeof a === 'object' && a !== null ? Object.keys(a).length !== 0 : false) },
  { rule: { t: 'istype', v: 'number', vt: 'number' }, reference: (a) => typeof a === 'number' },
  { rule: { t: 'istype', v: 'string', vt: 'string' }, reference: (a) => typeof a === 'string' },
  { rule: { t: 'istype', v: 'array', vt: 'array' }, reference: (a) => Array.isArray(a) },
  { rule: { t: 'istype', v: 'object', vt: 'object' }, reference: (a) => typeof a === 'object' && a !== null && !Array.isArray(a) },
  { rule: { t: 'istype', v: 'undefined', vt: 'undefined' }, reference: (a) => a === undefined },
  { rule: { t: 'hask', v: 'a', vt: 'str' }, reference: (a) => typeof a === 'object' && a !== null && !Array.isArray(a) && Object.hasOwn(a, 'a') },
];
/* eslint-enable eqeqeq */

describe('switch rules as JSONata', () => {
  for (const { rule, reference } of RULES) {
    test(`${rule.t} ${String(rule.v ?? '')}${rule.v2 !== undefined ? ` ${String(rule.v2)}` : ''} (${rule.vt ?? 'untyped'}) routes like JavaScript`, async () => {
      const result = ruleCondition(rule);
      assert.ok(result.ok, JSON.stringify(result));
      for (const value of VALUES) {
        assert.equal(await evaluate(result.cond, value), reference(js(value)), `value ${value === MISSING ? 'missing' : JSON.stringify(value)}`);
      }
    });
  }

  test('numbers and numeric text compare like JavaScript for any value (property)', async () => {
    const { cond: gt } = ruleCondition({ t: 'gt', v: '21.5', vt: 'num' }) as { cond: string };
    const { cond: eq } = ruleCondition({ t: 'eq', v: '21.5', vt: 'str' }) as { cond: string };
    const value = fc.oneof(
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.double({ noNaN: true, noDefaultInfinity: true, min: -1000, max: 1000 }).map((n) => String(n)),
      fc.constantFrom('21.5', '21.50', ' 21.5', '021.5', '+21.5', '21.5e0', 'x'),
    );
    await fc.assert(
      fc.asyncProperty(value, async (v) => {
        assert.equal(await evaluate(gt, v), (v as number) > 21.5, `gt ${JSON.stringify(v)}`);
        // eslint-disable-next-line eqeqeq
        assert.equal(await evaluate(eq, v), (v as unknown) == '21.5', `eq ${JSON.stringify(v)}`);
      }),
      { numRuns: 100 },
    );
  });

  test('rules that need state, sequences or context are refused with a reason', () => {
    for (const rule of [{ t: 'gt', v: '', vt: 'prev' }, { t: 'head', v: '2' }, { t: 'eq', v: 'x', vt: 'flow' }, { t: 'eq', v: 'X', vt: 'env' }, { t: 'istype', v: 'buffer', vt: 'buffer' }]) {
      const result = ruleCondition(rule);
      assert.equal(result.ok, false, JSON.stringify(rule));
      assert.match((result as { reason: string }).reason, /\w/);
    }
    assert.equal(ruleCondition({ t: 'regex', v: '([' }).ok, false);
  });

  test('a rule value of type msg compares with the payload field or the topic', async () => {
    const result = ruleCondition({ t: 'eq', v: 'topic', vt: 'msg' });
    assert.ok(result.ok);
    const expr = withHelpers(`(${result.cond}) = true`, ['$v := x']);
    assert.equal(await jsonata(expr).evaluate({ x: 'a/b' }, { topic: 'a/b' }), true);
    assert.equal(await jsonata(expr).evaluate({ x: 'a/c' }, { topic: 'a/b' }), false);
  });
});

/**
 * Node-RED's routing, as its documentation describes it: rules in order; "otherwise" matches
 * when no rule matched since the last "otherwise"; with "stop after first match" nothing after
 * the first match is checked.
 */
function nodeRedPorts(matches: readonly boolean[], kinds: readonly ('rule' | 'else')[], stopAtFirst: boolean): boolean[] {
  const out = kinds.map(() => false);
  let nothingYet = true;
  for (let i = 0; i < kinds.length; i++) {
    const hit = kinds[i] === 'else' ? nothingYet : matches[i]!;
    if (kinds[i] === 'else') nothingYet = true;
    if (hit) {
      out[i] = true;
      nothingYet = false;
      if (stopAtFirst) break;
    }
  }
  return out;
}

describe('switch ports', () => {
  test('each port gets what Node-RED sends it, for any rules, otherwise-rules and both modes (property)', async () => {
    const arbitrary = fc.record({
      kinds: fc.array(fc.constantFrom<'rule' | 'else'>('rule', 'rule', 'else'), { minLength: 1, maxLength: 5 }),
      matches: fc.array(fc.boolean(), { minLength: 5, maxLength: 5 }),
      stopAtFirst: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(arbitrary, async ({ kinds, matches, stopAtFirst }) => {
        // Rule i "matches" when bit i of the input is true: the input is the list of bits.
        const conditions = kinds.map((k, i) => (k === 'else' ? ('else' as const) : `$v[${i}] = true`));
        const expected = nodeRedPorts(matches, kinds, stopAtFirst);
        for (let port = 0; port < kinds.length; port++) {
          const { bindings, test } = portCondition(conditions, port, stopAtFirst);
          const got = await jsonata(withHelpers(`${test} = true`, ['$v := $', ...bindings])).evaluate(matches);
          assert.equal(got, expected[port], `port ${port} of ${JSON.stringify({ kinds, matches, stopAtFirst })}`);
        }
      }),
      { numRuns: 150 },
    );
  });
});
