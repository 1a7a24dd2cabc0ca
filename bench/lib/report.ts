import { median, ratio } from './stats.ts';

/**
 * The bench's result: every figure of every repetition, the medians, and each figure as a
 * ratio to the relay (the ratio of one repetition is taken within that repetition, then the
 * median of those ratios is reported), with the target it is held to.
 */

export interface Row {
  readonly figure: string;
  readonly unit: string;
  /** topicflow's value per repetition. */
  readonly engine: number[];
  /** The relay's value per repetition (same order), when it has one. */
  readonly relay?: number[];
  /** The target, shown as text, and the check of the reported value against it. */
  readonly target?: { text: string; limit: number; on: 'ratio' | 'value' };
  /** Decimals to print. */
  readonly digits?: number;
  /** Show the relay's value but no ratio (a ratio of differences near zero means nothing). */
  readonly noRatio?: boolean;
}

export interface RowResult {
  readonly figure: string;
  readonly unit: string;
  readonly engine: number;
  readonly relay?: number;
  readonly ratio?: number;
  readonly repetitions: number;
  readonly target?: string;
  /** true/false when there is a target; `by` is how far over the limit the value is, in percent. */
  readonly met?: boolean;
  readonly overByPercent?: number;
}

/** Medians, per-repetition ratios and the target check of one row. */
export function summarizeRow(row: Row): RowResult {
  const engine = median(row.engine);
  const relay = row.relay ? median(row.relay) : undefined;
  const ratios = row.relay && !row.noRatio ? row.engine.map((e, i) => ratio(e, row.relay![i] ?? Number.NaN)) : undefined;
  const r = ratios ? median(ratios) : undefined;
  const result: RowResult = {
    figure: row.figure,
    unit: row.unit,
    engine,
    ...(relay !== undefined ? { relay } : {}),
    ...(r !== undefined ? { ratio: r } : {}),
    repetitions: row.engine.filter((v) => !Number.isNaN(v)).length,
  };
  if (!row.target) return result;
  const checked = row.target.on === 'ratio' ? r ?? Number.NaN : engine;
  const met = checked <= row.target.limit;
  return {
    ...result,
    target: row.target.text,
    met,
    ...(met || Number.isNaN(checked) ? {} : { overByPercent: (checked / row.target.limit - 1) * 100 }),
  };
}

function show(value: number | undefined, digits: number): string {
  if (value === undefined) return '—';
  if (Number.isNaN(value)) return 'n/a';
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** A plain-text table: figure, topicflow, relay, ratio, target, verdict. */
export function formatTable(rows: readonly Row[], results: readonly RowResult[]): string {
  const header = ['figure', 'topicflow', 'relay', 'ratio', 'target', 'verdict'];
  const lines = results.map((r, i) => {
    const digits = rows[i]!.digits ?? 1;
    const verdict =
      r.met === undefined ? '' : r.met ? 'met' : r.overByPercent !== undefined ? `MISSED by ${r.overByPercent.toFixed(0)}%` : 'MISSED (not measured)';
    return [
      `${r.figure} (${r.unit})${r.repetitions < 3 ? ` [n=${r.repetitions}]` : ''}`,
      show(r.engine, digits),
      show(r.relay, digits),
      r.ratio === undefined ? '—' : `${show(r.ratio, 2)}×`,
      r.target ?? '',
      verdict,
    ];
  });
  const widths = header.map((h, c) => Math.max(h.length, ...lines.map((l) => l[c]!.length)));
  const fmt = (cells: readonly string[]) =>
    cells.map((cell, c) => (c === 0 || c >= 4 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ').trimEnd();
  return [fmt(header), widths.map((w) => '-'.repeat(w)).join('  '), ...lines.map(fmt)].join('\n');
}
