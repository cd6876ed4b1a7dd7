/**
 * Dunning: when to remind a customer about an invoice, when to escalate, and whether the customer is
 * over terms (which puts new orders on credit hold).
 */
import { addCalendarDays, daysBetween } from '../calendar/business-days';
import { assertSafeInteger } from './rounding';

export interface DunningPolicy {
  /** Reminders before the due date, in days before it, e.g. [7, 3]. */
  remindBeforeDays: number[];
  remindOnDueDate: boolean;
  /** Reminders after the due date, in days past due, e.g. [7, 15, 30]. */
  overdueSteps: number[];
  /** Days past due after which the invoice is escalated (collections, account manager). */
  escalateAfterDays: number;
}

export type DunningKind = 'before-due' | 'on-due' | 'overdue' | 'escalation';

export interface DunningStep {
  kind: DunningKind;
  /** Days relative to the due date: negative before it, 0 on it. */
  offsetDays: number;
  date: string;
  /** Stable id of the step ('before-due-3', 'on-due', 'overdue+7', 'escalation+45'): key sent reminders by it. */
  key: string;
}

const KIND_ORDER: Record<DunningKind, number> = { 'before-due': 0, 'on-due': 1, overdue: 2, escalation: 3 };

/**
 * Lists what is wrong with a dunning policy, one message per problem naming the field and value; empty
 * when the policy is valid. Needs the policy. Use it where policies are edited, so that dunningSchedule
 * only ever sees valid ones. Rules: every day count is a whole number > 0 (day 0 is `remindOnDueDate`).
 */
export function validateDunningPolicy(policy: DunningPolicy): string[] {
  const problems: string[] = [];
  const check = (value: number, field: string) => {
    if (!Number.isSafeInteger(value) || value <= 0)
      problems.push(`${field} must be a whole number of days > 0 (got ${value})`);
  };
  policy.remindBeforeDays.forEach((d, i) => check(d, `remindBeforeDays[${i}]`));
  policy.overdueSteps.forEach((d, i) => check(d, `overdueSteps[${i}]`));
  check(policy.escalateAfterDays, 'escalateAfterDays');
  return problems;
}

/**
 * Returns the dunning steps for an invoice due on `dueDate`, in the order they happen: by date, and on
 * the same day before-due, on-due, overdue, then escalation (the last reminder goes out before the
 * hand-off). Needs a 'YYYY-MM-DD' due date and a valid policy (throws with validateDunningPolicy's
 * messages otherwise: policies are validated where they are edited). Promises one step per distinct
 * day count (duplicates in the policy collapse), and keys that depend only on the kind and the day
 * count, so a schedule recomputed after a due-date change still recognises the reminders already sent.
 */
export function dunningSchedule(dueDate: string, policy: DunningPolicy): DunningStep[] {
  const problems = validateDunningPolicy(policy);
  if (problems.length > 0) throw new RangeError(`invalid dunning policy: ${problems.join('; ')}`);
  const unique = (days: readonly number[]) => [...new Set(days)];
  const step = (kind: DunningKind, offsetDays: number, key: string): DunningStep => ({
    kind,
    offsetDays,
    date: addCalendarDays(dueDate, offsetDays),
    key,
  });

  const steps: DunningStep[] = [
    ...unique(policy.remindBeforeDays).map((d) => step('before-due', -d, `before-due-${d}`)),
    ...(policy.remindOnDueDate ? [step('on-due', 0, 'on-due')] : []),
    ...unique(policy.overdueSteps).map((d) => step('overdue', d, `overdue+${d}`)),
    step('escalation', policy.escalateAfterDays, `escalation+${policy.escalateAfterDays}`),
  ];
  return steps.sort((a, b) => a.offsetDays - b.offsetDays || KIND_ORDER[a.kind] - KIND_ORDER[b.kind]);
}

