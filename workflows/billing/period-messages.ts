/** Query and update of a customer's billing-period workflow; imported by the workflow and the API. */
import { defineQuery, defineUpdate } from '@temporalio/workflow';

export interface PeriodCloseResult {
  /** The period closed: 2026-11, 2026-W48, or 2026-11.2 after an early close in November. */
  label: string;
  closedAt: string;
  /** Invoices started for it (none when nothing was billable). */
  invoiceIds: string[];
  shipmentIds: string[];
}

export interface BillingPeriodState {
  customerId: string;
  /** The open period: shipments that become billable now are invoiced when it closes (absent while starting). */
  current?: { label: string; startsAt: string; closesAt: string };
  lastClose?: PeriodCloseResult;
}

export const getBillingPeriod = defineQuery<BillingPeriodState>('getBillingPeriod');

/**
 * Finance closes the open period now (month-end run done early, a customer leaving): everything billable
 * so far is invoiced at once, and the rest of the period goes on to the next close.
 */
export const closeBillingPeriod = defineUpdate<PeriodCloseResult, [{ actor: string; reason: string }]>(
  'closeBillingPeriod',
);
