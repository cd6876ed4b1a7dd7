/**
 * CPU time per part during a measured phase, as a share of one core: the load generator (this
 * process), the API process, the read worker, the Temporal dev server (our child `temporal` process),
 * PostgreSQL (the backends serving our database plus the shared WAL writer, checkpointer and
 * background writer) and everything else on the machine (other users of a shared machine show up
 * there). From /proc, so Linux only; elsewhere only this process and the machine are reported.
 */
import os from 'node:os';
import { cpuByPid, cpuMsBetween, machineBusyMs, readProcStats, type ProcStat } from '../proc-stats';

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

export function sampleCpu(parts: CpuParts): Sample {
  const usage = process.cpuUsage();
  const stats = readProcStats();
  const byPid = (match: (s: ProcStat) => boolean) => (stats ? cpuByPid(stats, match) : undefined);
  return {
    atMs: performance.now(),
    machineBusyMs: machineBusyMs(),
    parts: {
      'load generator': new Map([[process.pid, (usage.user + usage.system) / 1000]]),
      'API process': parts.apiPid === undefined ? undefined : byPid((s) => s.pid === parts.apiPid),
      'read worker': parts.workerPid === undefined ? undefined : byPid((s) => s.pid === parts.workerPid),
      'Temporal server': byPid((s) => s.ppid === process.pid && s.comm.startsWith('temporal')),
      PostgreSQL: byPid(
        (s) =>
          s.comm.startsWith('postgres') &&
          (s.title.includes(` ${parts.databaseName} `) || SHARED_POSTGRES.test(s.title)),
      ),
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
    parts[name] = cpuMsBetween(before, after) / elapsedMs;
  }
  const machine = (end.machineBusyMs - start.machineBusyMs) / (elapsedMs * cores);
  const known = CPU_PARTS.reduce((sum, name) => sum + (parts[name] ?? 0), 0);
  parts[OTHER_PART] = Math.max(0, machine * cores - known);
  return { cores, machine, parts };
}
