/**
 * CPU time per part during a measured phase, as a share of one core: the load generator (this
 * process), the API process, the read worker, the Temporal dev server (our child `temporal` process),
 * PostgreSQL (the backends serving our database plus the shared WAL writer, checkpointer and
 * background writer) and everything else on the machine (other users of a shared machine show up
 * there). From /proc, so Linux only; elsewhere only this process and the machine are reported.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';

export interface CpuParts {
  apiPid?: number;
  workerPid?: number;
  /** PostgreSQL backends are counted when their process title names this database. */
  databaseName: string;
}

interface Sample {
  atMs: number;
  machineBusyMs: number;
  /** CPU milliseconds so far per part and process id; undefined where /proc is missing. */
  parts: Record<string, Map<number, number> | undefined>;
}

export interface CpuUse {
  cores: number;
  /** Busy share of all cores, 0..1. */
  machine: number;
  /**
   * Per part (CPU_PARTS and OTHER_PART), CPU time over wall time (1 = one core fully busy); undefined
   * where /proc is missing.
   */
  parts: Record<string, number | undefined>;
}

export const CPU_PARTS = ['load generator', 'API process', 'read worker', 'Temporal server', 'PostgreSQL'] as const;
export const OTHER_PART = 'everything else';

/** Shared PostgreSQL processes that work for every database, ours included. */
const SHARED_POSTGRES = /^postgres: (?:\S+: )?(walwriter|checkpointer|background writer)/;

const ticksPerSecond = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

interface ProcStat {
  pid: number;
  comm: string;
  ppid: number;
  cpuMs: number;
  /** The process title (`postgres: user db host(port) state` for a backend). */
  title: string;
}

function readProcStats(): ProcStat[] | undefined {
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
      const title = comm.startsWith('postgres') ? readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' ').trim() : comm;
      stats.push({
        pid: Number(entry),
        title,
        comm,
        ppid: Number(fields[1]),
        cpuMs: ((Number(fields[11]) + Number(fields[12])) * 1000) / ticksPerSecond,
      });
    } catch {
      // the process ended while we looked
    }
  }
  return stats;
}

const machineBusyMs = () => os.cpus().reduce((sum, cpu) => sum + cpu.times.user + cpu.times.nice + cpu.times.sys + cpu.times.irq, 0);

export function sampleCpu(parts: CpuParts): Sample {
  const usage = process.cpuUsage();
  const stats = readProcStats();
  const byPid = (match: (s: ProcStat) => boolean) => (stats ? new Map(stats.filter(match).map((s) => [s.pid, s.cpuMs])) : undefined);
  return {
    atMs: performance.now(),
    machineBusyMs: machineBusyMs(),
    parts: {
      'load generator': new Map([[process.pid, (usage.user + usage.system) / 1000]]),
      'API process': parts.apiPid === undefined ? undefined : byPid((s) => s.pid === parts.apiPid),
      'read worker': parts.workerPid === undefined ? undefined : byPid((s) => s.pid === parts.workerPid),
      'Temporal server': byPid((s) => s.ppid === process.pid && s.comm.startsWith('temporal')),
      PostgreSQL: byPid((s) => s.comm.startsWith('postgres') && (s.title.includes(` ${parts.databaseName} `) || SHARED_POSTGRES.test(s.title))),
    },
  };
}

export function cpuBetween(start: Sample, end: Sample): CpuUse {
  const elapsedMs = end.atMs - start.atMs;
  const cores = os.cpus().length;
  const parts: Record<string, number | undefined> = {};
  for (const name of CPU_PARTS) {
    const before = start.parts[name];
    const after = end.parts[name];
    if (!before || !after) continue;
    // Per process: a backend that exits during the phase (an idle pool connection closing) loses its
    // last moments instead of making the sum negative; one that starts counts from zero.
    let cpuMs = 0;
    for (const [pid, ms] of after) cpuMs += ms - (before.get(pid) ?? 0);
    parts[name] = cpuMs / elapsedMs;
  }
  const machine = (end.machineBusyMs - start.machineBusyMs) / (elapsedMs * cores);
  const known = CPU_PARTS.reduce((sum, name) => sum + (parts[name] ?? 0), 0);
  parts[OTHER_PART] = Math.max(0, machine * cores - known);
  return { cores, machine, parts };
}
