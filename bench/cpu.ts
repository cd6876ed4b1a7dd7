/**
 * Who used the CPU during a measured phase: this process (client, worker, workflow code, activities,
 * SMTP capture), the Temporal dev server (our child process), PostgreSQL (the backends serving our
 * database, found by their process title), and everything else on the machine (other jobs, PostgreSQL's
 * background processes, the kernel). Per-process figures come from /proc (Linux); elsewhere only this
 * process and the machine are reported.
 */
import os from 'node:os';
import { cpuByPid, cpuMsBetween, machineBusyMs, readProcStats } from './proc-stats';

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

/** `postgresDatabase`: count only the PostgreSQL backends serving this database. */
export function sampleCpu(postgresDatabase: string): CpuSample {
  const usage = process.cpuUsage();
  const sample: CpuSample = {
    atMs: performance.now(),
    machineBusyMs: machineBusyMs(),
    processMs: (usage.user + usage.system) / 1000,
  };
  const stats = readProcStats();
  if (stats) {
    sample.temporalMs = cpuByPid(stats, (s) => s.ppid === process.pid && s.comm.startsWith('temporal'));
    sample.postgresMs = cpuByPid(
      stats,
      (s) => s.comm.startsWith('postgres') && s.title.includes(` ${postgresDatabase} `),
    );
  }
  return sample;
}

export function cpuBetween(start: CpuSample, end: CpuSample): CpuUse {
  const elapsedMs = end.atMs - start.atMs;
  const cores = os.cpus().length;
  const share = (a?: Map<number, number>, b?: Map<number, number>) =>
    a === undefined || b === undefined ? undefined : cpuMsBetween(a, b) / elapsedMs;
  const machine = (end.machineBusyMs - start.machineBusyMs) / (elapsedMs * cores);
  const ours = {
    process: (end.processMs - start.processMs) / elapsedMs,
    temporal: share(start.temporalMs, end.temporalMs),
    postgres: share(start.postgresMs, end.postgresMs),
  };
  const other =
    ours.temporal === undefined || ours.postgres === undefined
      ? undefined
      : Math.max(0, machine * cores - ours.process - ours.temporal - ours.postgres);
  return { elapsedMs, cores, machine, ...ours, other };
}
