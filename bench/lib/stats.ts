/** Small statistics for the bench: percentiles of latency samples and medians of repetitions. */

/**
 * The p-th percentile (0…100) of `values` by linear interpolation between the closest ranks
 * (the "R-7" / spreadsheet definition). NaN for an empty list. `values` need not be sorted.
 */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  if (!(p >= 0 && p <= 100)) throw new Error(`percentile must be within 0…100, not ${p}`);
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p / 100) * (sorted.length - 1);
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (rank - low);
}

/** The median, ignoring NaN (a figure one repetition could not measure); NaN when none is left. */
export function median(values: readonly number[]): number {
  return percentile(
    values.filter((v) => !Number.isNaN(v)),
    50,
  );
}

/** a / b, or NaN when either is not a finite number or b is 0. */
export function ratio(a: number, b: number): number {
  return Number.isFinite(a) && Number.isFinite(b) && b !== 0 ? a / b : Number.NaN;
}
