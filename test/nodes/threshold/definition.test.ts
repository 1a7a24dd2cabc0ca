import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { z } from 'zod';
import { thresholdNode } from '../../../nodes/threshold/definition.ts';

function issues(config: unknown): { path: string; message: string }[] {
  const result = thresholdNode.config.safeParse(config);
  assert.equal(result.success, false, `expected ${JSON.stringify(config)} to be refused`);
  return result.error!.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
}

describe('threshold config', () => {
  test('defaults are filled in', () => {
    assert.deepEqual(thresholdNode.config.parse({ above: 25 }), {
      above: 25,
      hysteresis: 0,
      for: 0,
      forOff: 0,
      emit: 'change',
      emitFirst: true,
      on: 'ON',
      off: 'OFF',
      maxTopics: 10_000,
    });
  });

  test('on and off take any JSON value but null', () => {
    for (const value of ['on', 1, true, { state: 'ON' }, [1, 2]]) {
      assert.deepEqual(thresholdNode.config.parse({ above: 1, on: value }).on, value);
    }
    assert.deepEqual(issues({ above: 1, off: null }), [
      { path: 'off', message: 'off must be text, a number, true/false, a list or an object.' },
    ]);
  });

  const refused: [name: string, config: unknown, expected: { path: string; message: string }[]][] = [
    ['no mode', {}, [{ path: '', message: 'Set one of above, below, between or outside.' }]],
    [
      'two modes',
      { above: 25, below: 10 },
      [{ path: 'below', message: 'Set only one of above, below, between or outside; this config sets above and below.' }],
    ],
    [
      'between with L = U',
      { between: [20, 20] },
      [{ path: 'between', message: 'The lower bound of between (20) must be less than its upper bound (20).' }],
    ],
    [
      'outside with L > U',
      { outside: [30, 20] },
      [{ path: 'outside', message: 'The lower bound of outside (30) must be less than its upper bound (20).' }],
    ],
    ['negative hysteresis', { above: 25, hysteresis: -1 }, [{ path: 'hysteresis', message: 'hysteresis must be 0 or more, not -1.' }]],
    ['negative for', { above: 25, for: -5 }, [{ path: 'for', message: 'for must be 0 seconds or more, not -5.' }]],
    ['negative forOff', { above: 25, forOff: -5 }, [{ path: 'forOff', message: 'forOff must be 0 seconds or more, not -5.' }]],
    ['text limit', { above: '25' }, [{ path: 'above', message: 'above must be a number, not "25".' }]],
    ['one-element range', { between: [20] }, [{ path: 'between', message: 'between must be a pair of numbers [low, high].' }]],
    ['bad emit', { above: 25, emit: 'always' }, [{ path: 'emit', message: 'emit must be "change" or "every".' }]],
    ['min ≥ max', { above: 25, min: 85, max: -40 }, [{ path: 'min', message: 'min (85) must be less than max (-40).' }]],
    ['maxTopics 0', { above: 25, maxTopics: 0 }, [{ path: 'maxTopics', message: 'maxTopics must be at least 1.' }]],
    [
      'outside with a hysteresis wider than half the range',
      { outside: [20, 30], hysteresis: 6 },
      [{ path: 'hysteresis', message: 'hysteresis 6 leaves no value that switches OFF; with outside it must be at most 5.' }],
    ],
  ];
  for (const [name, config, expected] of refused) {
    test(`refuses ${name}`, () => {
      assert.deepEqual(issues(config), expected);
    });
  }

  test('every field is described for the editor form', () => {
    const shape = z.toJSONSchema(thresholdNode.config, { io: 'input' }) as {
      properties: Record<string, { description?: string }>;
    };
    for (const [field, schema] of Object.entries(shape.properties)) {
      assert.ok(schema.description, `${field} has no description`);
    }
  });
});
