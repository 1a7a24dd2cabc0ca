import { test } from 'node:test';
import assert from 'node:assert/strict';
import { convertUnit, roundHalfAwayFromZero, sameKind, tidy, type Unit } from '../../../nodes/transform/numeric.ts';

const ROUNDS: [value: number, decimals: number, expected: number][] = [
  [1.005, 2, 1.01],
  [1.255, 2, 1.26],
  [8.345, 2, 8.35],
  [1.45, 1, 1.5],
  [2.5, 0, 3],
  [-2.5, 0, -3],
  [0.5, 0, 1],
  [-0.5, 0, -1],
  [2.4999, 0, 2],
  [-0.4, 0, 0],
  [-0.004, 2, 0],
  [21.34, 1, 21.3],
  [21.35, 1, 21.4],
  [24.6, 0, 25],
  [1e-7, 6, 0],
  [5e-7, 6, 0.000001],
  [123456789.123456, 3, 123456789.123],
  [1e21, 2, 1e21],
  [0.1 + 0.2, 10, 0.3],
  [42, 10, 42],
  [-17.125, 2, -17.13],
];

for (const [value, decimals, expected] of ROUNDS) {
  test(`round ${value} to ${decimals} → ${expected}`, () => {
    const result = roundHalfAwayFromZero(value, decimals);
    assert.ok(Object.is(result, expected), `got ${Object.is(result, -0) ? '-0' : result}`);
  });
}

const CONVERSIONS: [value: number, from: Unit, to: Unit, expected: number][] = [
  [0, 'C', 'F', 32],
  [100, 'C', 'F', 212],
  [-40, 'C', 'F', -40],
  [21.5, 'C', 'F', 70.7],
  [37, 'C', 'F', 98.6],
  [98.6, 'F', 'C', 37],
  [72.5, 'F', 'C', 22.5],
  [0, 'C', 'K', 273.15],
  [0, 'K', 'C', -273.15],
  [32, 'F', 'K', 273.15],
  [399.2, 'W', 'kW', 0.3992],
  [1.5, 'kW', 'W', 1500],
  [2574466.629, 'Wh', 'kWh', 2574.466629],
  [1.753, 'kWh', 'Wh', 1753],
  [12.3, 'W', 'W', 12.3],
];

for (const [value, from, to, expected] of CONVERSIONS) {
  test(`convert ${value} ${from} → ${expected} ${to}`, () => {
    assert.equal(convertUnit(value, from, to), expected);
  });
}

test('units of different kinds do not mix', () => {
  assert.equal(sameKind('C', 'K'), true);
  assert.equal(sameKind('W', 'kW'), true);
  assert.equal(sameKind('W', 'kWh'), false);
  assert.equal(sameKind('C', 'W'), false);
});

test('tidy removes float noise but keeps real digits', () => {
  assert.equal(tidy(0.1 * 3), 0.3);
  assert.equal(tidy(0.1 + 0.2), 0.3);
  assert.equal(tidy(2574.466629), 2574.466629);
  assert.ok(Object.is(tidy(-0), 0));
});
