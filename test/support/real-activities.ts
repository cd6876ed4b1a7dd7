/**
 * The worker's real activities, for overrides that wrap them (a delay before the effect, a failure
 * after it): the effect itself is always the real one.
 */
import { temporal } from '@temporalio/proto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { createActivities } from '../../activities';
import type { ActivityDeps } from '../../activities/deps';
import { createBuiltinAdapters } from '../../adapters/builtin';
import { createSmtpMailAdapter } from '../../adapters/mail/smtp';
import type { MailAdapter } from '../../adapters/mail/mail-adapter';
import { createLogger } from '../../lib/logger';
import { DEMO_SELLER } from '../../lib/config';
import { Worker } from '@temporalio/worker';
import { env, type Harness } from './harness';

export type RealActivities = ReturnType<typeof createActivities>;

/** What the test worker's activities are bound to: its database, the SMTP capture, the built-in adapters. Close `mail` after. */
export function realActivityDeps(h: Harness): ActivityDeps {
  return {
    db: h.db,
    mail: createSmtpMailAdapter(h.mail.url, 'closedloop <orders@closedloop.test>'),
    log: createLogger('silent'),
    adapters: createBuiltinAdapters(h.db),
    settings: {
      opsEmail: 'ops@closedloop.test',
      financeEmail: 'finance@closedloop.test',
      publicUrl: 'http://closedloop.test',
      seller: DEMO_SELLER,
    },
  };
}

export function realActivities(h: Harness): { real: RealActivities; mail: MailAdapter; close(): void } {
  const deps = realActivityDeps(h);
  return { real: createActivities(deps), mail: deps.mail, close: () => deps.mail.close() };
}

/** A gate an override waits at: `entered` resolves when the activity reaches it, `open()` lets it through. */
export function gate(): { entered: Promise<void>; open(): void; wait(): Promise<void> } {
  let enter!: () => void;
  let release!: () => void;
  const entered = new Promise<void>((r) => (enter = r));
  const opened = new Promise<void>((r) => (release = r));
  return { entered, open: () => release(), wait: () => (enter(), opened) };
}

const EventType = temporal.api.enums.v1.EventType;

/** Resolves once the workflow's history has an event of `type` (e.g. the server took a cancel request). */
export async function waitForEvent(
  h: Harness,
  workflowId: string,
  type: temporal.api.enums.v1.EventType,
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const history = await h.temporal.workflow.getHandle(workflowId).fetchHistory();
    if (history.events?.some((e) => e.eventType === type)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`no ${EventType[type]} in the history of ${workflowId}`);
}

/** Event types that must never appear: a workflow task that failed (replay repeats it forever). */
export async function failedWorkflowTasks(h: Harness, workflowId: string): Promise<number> {
  const history = await h.temporal.workflow.getHandle(workflowId).fetchHistory();
  return history.events?.filter((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED).length ?? 0;
}

/**
 * Replays the run's history on today's workflow code (throws on nondeterminism) and, with
 * RECORD_REPLAY_HISTORIES=1, saves it as test/replay/histories/<label>__<workflowId>.json.
 */
export async function recordHistory(h: Harness, label: string, workflowId: string): Promise<void> {
  const history = await h.temporal.workflow.getHandle(workflowId).fetchHistory();
  await Worker.runReplayHistory(
    { workflowBundle: { codePath: env('CLOSEDLOOP_TEST_WORKFLOW_BUNDLE') } },
    history,
    workflowId,
  );
  if (process.env.RECORD_REPLAY_HISTORIES !== '1') return;
  writeFileSync(
    path.join(__dirname, '..', 'replay', 'histories', `${label}__${workflowId}.json`),
    JSON.stringify(history),
  );
}

export { EventType };
