/** The finance API's answers as the console reads them (api/routes/invoices.ts, returns.ts, reports.ts, customers.ts). */
import type { AgingBuckets } from '../../../domain/billing/aging';
import { OPEN_INVOICE_STATUSES } from '../../../domain/statuses';
import type { ComputedInvoice } from '../../../domain/billing/invoice-calc';
import type {
  InvoiceSummary,
  OrderSummary,
  ReturnSummary as OrderReturnSummary,
  RunState,
  ShipmentView,
} from '../types';

export type { AgingBuckets };

export { INVOICE_STATUSES, RETURN_STATUSES } from '../../../domain/statuses';
/** Invoices that take payments: issued and not settled. */
export const PAYABLE_STATUSES: readonly string[] = OPEN_INVOICE_STATUSES;

// The order page reads the same invoice summary: one definition, in ../types.
export type { InvoiceSummary };

/** The stored invoice computation, as the server's arithmetic types it. */
export type ComputedInvoiceLines = ComputedInvoice;

export interface InvoiceDetail extends InvoiceSummary {
  paymentTerms: string;
  sentAt: string | null;
  erpPostedAt: string | null;
  lines: ComputedInvoiceLines | unknown;
  payments: { reference: string; amountMinor: number; discountAppliedMinor: number; receivedDate: string }[];
  timeline: {
    at: string;
    step: string;
    from: string | null;
    to: string;
    actor: string;
    reason: string | null;
    error: string | null;
  }[];
}

export interface CreditMemo {
  creditMemoNumber: string;
  returnId: string;
  orderId: string;
  customerId: string;
  currency: string;
  status: string;
  merchandiseMinor: number;
  restockingFeeMinor: number;
  taxMinor: number;
  totalMinor: number;
  refundMinor: number;
  applications: unknown;
  createdAt: string;
}

// Run states are the same shape on every page: one definition, in ../types.
export type { RunState, StepState } from '../types';

/** A return as the returns screens read it: the order page's shape, plus its customer. */
export interface ReturnSummary extends OrderReturnSummary {
  customerId: string;
}

export interface ReturnDetail extends ReturnSummary {
  workflow: RunState | null;
}

export interface ArAging {
  asOf: string;
  rows: (AgingBuckets & { customerId: string; customerName: string; currency: string })[];
  totals: (AgingBuckets & { currency: string })[];
}

export const AGING_BUCKETS: { key: keyof Omit<AgingBuckets, 'totalMinor'>; label: string }[] = [
  { key: 'current', label: 'Current' },
  { key: 'd1_30', label: '1–30 days' },
  { key: 'd31_60', label: '31–60 days' },
  { key: 'd61_90', label: '61–90 days' },
  { key: 'd90_plus', label: '90+ days' },
];

export interface Kpi {
  orders: number;
  otifPercent: number | null;
  cycleTimeHours: { p50: number | null; p90: number | null };
  timeToInvoiceHours: { p50: number | null; p90: number | null };
  daysSalesOutstanding: number | null;
  daysSalesOutstandingByCurrency: { currency: string; days: number; invoicedMinor: number; openMinor: number }[];
  slaBreachPercent: number | null;
}

export interface KpiReport {
  from: string;
  to: string;
  overall: Kpi;
  customers: (Kpi & { customerId: string })[];
  /** With groupBy=week: one entry per ISO week of the range, oldest first (the first and last clipped to it). */
  series?: (Kpi & { weekStart: string; weekEnd: string })[];
}

export interface AuditEntry {
  id: string;
  at: string;
  actor: string;
  role: string;
  action: string;
  targetType: string;
  targetId: string;
  reason: string | null;
  outcome: string;
  before: unknown;
  after: unknown;
}

export interface CustomerListItem {
  customerId: string;
  name: string;
  currency: string;
  isActive: boolean;
  creditLimitMinor: number;
  openReceivablesMinor: number;
  isOnCreditHold: boolean;
  paymentTerms: string;
  invoiceGrouping: string;
  billingPeriod: string;
  openOrderCount: number;
  openInvoiceCount: number;
  openInvoiceBalanceMinor: number;
}

export interface Customer360 {
  customer: {
    customerId: string;
    name: string;
    currency: string;
    isActive: boolean;
    paymentTerms: string;
    slaProfileId: string;
    billOn: string;
    isTaxExempt: boolean;
    minShelfLifeDays: number;
    salesRepEmail: string | null;
    billingAddress: unknown;
  };
  credit: {
    creditLimitMinor: number;
    openReceivablesMinor: number;
    exposureMinor: number;
    availableCreditMinor: number;
    openInvoiceBalanceMinor: number;
    isOnCreditHold: boolean;
    creditHoldSource: string | null;
    ordersOnCreditHold: number;
  };
  billing: {
    invoiceGrouping: string;
    billingPeriod: string;
    paymentTerms: string;
    billOn: string;
    freightMarkupBp: number;
  };
  counts: {
    orders: number;
    openOrders: number;
    shipments: number;
    openInvoices: number;
    overdueInvoices: number;
    returns: number;
    openReturns: number;
  };
  orders: Pick<
    OrderSummary,
    | 'orderId'
    | 'dealId'
    | 'poNumber'
    | 'status'
    | 'currency'
    | 'totalMinor'
    | 'currentStep'
    | 'needsAttention'
    | 'slaBreached'
    | 'createdAt'
  >[];
  shipments: (Omit<ShipmentView, 'lines'> & { orderId: string; createdAt: string })[];
  openInvoices: InvoiceSummary[];
  returns: {
    returnId: string;
    orderId: string;
    status: string;
    valueMinor: number;
    currency: string;
    requestedAt: string;
  }[];
}

export interface BillingPeriodView {
  customerId: string;
  invoiceGrouping: string;
  billingPeriod: string;
  current: { label: string; startsAt: string; closesAt: string };
  waiting: { shipmentId: string; orderId: string; billableAt: string }[];
  lastClose: { label: string; closedAt: string; invoiceIds: string[]; shipmentIds: string[] } | null;
}

/** Today as the API counts days (UTC). */
export const todayUtc = (): string => new Date().toISOString().slice(0, 10);

/** Overdue as api/views/invoice-overdue.ts decides it, for answers that do not carry the flag yet. */
export function overdueOf(inv: InvoiceSummary, asOf = todayUtc()): { overdue: boolean; daysOverdue: number } {
  if (inv.overdue !== undefined) return { overdue: inv.overdue, daysOverdue: inv.daysOverdue ?? 0 };
  if (!PAYABLE_STATUSES.includes(inv.status) || inv.balanceMinor <= 0 || !inv.dueDate)
    return { overdue: false, daysOverdue: 0 };
  const days = Math.floor((Date.parse(`${asOf}T00:00:00Z`) - Date.parse(`${inv.dueDate}T00:00:00Z`)) / 86_400_000);
  return days > 0 || inv.status === 'overdue'
    ? { overdue: true, daysOverdue: Math.max(0, days) }
    : { overdue: false, daysOverdue: 0 };
}
