/**
 * Messages between the benchmark (parent: orchestration and the load generator) and its two child
 * processes: the API under test with its baselines (server.ts) and the read-phase worker
 * (read-worker.ts). The load generator runs in its own process so it never shares an event loop with
 * the server it measures (Fastify's published benchmarks do the same).
 */
import type { StageTotal } from './stages';

export interface ServerConfig {
  databaseUrl: string;
  temporalAddress: string;
  namespace: string;
  /** Intake's workflows go here; no worker polls it, so they wait untouched. */
  taskQueue: string;
  /** The read orders are accepted by a second app on this queue, which the read worker polls. */
  readTaskQueue: string;
  crmWebhookSecret: string;
  /** False: no hooks, no wrappers (`--no-timing`), to see what the timing itself costs. */
  isTimed: boolean;
}

export interface ServerPorts {
  app: number;
  bare: number;
  insertBaseline: number;
  /** The second app, on the read queue: only for seeding the read orders. */
  readSeed: number;
  /** One indexed SELECT through the same driver: the console reads' baseline. */
  selectBaseline: number;
}

export type ToServer =
  | { type: 'start'; config: ServerConfig }
  | { type: 'take-stages' }
  | { type: 'profile-start' }
  | { type: 'profile-stop'; file: string }
  | { type: 'stop' };
export type FromServer =
  | { type: 'ready'; ports: ServerPorts }
  /** `settleMs`: how long after the request the start dispatcher took to start what intake had accepted. */
  | { type: 'stages'; stages: StageTotal[]; settleMs: number }
  | { type: 'profiling' }
  | { type: 'profile'; file: string }
  | { type: 'failed'; message: string };

export interface WorkerConfig {
  databaseUrl: string;
  temporalAddress: string;
  namespace: string;
  taskQueue: string;
}

export type ToWorker =
  { type: 'start'; config: WorkerConfig } | { type: 'run' } | { type: 'progress' } | { type: 'stop' };
export type FromWorker =
  | { type: 'ready'; maxCachedWorkflows: number }
  | { type: 'progress'; workflowsSeen: number; transitions: number }
  | { type: 'failed'; message: string };
