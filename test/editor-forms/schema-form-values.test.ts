import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nodeForm, type ChoiceField } from '../../editor/src/lib/schema-form.ts';
import { currentChoice, jsonToText, moveItem, switchChoice, textToJson, textToNumber, withField } from '../../editor/src/lib/schema-form-values.ts';
import { definitionsByType } from '../../nodes/registry.ts';

test('number inputs: empty means default, numbers are numbers, anything else is kept for the schema to report', () => {
  const cases: [string, number | string | undefined][] = [
    ['', undefined],
    ['   ', undefined],
    ['25', 25],
    ['-3.5', -3.5],
    ['21,5', 21.5],
    ['.5', 0.5],
    ['1e3', 1000],
    ['-', '-'],
    ['abc', 'abc'],
    ['0x10', '0x10'],
    ['Infinity', 'Infinity'],
  ];
  for (const [text, expected] of cases) assert.equal(textToNumber(text), expected, JSON.stringify(text));
});

test('JSON fields read text the way a person means it', () => {
  const cases: [string, unknown, string][] = [
    ['ON', 'ON', 'text'],
    ['25', 25, 'number'],
    ['true', true, 'true/false'],
    ['{"state":"ON"}', { state: 'ON' }, 'object'],
    ['[1,2]', [1, 2], 'list'],
    ['"25"', '25', 'text'],
    ['null', null, 'null'],
    ['', '', 'text'],
    ['Power is {payload} W', 'Power is {payload} W', 'text'],
  ];
  for (const [text, value, kind] of cases) {
    const reading = textToJson(text);
    assert.deepEqual([reading.value, reading.kind], [value, kind], text);
  }
  const broken = textToJson('{"state": ');
  assert.equal(broken.value, '{"state": ');
  assert.match(broken.note ?? '', /not valid JSON/);
});

test('JSON values are shown as text that reads back as the same value', () => {
  for (const value of ['ON', 25, true, { state: 'ON' }, [1, 'a'], '25', 'true', '', '{', null]) {
    assert.deepEqual(textToJson(jsonToText(value)).value, value, JSON.stringify(value));
  }
  assert.equal(jsonToText('ON'), 'ON');
  assert.equal(jsonToText('25'), '"25"');
  assert.equal(jsonToText(undefined), '');
});

test('withField sets a key, and removes it for undefined so the default applies', () => {
  assert.deepEqual(withField({ a: 1 }, 'b', 2), { a: 1, b: 2 });
  assert.deepEqual(withField({ a: 1, b: 2 }, 'b', undefined), { a: 1 });
  assert.deepEqual(withField(undefined, 'a', 0), { a: 0 });
});

test('switching the threshold condition carries the value over and leaves exactly one condition', () => {
  const choice = nodeForm('threshold')!.find((f): f is ChoiceField => f.kind === 'choice')!;
  const base = { above: 25, hysteresis: 0.5 };
  assert.equal(currentChoice(base, choice), 'above');
  assert.deepEqual(switchChoice(base, choice, 'below'), { below: 25, hysteresis: 0.5 });
  assert.deepEqual(switchChoice(base, choice, 'between'), { between: [25, 30], hysteresis: 0.5 });
  assert.deepEqual(switchChoice({ between: [1, 7] }, choice, 'outside'), { outside: [1, 7] });
  assert.deepEqual(switchChoice({ outside: [1, 7] }, choice, 'above'), { above: 1 });
  assert.deepEqual(switchChoice({}, choice, 'above'), { above: 20 });
  assert.equal(switchChoice(base, choice, 'above'), base);
  const schema = definitionsByType.get('threshold')!.config;
  for (const to of ['above', 'below', 'between', 'outside']) {
    assert.equal(schema.safeParse(switchChoice(base, choice, to)).success, true, to);
  }
});

test('moveItem reorders and clamps', () => {
  assert.deepEqual(moveItem(['a', 'b', 'c'], 0, 1), ['b', 'a', 'c']);
  assert.deepEqual(moveItem(['a', 'b', 'c'], 2, 0), ['c', 'a', 'b']);
  assert.deepEqual(moveItem(['a', 'b', 'c'], 2, 9), ['a', 'b', 'c']);
  assert.deepEqual(moveItem(['a', 'b', 'c'], 0, -1), ['a', 'b', 'c']);
});