/**
 * Returns the invoices that are over terms as of `asOf`: an open balance (> 0) more than `graceDays`
 * days past due, each with its `daysOverdue`, most overdue first (ties keep input order). Needs due
 * dates as 'YYYY-MM-DD' and a whole, non-negative grace period (throws otherwise). Extra fields of the
 * invoices (ids, numbers) are carried through for the credit-hold message.
 */
export function overTermsInvoices<T extends { dueDate: string; balanceMinor: number }>(
  invoices: readonly T[],
  asOf: string,
  graceDays: number,
): (T & { daysOverdue: number })[] {
  assertSafeInteger(graceDays, 'graceDays');
  if (graceDays < 0) throw new RangeError(`graceDays must be >= 0 (got ${graceDays})`);
  return invoices
    .map((invoice) => ({ ...invoice, daysOverdue: daysBetween(invoice.dueDate, asOf) }))
    .filter((invoice) => invoice.balanceMinor > 0 && invoice.daysOverdue > graceDays)
    .sort((a, b) => b.daysOverdue - a.daysOverdue);
}

/**
 * True when the customer is over terms (see overTermsInvoices): some invoice still has a balance more
 * than `graceDays` days after its due date, so new orders go on credit hold. Needs the customer's open
 * invoices, `asOf` and the grace period. An invoice exactly `graceDays` past due is not yet over terms.
 */
export function isOverTerms(
  invoices: readonly { dueDate: string; balanceMinor: number }[],
  asOf: string,
  graceDays: number,
): boolean {
  return overTermsInvoices(invoices, asOf, graceDays).length > 0;
}

/** A dunning step placed on the workflow's clock: when it happens, or why it is skipped. */
export interface TimedDunningStep {
  step: DunningStep;
  /** Epoch ms on the workflow's clock. */
  at: number;
  /** Set when the step is stale: its moment had passed before the invoice was sent. */
  staleReason?: string;
}

/**
 * Places the dunning steps on the clock of a run that issued the invoice at `issuedAt` (the issue date's
 * moment) and sent it at `sentAt` (e-mailing may have been stuck for days). One dunning day lasts
 * `dayMs`. Rules:
 * - before-due and on-due reminders keep their moment (issue date + their distance from it); one whose
 *   moment had passed when the invoice was sent is stale (the customer never had a chance to pay by
 *   then): skipped, with a reason naming both moments;
 * - overdue reminders and escalation count from the later of the due moment and the send, so a late
 *   invoice gets the policy's whole cadence after the customer received it, never a burst at once.
 * Sent on time (by the due moment), every step keeps exactly the moment it had before sends were
 * taken into account. Needs the schedule of the invoice's due date, its issue and due dates as
 * 'YYYY-MM-DD' and sentAt >= issuedAt; returns the steps in schedule order.
 */
export function timeDunning(
  schedule: readonly DunningStep[],
  clock: { issueDate: string; dueDate: string; issuedAt: number; sentAt: number; dayMs: number },
): TimedDunningStep[] {
  const { issueDate, dueDate, issuedAt, sentAt, dayMs } = clock;
  const dueAt = issuedAt + daysBetween(issueDate, dueDate) * dayMs;
  const iso = (ms: number) => new Date(ms).toISOString();
  return schedule.map((step) => {
    if (step.kind === 'overdue' || step.kind === 'escalation')
      return { step, at: Math.max(dueAt, sentAt) + step.offsetDays * dayMs };
    const at = issuedAt + daysBetween(issueDate, step.date) * dayMs;
    if (at >= sentAt) return { step, at };
    const meantFor =
      step.kind === 'on-due'
        ? `the due date ${dueDate}`
        : `${-step.offsetDays} day${step.offsetDays === -1 ? '' : 's'} before the due date ${dueDate}`;
    return {
      step,
      at,
      staleReason: `stale: meant for ${meantFor} (${iso(at)}), but the invoice was only sent at ${iso(sentAt)}`,
    };
  });
}
