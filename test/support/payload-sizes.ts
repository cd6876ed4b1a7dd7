/**
 * Sizes of the payloads a workflow's history carries, read from the history itself: what Temporal's
 * blob size limit (2 MB by default, a warning at 512 KB) is checked against. One figure per event that
 * carries user payloads: activity inputs and results, child workflow inputs, the run's own input.
 */
import type { Client } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';

type Payloads = temporal.api.common.v1.IPayloads | null | undefined;

export interface PayloadSize {
  /** What carried it, e.g. `input of draftInvoice` or `result of closePeriodBilling`. */
  what: string;
  bytes: number;
}

/** Encoded size of payloads as the server measures a blob: data plus metadata. */
export const sizeOf = (payloads: Payloads): number =>
  (payloads?.payloads ?? []).reduce((sum, p) => {
    const metadata = Object.entries(p.metadata ?? {}).reduce((m, [k, v]) => m + k.length + (v?.length ?? 0), 0);
    return sum + (p.data?.length ?? 0) + metadata;
  }, 0);

/** Every payload of `workflowId`'s history with what carried it; workflow task failures as `failed task: <message>`. */
export async function payloadSizes(
  client: Client,
  workflowId: string,
): Promise<{ sizes: PayloadSize[]; failedTasks: string[] }> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  const activityById = new Map<number, string>();
  const sizes: PayloadSize[] = [];
  const failedTasks: string[] = [];
  for (const event of history.events ?? []) {
    const id = Number(event.eventId);
    const scheduled = event.activityTaskScheduledEventAttributes;
    if (scheduled) {
      const name = scheduled.activityType?.name ?? '?';
      activityById.set(id, name);
      sizes.push({ what: `input of ${name}`, bytes: sizeOf(scheduled.input) });
    }
    const completed = event.activityTaskCompletedEventAttributes;
    if (completed)
      sizes.push({
        what: `result of ${activityById.get(Number(completed.scheduledEventId)) ?? '?'}`,
        bytes: sizeOf(completed.result),
      });
    const child = event.startChildWorkflowExecutionInitiatedEventAttributes;
    if (child) sizes.push({ what: `input of child ${child.workflowType?.name ?? '?'}`, bytes: sizeOf(child.input) });
    const started = event.workflowExecutionStartedEventAttributes;
    if (started) sizes.push({ what: 'run input', bytes: sizeOf(started.input) });
    const failed = event.workflowTaskFailedEventAttributes;
    if (failed) failedTasks.push(failed.failure?.message ?? String(failed.cause));
    const activityFailed = event.activityTaskFailedEventAttributes;
    if (activityFailed)
      failedTasks.push(
        `activity ${activityById.get(Number(activityFailed.scheduledEventId)) ?? '?'}: ${activityFailed.failure?.message ?? ''}`,
      );
  }
  return { sizes, failedTasks };
}

/** The largest payload of a list. */
export const largest = (sizes: PayloadSize[]): PayloadSize =>
  sizes.reduce((a, b) => (b.bytes > a.bytes ? b : a), { what: 'none', bytes: 0 });

export const kb = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KB`;
