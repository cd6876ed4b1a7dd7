/**
 * Invoicing per period for one customer (`billing-period-<customerId>`), started by the first order that
 * queues a shipment for it and running for as long as the customer is billed that way. At each close
 * (the end of the customer's calendar week or month in UTC, or earlier when finance asks) it claims the
 * shipments queued so far and starts one invoice child per currency and payment terms, parent-close
 * policy ABANDON; each invoice then lives its own life (issue, e-mail, dunning, payments).
 *
 * Each close's label (and so its invoice ids) is allocated from the closes stored in the database, so an
 * early close and the regular one in the same month, or closes of a restarted run, never share one.
 * Continues as new every CLOSES_PER_RUN closes (or when Temporal suggests it).
 */
import {
  allHandlersFinished,
  condition,
  continueAsNew,
  ParentClosePolicy,
  patched,
  proxyActivities,
  setHandler,
  startChild,
  workflowInfo,
} from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError, type Duration } from '@temporalio/common';
import type { Activities } from '../../activities/contract';
import type { DunningInput } from '../../activities/billing/types';
import type { PeriodInvoicePlan } from '../../activities/billing/period-billing';
import { billingPeriodAt, type BillingPeriod, type BillingPeriodKind } from '../../domain/billing/billing-period';
import { durationToMs } from '../shared/duration';
import { invoiceLifecycle } from './invoice-workflow';
import { invoiceProgress } from './messages';
import { closeBillingPeriod, getBillingPeriod, type PeriodCloseResult } from './period-messages';

const { getBillingSettings, claimPeriodBilling, closePeriodBilling } = proxyActivities<
  Pick<Activities, 'getBillingSettings' | 'claimPeriodBilling' | 'closePeriodBilling'>
>({
  startToCloseTimeout: '1 minute',
});

const CLOSES_PER_RUN = 100;

export interface BillingPeriodInput {
  customerId: string;
  /**
   * Fixed-length periods (e.g. '10s') instead of calendar weeks or months, counted from the run's start:
   * for tests and demos, which cannot wait for a month to end.
   */
  periodLength?: Duration;
  /** Passed to every invoice this workflow starts (tests shorten the dunning "day"). */
  dunning?: DunningInput;
  /** Carried across continue-as-new: the label of the last close and how often it was used. */
  lastLabel?: { label: string; count: number };
}

/** Compact UTC instant for labels of fixed-length periods: 20261125T103000Z. */
const compact = (iso: string) => iso.replace(/[-:]/g, '').replace(/\.\d{3}/, '');

/** The fixed-length period (`periodLength`) that holds `now`, counted from the run's start. */
function fixedPeriodAt(runStartedAt: number, fixedMs: number, now: number): BillingPeriod {
  const startsAt = runStartedAt + Math.floor((now - runStartedAt) / fixedMs) * fixedMs;
  const closesAt = new Date(startsAt + fixedMs).toISOString();
  return { label: compact(closesAt), startsAt: new Date(startsAt).toISOString(), closesAt };
}

/** Starts one invoice run per plan, in plan order; a re-run close finds them started already. */
async function startPeriodInvoices(plans: PeriodInvoicePlan[], dunning: BillingPeriodInput['dunning']): Promise<void> {
  for (const plan of plans) {
    try {
      await startChild(invoiceLifecycle, {
        workflowId: plan.invoiceId,
        args: [{ ...plan.request, ...(dunning ? { dunning } : {}) }],
        // Dunning runs for weeks, longer than any one run of this workflow.
        parentClosePolicy: ParentClosePolicy.ABANDON,
      });
    } catch (error) {
      // The same close re-run after a reset: its invoices exist already.
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    }
  }
}

export async function billingPeriodInvoicing(input: BillingPeriodInput): Promise<void> {
  const { customerId } = input;
  const fixedMs = input.periodLength === undefined ? undefined : durationToMs(input.periodLength);
  const runStartedAt = Date.now();
  let kind: BillingPeriodKind = 'monthly';
  const periodAt = (now: number): BillingPeriod =>
    fixedMs === undefined ? billingPeriodAt(kind, new Date(now)) : fixedPeriodAt(runStartedAt, fixedMs, now);

  let current: BillingPeriod | undefined;
  let lastLabel = input.lastLabel;
  let lastClose: PeriodCloseResult | undefined;
  let closes = 0;
  let isCloseRequested = false;

  // Handlers first: an update sent with the start must find them in the first activation.
  setHandler(getBillingPeriod, () => ({
    customerId,
    ...(current ? { current } : {}),
    ...(lastClose ? { lastClose } : {}),
  }));
  setHandler(
    closeBillingPeriod,
    async () => {
      const ticket = closes;
      isCloseRequested = true;
      await condition(() => closes > ticket);
      return lastClose!;
    },
    {
      validator: (request: { actor: string; reason: string }) => {
        if (!request.reason?.trim()) throw new Error('reason is required to close a billing period early');
      },
    },
  );
  // Invoices report their progress to whoever started them; the period has nothing to wait for.
  setHandler(invoiceProgress, () => undefined);

  kind = (await getBillingSettings(customerId)).billingPeriod;
  current = periodAt(Date.now());
  for (;;) {
    const wait = Date.parse(current.closesAt) - Date.now();
    if (wait > 0) await condition(() => isCloseRequested, wait);
    const isEarly = isCloseRequested && Date.now() < Date.parse(current.closesAt);
    // An early close bills up to now; the regular close bills exactly its period.
    const cutoff = isEarly ? new Date(Date.now()).toISOString() : current.closesAt;
    const count = lastLabel?.label === current.label ? lastLabel.count + 1 : 1;
    let label = count > 1 ? `${current.label}.${count}` : current.label;
    lastLabel = { label: current.label, count };

    let plans: PeriodInvoicePlan[];
    // The label came from this run's memory, which a restarted run has lost: it reused labels (and so
    // period keys and invoice ids). Closes recorded since take the label the database allocates.
    if (patched('period-label-from-stored-closes')) {
      ({ label, plans } = await closePeriodBilling({
        customerId,
        label: current.label,
        cutoff,
        closesAt: current.closesAt,
      }));
    } else {
      plans = await claimPeriodBilling({ customerId, label, cutoff, closesAt: current.closesAt });
    }
    await startPeriodInvoices(plans, input.dunning);
    lastClose = {
      label,
      closedAt: new Date(Date.now()).toISOString(),
      invoiceIds: plans.map((p) => p.invoiceId),
      shipmentIds: plans.flatMap((p) => p.request.shipmentIds),
    };
    closes += 1;
    isCloseRequested = false;
    if (!isEarly) current = periodAt(Math.max(Date.now(), Date.parse(current.closesAt)));

    if (closes >= CLOSES_PER_RUN || workflowInfo().continueAsNewSuggested) {
      await condition(allHandlersFinished);
      await continueAsNew<typeof billingPeriodInvoicing>({ ...input, lastLabel });
    }
  }
}
