/**
 * Every update, query and signal the API sends a workflow goes through here, each with a deadline.
 *
 * - Updates: the validator's or handler's refusal becomes the problem its failure type maps to in the
 *   catalogue (domain/failures.ts: `BusinessRule` 422, `InvoiceClosed` 409...) with the workflow's
 *   reason as the detail; a refusal with no catalogued type ("step is completed, not needs_attention",
 *   a validator's plain Error) is a 409 conflict with the run's state; a missing run a 404; an
 *   unreachable Temporal a 503.
 * - Past the deadline (no worker, a stuck workflow task) the call answers 504 naming the workflow and
 *   its run id, and the app records it in `timed_out_call` (GET /v1/timed-out-calls, the ops work
 *   queue): the call may still take effect once the run moves again, so a person has to look.
 */
import {
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
  type Client,
} from '@temporalio/client';
import type { QueryDefinition, SignalDefinition, UpdateDefinition } from '@temporalio/common';
import { DEFAULT_WORKFLOW_CALL_TIMEOUT_MS } from '../lib/api-defaults';
import { problemOfFailure, ProblemError } from './problems';

/** Default deadline of one call (WORKFLOW_CALL_TIMEOUT_MS): long enough for a busy worker, short of a client's own timeout. */
export { DEFAULT_WORKFLOW_CALL_TIMEOUT_MS };

const deadlines = new WeakMap<Client, number>();

/** Sets the deadline of calls made through `temporal` (buildApp does, from its deps). */
export function setWorkflowCallTimeout(temporal: Client, timeoutMs: number): void {
  deadlines.set(temporal, timeoutMs);
}

const timeoutOf = (temporal: Client) => deadlines.get(temporal) ?? DEFAULT_WORKFLOW_CALL_TIMEOUT_MS;

/** What a 504 carries: enough for ops to find the run (and for the app to record it). */
export interface TimedOutCall {
  workflowId: string;
  runId: string | null;
  call: 'update' | 'query' | 'signal';
  name: string;
  deadlineMs: number;
}

const GRPC_DEADLINE_EXCEEDED = 4;
const GRPC_NOT_FOUND = 5;

/** Whether Temporal answered with this gRPC status code, anywhere along the error's causes. */
function hasGrpcCode(error: unknown, code: number): boolean {
  for (let e: unknown = error; e instanceof Error; e = (e as { cause?: unknown }).cause) {
    if ((e as { code?: unknown }).code === code) return true;
  }
  return false;
}

const isDeadlineExceeded = (error: unknown): boolean =>
  error instanceof WorkflowUpdateRPCTimeoutOrCancelledError || hasGrpcCode(error, GRPC_DEADLINE_EXCEEDED);

async function timedOut(
  temporal: Client,
  workflowId: string,
  call: TimedOutCall['call'],
  name: string,
): Promise<ProblemError> {
  const deadlineMs = timeoutOf(temporal);
  // Describing needs no worker: the run id is known even when nothing polls the run's task queue.
  const description = await temporal
    .withDeadline(Date.now() + deadlineMs, () => temporal.workflow.getHandle(workflowId).describe())
    .catch(() => undefined);
  const runId = description?.runId ?? null;
  const details: TimedOutCall = { workflowId, runId, call, name, deadlineMs };
  return new ProblemError(
    'gatewayTimeout',
    `${workflowId} (run ${runId ?? 'unknown'}) did not answer ${call} ${name} within ${deadlineMs} ms; it may still take effect when the run moves again, so check the run before repeating it (listed in GET /v1/timed-out-calls)`,
    { ...details },
  );
}

export async function executeUpdate<Ret, Args extends [unknown]>(
  temporal: Client,
  workflowId: string,
  update: UpdateDefinition<Ret, Args>,
  args: Args,
): Promise<Ret> {
  try {
    return await temporal.withDeadline(Date.now() + timeoutOf(temporal), () =>
      temporal.workflow
        .getHandle(workflowId)
        .executeUpdate(update as UpdateDefinition<Ret, [unknown]>, { args: args as [unknown] }),
    );
  } catch (error) {
    if (isDeadlineExceeded(error)) throw await timedOut(temporal, workflowId, 'update', update.name);
    if (error instanceof WorkflowNotFoundError) {
      // Updates cannot reach a closed run: tell "finished" apart from "never existed".
      const description = await temporal
        .withDeadline(Date.now() + timeoutOf(temporal), () => temporal.workflow.getHandle(workflowId).describe())
        .catch(() => undefined);
      if (description)
        throw new ProblemError(
          'conflict',
          `${workflowId} has finished (${description.status.name.toLowerCase()}); nothing can change it now`,
        );
      throw new ProblemError('notFound', `no run ${workflowId}`);
    }
    if (error instanceof WorkflowUpdateFailedError) {
      const reason = error.cause?.message ?? error.message;
      throw new ProblemError(problemOfFailure(error.cause) ?? 'conflict', reason);
    }
    const message = error instanceof Error ? error.message : String(error);
    // By Temporal's status code, not its wording: the run closed between our call and the server's answer.
    if (hasGrpcCode(error, GRPC_NOT_FOUND))
      throw new ProblemError('conflict', `run ${workflowId} is closed: ${message}`);
    throw new ProblemError('dependencyDown', `Temporal did not accept the update: ${message}`);
  }
}

/** A query with the deadline; 504 past it, 404 for a run that never existed. */
export async function queryWorkflow<Ret, Args extends unknown[]>(
  temporal: Client,
  workflowId: string,
  query: QueryDefinition<Ret, Args>,
  ...args: Args
): Promise<Ret> {
  try {
    return await temporal.withDeadline(Date.now() + timeoutOf(temporal), () =>
      temporal.workflow.getHandle(workflowId).query(query, ...args),
    );
  } catch (error) {
    if (isDeadlineExceeded(error)) throw await timedOut(temporal, workflowId, 'query', query.name);
    if (error instanceof WorkflowNotFoundError) throw new ProblemError('notFound', `no run ${workflowId}`);
    throw error;
  }
}

/** A signal with the deadline; 504 past it, 404 for a run that is not running. */
export async function signalWorkflow<Args extends unknown[]>(
  temporal: Client,
  workflowId: string,
  signal: SignalDefinition<Args>,
  ...args: Args
): Promise<void> {
  try {
    await temporal.withDeadline(Date.now() + timeoutOf(temporal), () =>
      temporal.workflow.getHandle(workflowId).signal(signal, ...args),
    );
  } catch (error) {
    if (isDeadlineExceeded(error)) throw await timedOut(temporal, workflowId, 'signal', signal.name);
    if (error instanceof WorkflowNotFoundError) throw new ProblemError('notFound', `no run ${workflowId}`);
    throw error;
  }
}
