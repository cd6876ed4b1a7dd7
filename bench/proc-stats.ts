/**
 * CPU time of processes from /proc (Linux), shared by the benchmarks' CPU accounting (bench/cpu.ts,
 * bench/api/cpu.ts). Elsewhere `readProcStats` answers undefined and only the machine is reported.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';

export interface ProcStat {
  pid: number;
  comm: string;
  ppid: number;
  cpuMs: number;
  /** The process title for PostgreSQL processes (`postgres: user db host(port) state` for a backend), else comm. */
  title: string;
}

const ticksPerSecond = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

export function readProcStats(): ProcStat[] | undefined {
  if (process.platform !== 'linux') return undefined;
  const stats: ProcStat[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const text = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const close = text.lastIndexOf(')');
      const fields = text.slice(close + 2).split(' ');
      // After the command: state, ppid, ..., utime (index 11), stime (index 12), in clock ticks.
      const comm = text.slice(text.indexOf('(') + 1, close);
      const title = comm.startsWith('postgres')
        ? readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' ').trim()
        : comm;
      stats.push({
        pid: Number(entry),
        comm,
        title,
        ppid: Number(fields[1]),
        cpuMs: ((Number(fields[11]) + Number(fields[12])) * 1000) / ticksPerSecond,
      });
    } catch {
      // the process ended while we looked
    }
  }
  return stats;
}

/** CPU milliseconds of all cores so far, busy time only. */
export const machineBusyMs = () =>
  os.cpus().reduce((sum, cpu) => sum + cpu.times.user + cpu.times.nice + cpu.times.sys + cpu.times.irq, 0);

/** CPU ms per pid of the processes `match` selects. */
export const cpuByPid = (stats: ProcStat[], match: (s: ProcStat) => boolean) =>
  new Map(stats.filter(match).map((s) => [s.pid, s.cpuMs]));

/**
 * CPU ms used between two samples of the same processes. Per process: one that exits meanwhile (an
 * idle pool connection closing) loses its last moments instead of making the sum negative; one that
 * starts counts from zero.
 */
export function cpuMsBetween(before: Map<number, number>, after: Map<number, number>): number {
  let cpuMs = 0;
  for (const [pid, ms] of after) cpuMs += ms - (before.get(pid) ?? 0);
  return cpuMs;
}
