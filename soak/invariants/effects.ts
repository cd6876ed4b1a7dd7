/**
 * Effect invariants: every side effect on an outside system happened exactly once, however often the
 * activity behind it was retried or its worker killed.
 */
import type { Db } from '../../lib/db';
import type { CapturedMail } from '../../runtime/mail-capture';
import { add, type Checker, customerPrefix, type InvariantInputs, orderPrefix } from './checker';

export async function effectInvariants(
  c: Checker,
  { db, catalogue, mail, workerKills }: InvariantInputs,
): Promise<void> {
  const prefix = orderPrefix(catalogue.tag);
  await oneErpOrderPerOrder(c, db, prefix);
  await oneCarrierBookingPerShipment(c, db, prefix);
  await oneNumberPerIssuedInvoice(c, db, catalogue.tag);
  await eachEmailReceivedOnce(c, db, prefix, mail, workerKills);
  await oneCrmMilestonePerKind(c, db, prefix);
  await oneRefundPerCreditMemo(c, db, prefix);
}

async function oneErpOrderPerOrder(c: Checker, db: Db, prefix: string): Promise<void> {
  const erp = await db.$queryRaw<
    { order_id: string; n: bigint }[]
  >`SELECT order_id, count(*) AS n FROM erp_order WHERE order_id LIKE ${`${prefix}%`} GROUP BY order_id`;
  const reached = await db.$queryRaw<{ order_id: string }[]>`
    SELECT DISTINCT order_id FROM step_event WHERE order_id LIKE ${`${prefix}%`} AND step = 'create-erp-order' AND to_status = 'completed'`;
  c.check('one ERP order per order', reached.length, [
    ...erp.filter((r) => r.n > 1n).map((r) => ({ orderId: r.order_id, erpOrders: Number(r.n) })),
    ...reached
      .filter((r) => !erp.some((e) => e.order_id === r.order_id))
      .map((r) => ({ orderId: r.order_id, erpOrders: 0 })),
  ]);
}

async function oneCarrierBookingPerShipment(c: Checker, db: Db, prefix: string): Promise<void> {
  const shipped = await db.shipment.findMany({
    where: { orderId: { startsWith: prefix }, shippedAt: { not: null } },
    select: { id: true, trackingNumber: true, carrierId: true },
  });
  c.check(
    'one carrier booking per shipped shipment',
    shipped.length,
    shipped
      .filter((s) => !s.trackingNumber || !s.carrierId)
      .map((s) => ({ shipmentId: s.id, trackingNumber: s.trackingNumber })),
  );
}

async function oneNumberPerIssuedInvoice(c: Checker, db: Db, tag: string): Promise<void> {
  const invoices = await db.invoice.findMany({
    where: { customerId: { startsWith: customerPrefix(tag) } },
    select: { id: true, status: true, invoiceNumber: true },
  });
  c.check(
    'one number per issued invoice',
    invoices.length,
    invoices
      .filter((i) => i.status !== 'draft' && i.status !== 'void' && !i.invoiceNumber)
      .map((i) => ({ invoiceId: i.id, status: i.status })),
  );
}

async function eachEmailReceivedOnce(
  c: Checker,
  db: Db,
  prefix: string,
  mail: CapturedMail[],
  workerKills: number,
): Promise<void> {
  const outbox = await db.outboundEmail.findMany({ where: { orderId: { startsWith: prefix } } });
  const received = new Map<string, number>();
  for (const m of mail) if (m.messageId) add(received, m.messageId, 1);
  const sent = outbox.filter((o) => o.status === 'sent');
  const lost = sent
    .filter((o) => !received.has(o.messageId))
    .map((o) => ({ key: o.idempotencyKey, template: o.template, messageId: o.messageId }));
  const resent = sent
    .filter((o) => (received.get(o.messageId) ?? 0) > 1)
    .map((o) => ({ key: o.idempotencyKey, template: o.template, copies: received.get(o.messageId) }));
  // A resend with the same Message-ID is the one documented window (SMTP accepted, the worker died
  // before marking the outbox row): receivers drop it. Without a worker kill there is no excuse.
  c.check('each e-mail received once (same-Message-ID resends only after a worker kill)', sent.length, [
    ...lost,
    ...(workerKills === 0 ? resent : resent.length > workerKills * 4 ? resent : []),
  ]);
}

/** Shipment and return milestones are per shipment / return: the subject is part of the kind. */
async function oneCrmMilestonePerKind(c: Checker, db: Db, prefix: string): Promise<void> {
  const milestones = await db.$queryRaw<{ deal_id: string; milestone: string; subject: string; n: bigint }[]>`
    SELECT deal_id, milestone, coalesce(payload->>'shipmentId', payload->>'returnId', payload->>'invoiceNumber', '') AS subject, count(*) AS n
    FROM crm_milestone WHERE order_id LIKE ${`${prefix}%`} GROUP BY 1, 2, 3`;
  c.check(
    'one CRM milestone per deal and kind',
    milestones.length,
    milestones
      .filter((m) => m.n > 1n)
      .map((m) => ({ dealId: m.deal_id, milestone: m.milestone, subject: m.subject, count: Number(m.n) })),
  );
}

async function oneRefundPerCreditMemo(c: Checker, db: Db, prefix: string): Promise<void> {
  const memos = await db.creditMemo.findMany({
    where: { orderId: { startsWith: prefix } },
    select: { creditMemoNumber: true },
  });
  const refunds = await db.erpRefund.findMany({
    where: { creditMemoNumber: { in: memos.map((m) => m.creditMemoNumber) } },
  });
  const refundsPerMemo = new Map<string, number>();
  for (const r of refunds) add(refundsPerMemo, r.creditMemoNumber, 1);
  c.check(
    'one refund per credit memo',
    memos.length,
    [...refundsPerMemo].filter(([, n]) => n > 1).map(([memo, n]) => ({ creditMemoNumber: memo, refunds: n })),
  );
}
