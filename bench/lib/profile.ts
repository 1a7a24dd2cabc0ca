import { readFileSync } from 'node:fs';
import { relative } from 'node:path';

/**
 * A summary of a V8 `.cpuprofile` (`node --cpu-prof`): where the sampled time went, as self
 * time per function and per source file or package, in percent of all samples. Idle samples
 * ("(idle)") are left out of the percentages, so the figures are shares of busy time.
 */

interface CallFrame {
  readonly functionName: string;
  readonly url: string;
  readonly lineNumber: number;
}

interface ProfileNode {
  readonly id: number;
  readonly callFrame: CallFrame;
  readonly children?: readonly number[];
}

export interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  /** µs on the monotonic clock (the one process.hrtime reads). */
  readonly startTime: number;
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

export interface ProfileLine {
  readonly name: string;
  readonly percent: number;
}

export interface ProfileSummary {
  readonly busyMs: number;
  readonly byFunction: ProfileLine[];
  readonly byFile: ProfileLine[];
  /** Inclusive share of busy time under each function name asked for (its callees counted). */
  readonly inclusive: ProfileLine[];
}

/** Where a URL belongs: a package of node_modules, a project file, or Node itself. */
export function fileGroup(url: string, root: string): string {
  if (url === '') return '(native / VM)';
  const path = url.startsWith('file://') ? decodeURIComponent(new URL(url).pathname) : url;
  const nm = path.lastIndexOf('/node_modules/');
  if (nm >= 0) {
    const rest = path.slice(nm + '/node_modules/'.length).split('/');
    return `npm:${rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]}`;
  }
  if (path.startsWith('node:')) return path;
  if (path.startsWith('/')) return relative(root, path);
  return path;
}

export interface SummaryOptions {
  /** Top entries per list. */
  readonly limit?: number;
  /** Function names whose inclusive time is wanted. */
  readonly inclusiveOf?: readonly string[];
  /** Only samples taken within this window, in µs of the monotonic clock (process.hrtime.bigint() / 1000). */
  readonly fromUs?: number;
  readonly toUs?: number;
}

/**
 * Summarize `profile`: top functions and files by self time, plus inclusive time of
 * `inclusiveOf`. With a window, start-up (module loading, compilation) is left out.
 */
export function summarizeProfile(profile: CpuProfile, root: string, options: SummaryOptions = {}): ProfileSummary {
  const { limit = 25, inclusiveOf = [], fromUs = -Infinity, toUs = Infinity } = options;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  let at = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    const delta = profile.timeDeltas[i] ?? 0;
    at += delta;
    if (at < fromUs || at > toUs) continue;
    const id = profile.samples[i]!;
    self.set(id, (self.get(id) ?? 0) + delta);
  }
  let busy = 0;
  const fn = new Map<string, number>();
  const file = new Map<string, number>();
  for (const [id, us] of self) {
    const frame = byId.get(id)!.callFrame;
    if (frame.functionName === '(idle)' || frame.functionName === '(program)') continue;
    busy += us;
    const group = fileGroup(frame.url, root);
    const name = `${frame.functionName || '(anonymous)'} ${group}${frame.url ? `:${frame.lineNumber + 1}` : ''}`;
    fn.set(name, (fn.get(name) ?? 0) + us);
    file.set(group, (file.get(group) ?? 0) + us);
  }
  // Inclusive: the self time of every node under a node with the given name (counted once).
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const inclusive = new Map<string, number>(inclusiveOf.map((name) => [name, 0]));
  for (const [id, us] of self) {
    if (byId.get(id)!.callFrame.functionName === '(idle)') continue;
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const name = byId.get(at)!.callFrame.functionName;
      if (inclusive.has(name) && !seen.has(name)) {
        seen.add(name);
        inclusive.set(name, inclusive.get(name)! + us);
      }
    }
  }
  const top = (m: Map<string, number>, n: number): ProfileLine[] =>
    [...m].sort((a, b) => b[1] - a[1]).slice(0, n).map(([name, us]) => ({ name, percent: (us / busy) * 100 }));
  return { busyMs: busy / 1000, byFunction: top(fn, limit), byFile: top(file, limit), inclusive: top(inclusive, inclusive.size) };
}

export function readProfile(path: string): CpuProfile {
  return JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
}

/** The summary as indented text lines. */
export function formatSummary(summary: ProfileSummary): string {
  const lines = [`busy (sampled, not idle): ${summary.busyMs.toFixed(0)} ms`, 'self time by file / package:'];
  for (const l of summary.byFile) lines.push(`  ${l.percent.toFixed(1).padStart(5)}%  ${l.name}`);
  lines.push('self time by function:');
  for (const l of summary.byFunction) lines.push(`  ${l.percent.toFixed(1).padStart(5)}%  ${l.name}`);
  if (summary.inclusive.length > 0) {
    lines.push('inclusive time (callees included):');
    for (const l of summary.inclusive) lines.push(`  ${l.percent.toFixed(1).padStart(5)}%  ${l.name}`);
  }
  return lines.join('\n');
}
