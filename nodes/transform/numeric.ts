/**
 * Arithmetic for the scale, round and convert ops, written so that results read the way a
 * person computes them on paper: 1.005 rounds to 1.01, 0.1 × 3 is 0.3.
 */

/** Units the convert op knows, grouped by what they measure. */
export const UNITS = {
  C: 'temperature',
  F: 'temperature',
  K: 'temperature',
  W: 'power',
  kW: 'power',
  Wh: 'energy',
  kWh: 'energy',
} as const;

/** A unit name as written in a convert op: `C`, `kWh`… */
export type Unit = keyof typeof UNITS;
/** The unit names as a non-empty list, for the schema's enum. */
export const UNIT_NAMES = Object.keys(UNITS) as [Unit, ...Unit[]];

/** Each unit as a way into and out of its kind's base unit (°C, W, Wh). */
const TO_BASE: Record<Unit, (x: number) => number> = {
  C: (x) => x,
  F: (x) => ((x - 32) * 5) / 9,
  K: (x) => x - 273.15,
  W: (x) => x,
  kW: (x) => x * 1000,
  Wh: (x) => x,
  kWh: (x) => x * 1000,
};
const FROM_BASE: Record<Unit, (x: number) => number> = {
  C: (x) => x,
  F: (x) => (x * 9) / 5 + 32,
  K: (x) => x + 273.15,
  W: (x) => x,
  kW: (x) => x / 1000,
  Wh: (x) => x,
  kWh: (x) => x / 1000,
};

/** True when `from` and `to` measure the same thing (°C and K yes, W and kWh no). */
export function sameKind(from: Unit, to: Unit): boolean {
  return UNITS[from] === UNITS[to];
}

/** `value` in unit `from`, expressed in unit `to` (same kind; the schema guarantees it). */
export function convertUnit(value: number, from: Unit, to: Unit): number {
  if (from === to) return value;
  return tidy(FROM_BASE[to](TO_BASE[from](value)));
}

/**
 * Drop the binary noise in the last bits of a result (0.30000000000000004 → 0.3). Fifteen
 * significant digits is all a double holds reliably, and far beyond any sensor's precision.
 */
export function tidy(value: number): number {
  if (!Number.isFinite(value) || value === 0) return value === 0 ? 0 : value;
  return Number(value.toPrecision(15));
}

/**
 * Round to `decimals` places, halves away from zero (2.5 → 3, −2.5 → −3). The shift is done
 * on the decimal text of the number, not by multiplying, so 1.005 (stored as 1.00499999…)
 * rounds to 1.01 as the person who typed it expects.
 */
export function roundHalfAwayFromZero(value: number, decimals: number): number {
  if (!Number.isFinite(value)) return value;
  const magnitude = shiftDecimal(Math.round(shiftDecimal(Math.abs(value), decimals)), -decimals);
  const result = value < 0 ? -magnitude : magnitude;
  // Never hand out −0: it prints as 0 but compares oddly downstream.
  return result === 0 ? 0 : result;
}

/** `value` × 10^`places`, exact in decimal: works on the shortest text form of the number. */
function shiftDecimal(value: number, places: number): number {
  const [mantissa, exponent = '0'] = String(value).split('e');
  return Number(`${mantissa}e${Number(exponent) + places}`);
}
