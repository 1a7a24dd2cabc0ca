/**
 * The range node as a JSONata transform, against Node-RED's documented arithmetic: scale
 * (n − minIn) / (maxIn − minIn) × (maxOut − minOut) + minOut, after clamping or wrapping,
 * halves rounded up, values outside the range dropped in "drop" mode.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { convertNodeRed } from '../../nodes/import/convert.ts';
import { broker, mqttIn, mqttOut, node, tab } from './support/nr.ts';
import { runTransform, UNAVAILABLE } from './support/run-ops.ts';

interface Range {
  minin: number;
  maxin: number;
  minout: number;
  maxout: number;
  action: 'scale' | 'clamp' | 'roll' | 'drop';
  round: boolean;
}

function convertRange(r: Range, property = 'payload') {
  const config = { ...Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'number' ? String(v) : v])), property };
  const { document, report } = convertNodeRed([tab(), broker(), mqttIn('in', 'x', ['r']), node('r', 'range', [['out']], config), mqttOut('out', 'y')]);
  return { node: document.nodes.find((n) => n.id === 'r')!, report };
}

/** Node-RED's range, as documented; undefined when the message is dropped. */
function reference(r: Range, input: number): number | undefined {
  let { minin, maxin, minout, maxout } = r;
  if (minin > maxin) [minin, maxin, minout, maxout] = [maxin, minin, maxout, minout];
  if (r.round) [minout, maxout] = [Math.ceil(minout), Math.floor(maxout)];
  let n = input;
  if (r.action === 'drop' && (n < minin || n > maxin)) return undefined;
  if (r.action === 'clamp') n = Math.min(Math.max(n, minin), maxin);
  if (r.action === 'roll') {
    const d = maxin - minin;
    n = (((n - minin) % d) + d) % d + minin;
  }
  const value = ((n - minin) / (maxin - minin)) * (maxout - minout) + minout;
  return r.round ? Math.round(value) : value;
}

const ranges: Range[] = [
  { minin: 0, maxin: 1023, minout: 0, maxout: 100, action: 'scale', round: false },
  { minin: 0, maxin: 400, minout: 100, maxout: 0, action: 'clamp', round: true },
  { minin: 0, maxin: 360, minout: 0, maxout: 1, action: 'roll', round: false },
  { minin: 10, maxin: -10, minout: 0, maxout: 255, action: 'drop', round: true },
  { minin: 0.5, maxin: 3.3, minout: -40.25, maxout: 125.75, action: 'scale', round: true },
];

describe('range → transform', () => {
  for (const r of ranges) {
    test(`${r.action}${r.round ? ', rounded' : ''} ${r.minin}…${r.maxin} → ${r.minout}…${r.maxout} matches Node-RED to the last bit (property)`, async () => {
      const { node } = convertRange(r);
      await fc.assert(
        fc.asyncProperty(fc.oneof(fc.integer({ min: -2000, max: 2000 }), fc.double({ min: -2000, max: 2000, noNaN: true })), async (input) => {
          const expected = reference(r, input);
          const out = await runTransform(node.config, input);
          assert.ok(out.ok, JSON.stringify(out));
          // -0 and 0 publish the same text; JSONata does not keep the sign of zero.
          const normal = (v: unknown) => (v === 0 ? 0 : v);
          assert.deepEqual(normal(out.payload), normal(expected === undefined ? UNAVAILABLE : r.action === 'drop' ? String(expected) : expected), `input ${input}`);
        }),
        { numRuns: 150 },
      );
    });
  }

  test('numeric text is read as a number, other values are node errors, a missing field passes unchanged', async () => {
    const { node, report } = convertRange(ranges[0]!);
    assert.deepEqual(await runTransform(node.config, '1023'), { ok: true, payload: 100, topic: 'sensor/x' });
    assert.equal((await runTransform(node.config, 'dark')).ok, false);
    assert.ok(report.changed.find((x) => x.id === 'r')!.differences.some((d) => /not a number/.test(d)));
    const field = convertRange(ranges[0]!, 'payload.adc').node;
    assert.deepEqual(await runTransform(field.config, { adc: 1023, id: 7 }), { ok: true, payload: { adc: 100, id: 7 }, topic: 'sensor/x' });
    assert.deepEqual(await runTransform(field.config, { id: 7 }), { ok: true, payload: { id: 7 }, topic: 'sensor/x' });
  });

  test('an empty input range or bounds that are not numbers make a placeholder', () => {
    assert.equal(convertRange({ ...ranges[0]!, maxin: 0 }).node.type, 'unsupported');
    assert.equal(convertRange({ ...ranges[0]!, minout: Number.NaN }).node.type, 'unsupported');
  });
});
