/**
 * The invoice's dunning clock: wakes each dunning step (reminders, escalation) at its time; once the
 * invoice is settled it wakes the rest at once and they stand down (not_required, or a no-op for the
 * one already waiting). Runs recorded before patched('dunning-from-send') counted every step from the
 * moment of issue, so a send stuck for weeks let the reminders fire all at once and escalate; now the
 * clock starts when the invoice is actually sent (or send-invoice is skipped) and domain/billing/dunning
 * timeDunning decides each step's moment or why it is stale.
 */
import { condition, patched } from '@temporalio/workflow';
import { dunningSchedule, timeDunning, type DunningPolicy, type TimedDunningStep } from '../../domain/billing/dunning';
import { daysBetween } from '../../domain/calendar/business-days';
import { dunningInputName, type DunningInput } from './steps/dunning-inputs';
import { INVOICE_PATCHES, type InvoiceRun } from './invoice-run';

const SEND_OVER = ['completed', 'skipped', 'not_required', 'cancelled'];

/** Runs beside the engine from the start of the run; `dayMs` is the length of a dunning "day". */
export async function driveDunning(run: InvoiceRun, policy: DunningPolicy, dayMs: number): Promise<void> {
  const { engine } = run;
  const isSendOver = () => SEND_OVER.includes(engine.state.steps.find((s) => s.name === 'send-invoice')?.status ?? '');
  await condition(() => run.issued() !== undefined || run.isRunOver);
  const i = run.issued();
  if (!i) return;
  const issuedAt = Date.now();
  const schedule = dunningSchedule(i.dueDate, policy);
  let timed: TimedDunningStep[] = schedule.map((step) => ({
    step,
    at: issuedAt + daysBetween(i.issueDate, step.date) * dayMs,
  }));
  if (patched(INVOICE_PATCHES.dunningFromSend)) {
    await condition(() => isSendOver() || run.settledAs !== undefined || run.isRunOver);
    timed = timeDunning(schedule, { issueDate: i.issueDate, dueDate: i.dueDate, issuedAt, sentAt: Date.now(), dayMs });
  }
  for (const { step, at, staleReason } of timed) {
    if (!staleReason) {
      if (!run.settledAs && at > Date.now()) await condition(() => run.settledAs !== undefined, at - Date.now());
      if (!run.settledAs && step.kind === 'overdue') await engine.setStatus('overdue');
    }
    const input: DunningInput = staleReason ? { ...step, staleReason } : step;
    engine.provideInput(dunningInputName(step), input);
  }
}
