/**
 * Driving one run to its end, the same way for an order and its baseline, an invoice and its
 * baseline: start it, follow its history (long-polled, which costs the worker nothing) until it waits
 * for a message, send that message as an update (retried while refused), and time the run from the
 * start call to its result.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { isGrpcServiceError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { getState } from '../../workflows/engine/messages';
import { NAMESPACE } from '../harness';
import { stuckReason } from '../workflow-shape';
import { RUN_TIMEOUT_MS } from './settings';

export interface OneRun {
  workflowId: string;
  latencyMs: number;
  updateAttempts: number;
}

export type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

/** How a run's history is followed: until the deadline, polling every `pollMs`, stopping when it closed. */
export interface Follow {
  deadline: number;
  pollMs: number;
  shouldStop: () => boolean;
}

const GRPC_NOT_FOUND = 5;

export const describeError = (error: unknown): string => {
  const e = error as Error & { cause?: Error };
  return e.cause?.message ? `${e.message}: ${e.cause.message}` : (e.message ?? String(error));
};

/** What a run (and its children) is doing now: pending activities with their attempt and last failure. */
export async function describeProgress(client: Client, workflowId: string, depth = 0): Promise<string> {
  try {
    const handle = client.workflow.getHandle(workflowId);
    const { raw, status } = await handle.describe();
    const activities = (raw.pendingActivities ?? []).map(
      (a) =>
        `${a.activityType?.name} attempt ${a.attempt}${a.lastFailure?.message ? ` (last failure: ${a.lastFailure.message})` : ''}`,
    );
    // Our runs answer getState (a waiting step such as credit-approval shows here); the baseline's do not.
    const state = await handle.query(getState).then(
      (st) => `, ${st.status} at ${st.currentStep ?? '-'}`,
      () => '',
    );
    const lines = [
      `${workflowId} ${status.name}${state}${activities.length ? `: ${activities.join('; ')}` : ', no activity pending'}`,
    ];
    if (depth === 0) {
      for (const child of raw.pendingChildren ?? [])
        if (child.workflowId) lines.push(await describeProgress(client, child.workflowId, 1));
    }
    return lines.join('\n  ');
  } catch (error) {
    return `${workflowId}: ${describeError(error)}`;
  }
}

/**
 * Long-polls a run's history until `isReady` holds for the events so far. The server answers when new
 * events are written, so waiting costs no workflow task (a query or a refused update would run one on
 * the worker). Resolves false if the run closed first or `shouldStop` says so.
 */
export async function waitForHistory(
  client: Client,
  workflowId: string,
  isReady: (events: HistoryEvent[]) => boolean,
  options: Follow,
): Promise<boolean> {
  const events: HistoryEvent[] = [];
  let nextPageToken: Uint8Array | undefined;
  while (!options.shouldStop()) {
    if (performance.now() > options.deadline) {
      throw new Error(
        `${workflowId}: still waiting after ${RUN_TIMEOUT_MS / 1000} s\n  ${await describeProgress(client, workflowId)}`,
      );
    }
    let response: temporal.api.workflowservice.v1.IGetWorkflowExecutionHistoryResponse;
    try {
      response = await client.workflowService.getWorkflowExecutionHistory({
        namespace: NAMESPACE,
        execution: { workflowId },
        nextPageToken,
        waitNewEvent: true,
        skipArchival: true,
      });
    } catch (error) {
      if (!(isGrpcServiceError(error) && error.code === GRPC_NOT_FOUND)) throw error;
      await sleep(options.pollMs); // not started yet
      continue;
    }
    events.push(...(response.history?.events ?? []));
    if (isReady(events)) return true;
    if (!response.nextPageToken?.length) return false; // closed
    nextPageToken = response.nextPageToken;
  }
  return false;
}

/** A run that cannot go on without ops (an activity failed for good) fails the benchmark with its reason. */
export const unlessStuck = (id: string, isReady: (events: HistoryEvent[]) => boolean) => (events: HistoryEvent[]) => {
  const reason = stuckReason(events);
  if (reason) throw new Error(`${id}: ${reason}`);
  return isReady(events);
};

export interface RunPlan {
  client: Client;
  pollMs: number;
  /** Starts the run; resolves with its workflow id. */
  start: () => Promise<string>;
  /** Follows the run until it waits for the message; false when it closed first. */
  awaitReady: (workflowId: string, follow: Follow) => Promise<boolean>;
  /** Sends the message; a refusal (WorkflowUpdateFailedError) is retried every `pollMs`. */
  send: (workflowId: string) => Promise<void>;
  /** What the message is, for the error when none is accepted: 'proof of delivery', 'payment'. */
  message: string;
  expectedStatus: string;
}

/** One run, measured from the start call to the workflow's result. */
export async function driveRun(plan: RunPlan): Promise<OneRun> {
  const { client } = plan;
  const started = performance.now();
  const deadline = started + RUN_TIMEOUT_MS;
  const workflowId = await plan.start();
  let isClosed = false;
  const result = client.workflow
    .getHandle(workflowId)
    .result()
    .finally(() => void (isClosed = true)) as Promise<{ status?: string }>;
  result.catch(() => undefined); // awaited below, after the message

  const isReady = await plan.awaitReady(workflowId, { deadline, pollMs: plan.pollMs, shouldStop: () => isClosed });
  let updateAttempts = 0;
  while (isReady && !isClosed) {
    updateAttempts += 1;
    try {
      await plan.send(workflowId);
      break;
    } catch (error) {
      if (!(error instanceof WorkflowUpdateFailedError)) throw error;
      if (performance.now() > deadline) {
        throw new Error(
          `${workflowId}: no ${plan.message} accepted within ${RUN_TIMEOUT_MS / 1000} s (last refusal: ${describeError(error)})`,
          { cause: error },
        );
      }
      await sleep(plan.pollMs);
    }
  }
  const outcome = await Promise.race([
    result,
    sleep(Math.max(0, deadline - performance.now())).then(async () => {
      throw new Error(
        `${workflowId}: no result within ${RUN_TIMEOUT_MS / 1000} s\n  ${await describeProgress(client, workflowId)}`,
      );
    }),
  ]);
  const latencyMs = performance.now() - started;
  if (outcome.status !== plan.expectedStatus) {
    throw new Error(`${workflowId}: ended "${outcome.status}", expected "${plan.expectedStatus}"`);
  }
  return { workflowId, latencyMs, updateAttempts };
}
