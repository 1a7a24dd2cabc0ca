import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/**
 * CPU time and memory of another process, read from /proc (Linux). CPU is utime + stime of
 * /proc/<pid>/stat: every thread of the process (main thread, GC helpers, libuv pool), in
 * clock ticks of `getconf CLK_TCK` (100 per second here, so 10 ms resolution).
 */

/** Ticks of /proc/<pid>/stat, split at the last `)` so a command name with spaces cannot shift the fields. */
export interface ProcTicks {
  readonly utime: number;
  readonly stime: number;
}

/**
 * Parse the text of /proc/<pid>/stat. Fields after `comm` start at field 3 (state); utime and
 * stime are fields 14 and 15 (proc(5)). Throws on text that does not have them.
 */
export function parseProcStat(text: string): ProcTicks {
  const close = text.lastIndexOf(')');
  if (close < 0) throw new Error('not a /proc/<pid>/stat line: no ")" after the command name');
  const fields = text.slice(close + 2).trim().split(/\s+/);
  // fields[0] is field 3 (state), so field n is fields[n - 3].
  const utime = Number(fields[14 - 3]);
  const stime = Number(fields[15 - 3]);
  if (!Number.isInteger(utime) || !Number.isInteger(stime)) {
    throw new Error(`not a /proc/<pid>/stat line: utime/stime are ${fields[11]}/${fields[12]}`);
  }
  return { utime, stime };
}

/** A `Name:  1234 kB` line of /proc/<pid>/status, in bytes; undefined when absent. */
export function parseStatusKb(text: string, name: 'VmRSS' | 'VmHWM'): number | undefined {
  const match = new RegExp(`^${name}:\\s+(\\d+)\\s+kB$`, 'm').exec(text);
  return match ? Number(match[1]) * 1024 : undefined;
}

let ticksPerSecond: number | undefined;

/** `getconf CLK_TCK`: the unit of utime/stime. */
export function clockTicksPerSecond(): number {
  if (ticksPerSecond === undefined) {
    const value = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
    if (!Number.isInteger(value) || value <= 0) throw new Error(`getconf CLK_TCK gave "${value}"`);
    ticksPerSecond = value;
  }
  return ticksPerSecond;
}

/** CPU seconds (user + system, all threads) that process `pid` has used so far. */
export function cpuSeconds(pid: number): number {
  const { utime, stime } = parseProcStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  return (utime + stime) / clockTicksPerSecond();
}

/** Resident set size of `pid` in bytes now (`hwm`: its peak so far). */
export function rssBytes(pid: number, hwm = false): number {
  const bytes = parseStatusKb(readFileSync(`/proc/${pid}/status`, 'utf8'), hwm ? 'VmHWM' : 'VmRSS');
  if (bytes === undefined) throw new Error(`/proc/${pid}/status has no ${hwm ? 'VmHWM' : 'VmRSS'} (process gone?)`);
  return bytes;
}
