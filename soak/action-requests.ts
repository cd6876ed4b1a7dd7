/**
 * The requests a person would send, chosen at random from what a snapshot shows: each builder returns
 * the call to make, or undefined when nothing on the snapshot fits. They only draw from the seeded
 * random source, in the same order on every run, so a seed reproduces the same business.
 */
import type { Catalogue } from './catalogue';
import { isoDay } from './order-generator';
import type { Random } from './random';
import type { Snapshot, StepView } from './snapshot';

export interface Keys {
  admin: string;
  ops: string;
  finance: string;
}

export type Call = { action: string; method: string; path: string; key: string; body?: unknown };

/** What every builder draws on: the random source, the API keys and the soak's catalogue. */
export interface Desk {
  random: Random;
  keys: Keys;
  catalogue: Catalogue;
}

type OpenOrder = Snapshot['orders'][number];
type OpenInvoice = Snapshot['invoices'][number];

/** The open invoices finance acts on: the never-paying customer's stay open (see catalogue.ts). */
const openInvoices = ({ catalogue }: Desk, s: Snapshot) => {
  const neverPaying = new Set(catalogue.customers.filter((c) => c.isNeverPaying).map((c) => c.id));
  return s.invoices.filter(
    (i) => ['issued', 'sent', 'partially_paid', 'overdue'].includes(i.status) && !neverPaying.has(i.customerId),
  );
};

export function cancelRequest({ random: r, keys }: Desk, open: OpenOrder[]): Call | undefined {
  if (!(open.length > 0 && r.chance(0.3))) return undefined;
  return {
    action: 'cancel',
    method: 'POST',
    path: `/v1/orders/${r.pick(open).id}/cancel`,
    key: keys.ops,
    body: { reason: 'customer withdrew the PO (soak)' },
  };
}

export function shipToRequest(d: Desk, open: OpenOrder[]): Call | undefined {
  if (open.length === 0) return undefined;
  return {
    action: 'ship-to',
    method: 'PATCH',
    path: `/v1/orders/${d.random.pick(open).id}/ship-to`,
    key: d.keys.ops,
    body: { shipTo: newShipTo(d), reason: 'dock moved (soak)' },
  };
}

function newShipTo({ random, catalogue }: Desk) {
  const where = random.pick(catalogue.shipToRegions);
  return {
    name: 'New receiving dock',
    line1: `${random.int(1, 999)} Logistics Blvd`,
    city: where.city,
    region: where.region,
    postalCode: where.postalCode,
    country: 'US',
  };
}

export function retryAllRequest({ random: r, keys }: Desk): Call | undefined {
  if (!r.chance(0.1)) return undefined;
  return {
    action: 'retry-all',
    method: 'POST',
    path: `/v1/steps/${r.pick(['reserve-stock', 'book-carrier', 'create-erp-order', 'send-invoice'])}/retry-all`,
    key: keys.ops,
    body: { reason: 'after an outage (soak)' },
  };
}

export function deliveryRequest({ random, keys }: Desk, s: Snapshot): Call | undefined {
  const waiting = s.steps.filter((st) => st.step === 'await-delivery' && st.status === 'waiting');
  if (waiting.length === 0) return undefined;
  const { workflowId, orderId } = random.pick(waiting);
  const shipment = s.shipments.find((sh) => sh.id === workflowId);
  const lines = (shipment?.lines ?? []) as { lineNo: number; quantity: number }[];
  const damaged =
    random.chance(0.1) && lines.length > 0
      ? [{ lineNo: lines[0]!.lineNo, type: 'damaged' as const, quantity: 1, note: 'crushed corner' }]
      : [];
  return {
    action: 'delivery',
    method: 'POST',
    path: `/v1/orders/${orderId}/delivery`,
    key: keys.ops,
    body: {
      shipmentId: workflowId,
      signer: 'Soak Receiver',
      deliveredAt: new Date().toISOString(),
      exceptions: damaged,
    },
  };
}

/** `nextPaymentNo` is asked only when a payment is made: it numbers the wire references. */
export function paymentRequest(d: Desk, s: Snapshot, nextPaymentNo: () => number): Call | undefined {
  const open = openInvoices(d, s);
  if (open.length === 0) return undefined;
  const invoice: OpenInvoice = d.random.pick(open);
  const balance = Number(invoice.totalMinor - invoice.paidMinor - invoice.discountTakenMinor - invoice.creditedMinor);
  if (balance <= 0) return undefined;
  const amount = d.random.chance(0.6) ? balance : Math.max(1, Math.floor(balance * d.random.next()));
  const reference = `WIRE-${d.catalogue.tag}-${nextPaymentNo()}`;
  return {
    action: 'payment',
    method: 'POST',
    path: `/v1/invoices/${invoice.id}/payments`,
    key: d.keys.finance,
    body: { amountMinor: amount, receivedDate: isoDay(0), reference },
  };
}

