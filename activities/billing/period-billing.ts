/**
 * Invoicing per period: an order of a 'per-period' customer queues each billable shipment here
 * (period_billing_item), and the customer's billing-period workflow claims the queue when a period
 * closes and starts one invoice per currency and payment terms. The queue lives in PostgreSQL, not in
 * workflow state, so nothing is lost between the order that queued a shipment and the close that bills
 * it, whichever run of the period workflow that is.
 */
import type { ClosedWonEvent } from '../../domain/closed-won';
import type { ActivityDeps } from '../deps';
import type { BilledOrder, InvoiceRequest } from './types';

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
export async function queuePeriodBilling(deps: ActivityDeps, request: PeriodBillingRequest): Promise<{ queued: number }> {
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
  /** The period's label, unique per customer (2026-11, or 2026-11.2 after an early close). */
  label: string;
  /** Shipments that became billable before this instant are billed now; later ones wait for the next period. */
  cutoff: string;
  closesAt: string;
}

export interface PeriodInvoicePlan {
  invoiceId: string;
  request: InvoiceRequest;
}

/** Invoice id of a customer's period invoice: `invoice-<customer>-<label>`, then `-2`, `-3` for other currencies or terms. */
export const periodInvoiceId = (customerId: string, label: string, n: number): string => `invoice-${customerId}-${label}${n > 1 ? `-${n}` : ''}`;

/**
 * Claims every waiting shipment of the customer that became billable before the cutoff and plans one
 * invoice per currency and payment terms. Idempotent: the claim is keyed by the period, so a retry
 * (or a re-run of the same close) plans the same invoices with the same ids.
 */
export async function claimPeriodBilling(deps: ActivityDeps, close: PeriodClose): Promise<PeriodInvoicePlan[]> {
  const periodKey = `${close.customerId}/${close.label}`;
  await deps.db.periodBillingItem.updateMany({
    where: { customerId: close.customerId, periodKey: null, billableAt: { lt: new Date(close.cutoff) } },
    data: { periodKey },
  });
  const items = await deps.db.periodBillingItem.findMany({ where: { periodKey }, orderBy: [{ billableAt: 'asc' }, { shipmentId: 'asc' }] });

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
    const orders: BilledOrder[] = [];
    for (const item of group) {
      const order = orders.find((o) => o.orderId === item.orderId);
      if (order) order.shipmentIds.push(item.shipmentId);
      else orders.push({ orderId: item.orderId, event: item.event as unknown as ClosedWonEvent, shipmentIds: [item.shipmentId], prices: item.prices as unknown as BilledOrder['prices'] });
    }
    const invoiceId = periodInvoiceId(close.customerId, close.label, plans.length + 1);
    const first = orders[0]!;
    plans.push({
      invoiceId,
      request: {
        orderId: first.orderId,
        event: first.event,
        shipmentIds: orders.flatMap((o) => o.shipmentIds),
        prices: first.prices,
        paymentTerms: group[0]!.paymentTerms,
        orders,
        period: { label: close.label, closesAt: close.closesAt },
      },
    });
    await deps.db.periodBillingItem.updateMany({ where: { shipmentId: { in: group.map((i) => i.shipmentId) } }, data: { invoiceId } });
  }
  return plans;
}
