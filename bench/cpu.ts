/**
 * Who used the CPU during a measured phase: this process (client, worker, workflow code, activities,
 * SMTP capture), the Temporal dev server (our child process), PostgreSQL (the backends serving our
 * database, found by their process title), and everything else on the machine (other jobs, PostgreSQL's
 * background processes, the kernel). Per-process figures come from /proc (Linux); elsewhere only this
 * process and the machine are reported.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';

export interface CpuSample {
  atMs: number;
  machineBusyMs: number;
  processMs: number;
  /** CPU ms by pid, so a process that starts or ends between two samples never counts negative. */
  temporalMs?: Map<number, number>;
  postgresMs?: Map<number, number>;
}

export interface CpuUse {
  elapsedMs: number;
  cores: number;
  /** Busy share of all cores, 0..1. */
  machine: number;
  /** CPU time as a share of one core (1 = one core fully busy). */
  process: number;
  temporal?: number;
  postgres?: number;
  /** Busy cores not accounted to the three above. */
  other?: number;
}

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
}

const commandLine = (pid: number): string => {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  } catch {
    return '';
  }
};

function readProcStats(): ProcStat[] | undefined {
  if (process.platform !== 'linux') return undefined;
  const stats: ProcStat[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const text = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const open = text.indexOf('(');
      const close = text.lastIndexOf(')');
      const fields = text.slice(close + 2).split(' ');
      // After the command: state, ppid, ..., utime (index 11), stime (index 12), in clock ticks.
      stats.push({
        pid: Number(entry),
        comm: text.slice(open + 1, close),
        ppid: Number(fields[1]),
        cpuMs: ((Number(fields[11]) + Number(fields[12])) * 1000) / ticksPerSecond,
      });
    } catch {
      // the process ended while we looked
    }
  }
  return stats;
}

function machineBusyMs(): number {
  return os.cpus().reduce((sum, cpu) => sum + cpu.times.user + cpu.times.nice + cpu.times.sys + cpu.times.irq, 0);
}

/** `postgresDatabase`: count only the PostgreSQL backends serving this database. */
export function sampleCpu(postgresDatabase: string): CpuSample {
  const usage = process.cpuUsage();
  const sample: CpuSample = { atMs: performance.now(), machineBusyMs: machineBusyMs(), processMs: (usage.user + usage.system) / 1000 };
  const stats = readProcStats();
  if (stats) {
    const byPid = (list: ProcStat[]) => new Map(list.map((s) => [s.pid, s.cpuMs]));
    sample.temporalMs = byPid(stats.filter((s) => s.ppid === process.pid && s.comm.startsWith('temporal')));
    sample.postgresMs = byPid(stats.filter((s) => s.comm.startsWith('postgres') && commandLine(s.pid).includes(` ${postgresDatabase} `)));
  }
  return sample;
}

export function cpuBetween(start: CpuSample, end: CpuSample): CpuUse {
  const elapsedMs = end.atMs - start.atMs;
  const cores = os.cpus().length;
  // A process that ended before `end` is missing (its last slice of CPU is lost, never negative).
  const share = (a?: Map<number, number>, b?: Map<number, number>) =>
    a === undefined || b === undefined ? undefined : [...b].reduce((sum, [pid, ms]) => sum + ms - (a.get(pid) ?? 0), 0) / elapsedMs;
  const machine = (end.machineBusyMs - start.machineBusyMs) / (elapsedMs * cores);
  const ours = {
    process: (end.processMs - start.processMs) / elapsedMs,
    temporal: share(start.temporalMs, end.temporalMs),
    postgres: share(start.postgresMs, end.postgresMs),
  };
  const other = ours.temporal === undefined || ours.postgres === undefined
    ? undefined
    : Math.max(0, machine * cores - ours.process - ours.temporal - ours.postgres);
  return { elapsedMs, cores, machine, ...ours, other };
}