export function closeInvoiceRequest(d: Desk, s: Snapshot): Call | undefined {
  const { random, keys } = d;
  const open = openInvoices(d, s);
  if (open.length === 0 || !random.chance(0.3)) return undefined;
  const invoice = random.pick(open);
  const action = invoice.paidMinor === 0n && random.chance(0.5) ? 'void' : 'write-off';
  return {
    action,
    method: 'POST',
    path: `/v1/invoices/${invoice.id}/${action}`,
    key: keys.finance,
    body: { reason: `${action} (soak)` },
  };
}

export function creditDecisionRequest(
  { random, keys }: Desk,
  s: Snapshot,
  decision?: 'approve' | 'reject',
): Call | undefined {
  const waiting = s.steps.filter((st) => st.step === 'credit-approval' && st.status === 'waiting');
  if (waiting.length === 0) return undefined;
  const { orderId } = random.pick(waiting);
  return {
    action: 'credit-decision',
    method: 'POST',
    path: `/v1/orders/${orderId}/credit-decision`,
    key: keys.finance,
    body: { decision: decision ?? (random.chance(0.8) ? 'approve' : 'reject'), reason: 'credit review (soak)' },
  };
}

export function fixNeedsAttentionRequest({ random, keys }: Desk, s: Snapshot, onlyRetry: boolean): Call | undefined {
  const stuck = s.steps.filter((st) => st.status === 'needs_attention');
  if (stuck.length === 0) return undefined;
  const st = random.pick(stuck);
  const skip = !onlyRetry && random.chance(0.25);
  return {
    action: skip ? 'skip' : 'retry',
    method: 'POST',
    path: `/v1/orders/${st.workflowId}/steps/${st.step}/${skip ? 'skip' : 'retry'}`,
    key: keys.ops,
    body: { reason: `${skip ? 'skipped' : 'retried'} after reading "${(st.error ?? '').slice(0, 60)}" (soak)` },
  };
}

export function receiptRequest({ random, keys }: Desk, s: Snapshot): Call | undefined {
  const pending = s.receipts.filter((r) => !r.receivedAt);
  if (pending.length === 0) return undefined;
  return {
    action: 'receipt',
    method: 'POST',
    path: '/v1/receipts',
    key: keys.ops,
    body: { receiptId: random.pick(pending).id },
  };
}

export const holdRequest = (keys: Keys, orderId: string): Call => ({
  action: 'hold',
  method: 'POST',
  path: `/v1/orders/${orderId}/hold`,
  key: keys.ops,
  body: { reason: 'customer asked to wait (soak)' },
});

export const releaseRequest = (keys: Keys, orderId: string): Call => ({
  action: 'release',
  method: 'POST',
  path: `/v1/orders/${orderId}/release`,
  key: keys.ops,
  body: { reason: 'go ahead (soak)' },
});

export function returnRequest({ random, keys }: Desk, s: Snapshot): Call | undefined {
  const delivered = s.shipments.filter(
    (sh) => sh.deliveredAt && sh.picks && !s.returns.some((r) => r.orderId === sh.orderId),
  );
  if (delivered.length === 0 || !random.chance(0.4)) return undefined;
  const shipment = random.pick(delivered);
  const picks = (
    shipment.picks as { lines: { sku: string; quantity: number; lots: { lotId: string; quantity: number }[] }[] }
  ).lines;
  const line = random.pick(picks);
  const lot = line.lots[0];
  const quantity = random.int(1, Math.max(1, Math.min(lot?.quantity ?? line.quantity, 5)));
  const reasonCode = random.pick(['DAMAGED', 'DEFECTIVE', 'NOT_NEEDED']);
  return {
    action: 'return',
    method: 'POST',
    path: `/v1/orders/${shipment.orderId}/returns`,
    key: keys.ops,
    body: { lines: [{ sku: line.sku, ...(lot ? { lotId: lot.lotId } : {}), quantity, reasonCode }] },
  };
}

export function returnApprovalRequest({ random, keys }: Desk, st: StepView): Call {
  return {
    action: 'return-approve',
    method: 'POST',
    path: `/v1/returns/${st.workflowId}/approve`,
    key: keys.ops,
    body: { decision: random.chance(0.85) ? 'approve' : 'reject', reason: 'return review (soak)' },
  };
}

export function returnReceiptRequest({ keys, catalogue }: Desk, s: Snapshot, st: StepView): Call {
  const ret = s.returns.find((r) => r.id === st.workflowId);
  return {
    action: 'return-receive',
    method: 'POST',
    path: `/v1/returns/${st.workflowId}/receive`,
    key: keys.ops,
    body: { warehouseId: ret?.warehouseId ?? catalogue.warehouses[0]!.id, receivedAt: new Date().toISOString() },
  };
}

/** The return's lines come in line order (1-based line numbers); each is split at random into restock and scrap. */
export function returnInspectionRequest({ random, keys }: Desk, st: StepView, lines: { quantity: number }[]): Call {
  return {
    action: 'return-inspect',
    method: 'POST',
    path: `/v1/returns/${st.workflowId}/inspect`,
    key: keys.ops,
    body: {
      lines: lines.map((l, i) => {
        const restock = random.int(0, l.quantity);
        return { lineNo: i + 1, restock, scrap: l.quantity - restock };
      }),
    },
  };
}
