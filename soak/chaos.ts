/** The chaos of a soak: SIGKILL of a worker, the API or the Temporal dev server at random moments. */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Cluster, Part, PartKind } from './cluster';
import type { Random } from './random';

/** Kills one part at a random moment, restarts it after a random delay; every kind at least once. */
export class ChaosMonkey {
  readonly kills: Record<PartKind, number> = { worker: 0, api: 0, temporal: 0 };
  private stopped = false;
  private loop?: Promise<void>;

  constructor(
    private readonly cluster: Cluster,
    private readonly random: Random,
    private readonly log: (l: string) => void,
  ) {}

  start(intervalMs: [number, number]): void {
    this.loop = (async () => {
      const owed: PartKind[] = this.random.sample(['worker', 'api', 'temporal'] as PartKind[], 3);
      while (!this.stopped) {
        await sleep(this.random.int(...intervalMs));
        if (this.stopped) break;
        const kind = owed.shift() ?? this.random.pick(['worker', 'worker', 'api', 'temporal'] as PartKind[]);
        const part: Part =
          kind === 'worker'
            ? this.random.pick(this.cluster.workers)
            : kind === 'api'
              ? this.cluster.api
              : this.cluster.temporal;
        part.kill();
        this.kills[kind] += 1;
        const downMs = this.random.int(500, 5000);
        this.log(`  chaos: kill -9 ${part.name}, back in ${(downMs / 1000).toFixed(1)} s`);
        await sleep(downMs);
        await part
          .start()
          .catch((error: Error) => this.log(`  chaos: ${part.name} did not come back: ${error.message}`));
      }
    })();
  }

  /** Stops killing and makes sure every part runs again. */
  async stop(): Promise<void> {
    await this.halt();
    for (const part of this.cluster.all()) if (!part.isRunning()) await part.start();
  }

  /** Stops killing and restarting (a run that failed tears the cluster down: nothing may come back after). */
  async halt(): Promise<void> {
    this.stopped = true;
    await this.loop;
  }

  owedKinds(): PartKind[] {
    return (['worker', 'api', 'temporal'] as PartKind[]).filter((k) => this.kills[k] === 0);
  }
}
