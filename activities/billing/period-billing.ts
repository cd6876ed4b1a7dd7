/**
 * Invoicing per period: an order of a 'per-period' customer queues each billable shipment here
 * (period_billing_item), and the customer's billing-period workflow claims the queue when a period
 * closes and starts one invoice per currency and payment terms. The queue lives in PostgreSQL, not in
 * workflow state, so nothing is lost between the order that queued a shipment and the close that bills
 * it, whichever run of the period workflow that is.
 */
import type { ClosedWonEvent } from '../../domain/closed-won';
import type { ActivityDeps } from '../deps';
import type { BilledOrder, BilledOrderRef, InvoiceRequest } from './types';

export interface PeriodBillingRequest {
  customerId: string;
  orderId: string;
  event: ClosedWonEvent;
  prices: BilledOrder['prices'];
  /** Resolved terms ("NET30"): a period invoice bills orders of one terms. */
  paymentTerms: string;
  shipmentIds: string[];
}

/** Queues shipments for their customer's current period; a retry or a repeat queues nothing twice. */
export async function queuePeriodBilling(
  deps: ActivityDeps,
  request: PeriodBillingRequest,
): Promise<{ queued: number }> {
  const { count } = await deps.db.periodBillingItem.createMany({
    data: request.shipmentIds.map((shipmentId) => ({
      shipmentId,
      customerId: request.customerId,
      orderId: request.orderId,
      currency: request.event.currency,
      paymentTerms: request.paymentTerms,
      event: request.event as object,
      prices: request.prices as object[],
    })),
    skipDuplicates: true,
  });
  return { queued: count };
}

export interface PeriodClose {
  customerId: string;
  /**
   * The period's label as the workflow sees it (2026-11; older runs send 2026-11.2 after an early
   * close). Only the period part counts: the label used is allocated from stored closes.
   */
  label: string;
  /** Shipments that became billable before this instant are billed now; later ones wait for the next period. */
  cutoff: string;
  closesAt: string;
}

export interface PeriodInvoicePlan {
  invoiceId: string;
  request: InvoiceRequest;
}

export interface ClosedPeriod {
  /** The label this close was given: unique per customer (2026-11, then 2026-11.2, 2026-11.3...). */
  label: string;
  plans: PeriodInvoicePlan[];
}

/** Invoice id of a customer's period invoice: `invoice-<customer>-<label>`, then `-2`, `-3` for other currencies or terms. */
export const periodInvoiceId = (customerId: string, label: string, n: number): string =>
  `invoice-${customerId}-${label}${n > 1 ? `-${n}` : ''}`;

/** The period part of a label: `2026-11.2` -> `2026-11`. */
const baseLabelOf = (label: string): string => label.replace(/\.\d+$/, '');

/**
 * Gives a close its label, once: the stored label when this close (customer, period, cutoff) was
 * seen before (an activity retry), else the period's label, suffixed `.2`, `.3`... after the closes
 * already stored for that period. Workflow memory plays no part, so a period workflow that was
 * restarted (terminated, reset, started afresh) never reuses a label, its period key or invoice ids.
 */
async function labelFor(deps: ActivityDeps, close: PeriodClose): Promise<string> {
  const baseLabel = baseLabelOf(close.label);
  const closeKey = `${close.customerId}/${baseLabel}/${new Date(close.cutoff).toISOString()}`;
  return deps.db.$transaction(
    async (tx) => {
      // One close at a time per customer: the label count below must not race another close.
      await tx.$queryRaw`SELECT 1 AS locked FROM (SELECT pg_advisory_xact_lock(hashtext(${`period-close:${close.customerId}`}))) AS l`;
      const existing = await tx.periodClose.findUnique({ where: { closeKey } });
      if (existing) return existing.label;
      const used = new Set(
        (
          await tx.periodClose.findMany({ where: { customerId: close.customerId, baseLabel }, select: { label: true } })
        ).map((c) => c.label),
      );
      let n = 1;
      while (used.has(n > 1 ? `${baseLabel}.${n}` : baseLabel)) n += 1;
      const label = n > 1 ? `${baseLabel}.${n}` : baseLabel;
      await tx.periodClose.create({
        data: { closeKey, customerId: close.customerId, baseLabel, label, cutoff: new Date(close.cutoff) },
      });
      return label;
    },
    { timeout: 20_000, maxWait: 20_000 },
  );
}

/**
 * Closes a period: allocates the close's label (labelFor), claims every waiting shipment of the
 * customer that became billable before the cutoff and plans one invoice per currency and payment
 * terms. Idempotent: a retry of the same close gets the same label, so it plans the same invoices
 * with the same ids; another close never shares them.
 */
export async function closePeriodBilling(deps: ActivityDeps, close: PeriodClose): Promise<ClosedPeriod> {
  const label = await labelFor(deps, close);
  const periodKey = `${close.customerId}/${label}`;
  await deps.db.periodBillingItem.updateMany({
    where: { customerId: close.customerId, periodKey: null, billableAt: { lt: new Date(close.cutoff) } },
    data: { periodKey },
  });
  const items = await deps.db.periodBillingItem.findMany({
    where: { periodKey },
    orderBy: [{ billableAt: 'asc' }, { shipmentId: 'asc' }],
  });

  const groups = new Map<string, typeof items>();
  for (const item of items) {
    const key = `${item.currency} ${item.paymentTerms}`;
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  const plans: PeriodInvoicePlan[] = [];
  for (const key of [...groups.keys()].sort()) {
    const group = groups.get(key)!;
    // Orders by reference: their events and prices stay in the rows (the invoice's draft reads them),
    // so the plan, the invoice run's input and its activities' inputs do not grow with orders x lines.
    const billed: BilledOrderRef[] = [];
    for (const item of group) {
      const order = billed.find((o) => o.orderId === item.orderId);
      const event = item.event as unknown as ClosedWonEvent;
      if (order) order.shipmentIds.push(item.shipmentId);
      else
        billed.push({
          orderId: item.orderId,
          dealId: event.dealId,
          poNumber: event.poNumber,
          shipmentIds: [item.shipmentId],
        });
    }
    const invoiceId = periodInvoiceId(close.customerId, label, plans.length + 1);
    const first = group.find((i) => i.orderId === billed[0]!.orderId)!;
    plans.push({
      invoiceId,
      request: {
        orderId: first.orderId,
        event: first.event as unknown as ClosedWonEvent,
        shipmentIds: billed.flatMap((o) => o.shipmentIds),
        prices: [],
        paymentTerms: group[0]!.paymentTerms,
        billed,
        period: { label, closesAt: close.closesAt },
      },
    });
    await deps.db.periodBillingItem.updateMany({
      where: { shipmentId: { in: group.map((i) => i.shipmentId) } },
      data: { invoiceId },
    });
  }
  return { label, plans };
}

/** The close as period workflows recorded before `period-label-from-stored-closes` call it: plans only. */
export async function claimPeriodBilling(deps: ActivityDeps, close: PeriodClose): Promise<PeriodInvoicePlan[]> {
  return (await closePeriodBilling(deps, close)).plans;
}
