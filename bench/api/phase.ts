/**
 * One measured target of the API benchmark: an unmeasured warm-up of the same load, then the measured
 * run with the CPU each part used and the stage totals the API process recorded during it.
 */
import type autocannon from 'autocannon';
import type { ApiBenchArgs } from './args';
import type { ChildProcessHandle } from './child';
import { cpuBetween, sampleCpu, type CpuParts, type CpuUse } from './cpu';
import { fire, type LoadResult } from './load';
import type { FromServer, FromWorker, ToServer, ToWorker } from './protocol';
import { say } from './settings';
import type { StageTotal } from './stages';

export interface Phase {
  load: LoadResult;
  cpu: CpuUse;
  /** Stage totals inside the API process during the measured run (not the warm-up). */
  stages: StageTotal[];
  /** Seconds from the end of the load until the start dispatcher had started everything accepted. */
  settleSeconds: number;
  /** The measured load's window: inbox rows marked started within it were started under load. */
  loadStartedAt: Date;
  loadEndedAt: Date;
}

export type ApiProcess = ChildProcessHandle<ToServer, FromServer>;
export type WorkerProcess = ChildProcessHandle<ToWorker, FromWorker>;

async function takeStages(api: ApiProcess): Promise<{ stages: StageTotal[]; settleSeconds: number }> {
  const answer = await api.request({ type: 'take-stages' });
  if (answer.type !== 'stages') throw new Error(`API process: expected stage totals, got ${answer.type}`);
  return { stages: answer.stages, settleSeconds: answer.settleMs / 1000 };
}

/**
 * A warm-up of the same load (unmeasured; its stage totals are dropped), then the measured run with the
 * CPU used by each part around it.
 */
export async function measurePhase(
  name: string,
  args: ApiBenchArgs,
  api: ApiProcess,
  parts: CpuParts,
  url: string,
  requests: (stage: 'warmup' | 'measured') => autocannon.Request[],
  profileFile?: string,
): Promise<Phase> {
  if (args.warmupSeconds > 0) {
    say(`${name}: ${args.warmupSeconds} s warm-up`);
    await fire({
      url,
      connections: args.connections,
      durationSeconds: args.warmupSeconds,
      requests: requests('warmup'),
    });
  }
  await takeStages(api);
  say(`${name}: measuring ${args.durationSeconds} s, ${args.connections} connections`);
  if (profileFile) await api.request({ type: 'profile-start' });
  const cpuStart = sampleCpu(parts);
  const loadStartedAt = new Date();
  const load = await fire({
    url,
    connections: args.connections,
    durationSeconds: args.durationSeconds,
    requests: requests('measured'),
  });
  const loadEndedAt = new Date();
  const cpu = cpuBetween(cpuStart, sampleCpu(parts));
  if (profileFile) await api.request({ type: 'profile-stop', file: profileFile });
  const { stages, settleSeconds } = await takeStages(api);
  if (load.successes === 0) {
    throw new Error(
      `${name}: no 2xx answer in ${load.durationSeconds} s (answers by status: ${JSON.stringify(load.statusCounts)}, socket errors ${load.errors})`,
    );
  }
  return { load, cpu, stages, settleSeconds, loadStartedAt, loadEndedAt };
}

/** The round with the median throughput (the lower middle one for an even count). */
export function medianRound<P extends Phase>(rounds: P[]): P {
  const sorted = [...rounds].sort((a, b) => a.load.rps - b.load.rps);
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
}
