/**
 * The promises closedloop makes, checked after a soak from the witnesses that outlive every crash:
 * PostgreSQL (the built-in ERP, WMS and TMS keep their books there), the SMTP capture and Temporal.
 * Each invariant reports how many things it looked at and the rows that broke it.
 */
import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import type { Db } from '../lib/db';
import type { CapturedMail } from '../runtime/mail-capture';
import type { Catalogue } from './catalogue';
import { ORDER_ENDS } from './snapshot';

export interface InvariantResult {
  name: string;
  checked: number;
  held: boolean;
  broken: unknown[];
}

const MAX_ROWS = 25;

class Checker {
  readonly results: InvariantResult[] = [];
  /** Activity attempts beyond the first (adapter faults, kills, timeouts), read from the histories. */
  activityRetries = 0;
  check(name: string, items: number, broken: unknown[]): void {
    this.results.push({ name, checked: items, held: broken.length === 0, broken: broken.slice(0, MAX_ROWS) });
  }
}

const EventType = temporal.api.enums.v1.EventType;
const TaskFailedCause = temporal.api.enums.v1.WorkflowTaskFailedCause;
/** Causes that are the server's normal bookkeeping, not a workflow throwing. */
const BENIGN_TASK_FAILURES = new Set<number>([
  TaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_UNHANDLED_COMMAND,
  TaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_RESET_WORKFLOW,
  TaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_FORCE_CLOSE_COMMAND,
  TaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_RESET_STICKY_TASK_QUEUE,
]);

type Picks = {
  lines: { lineNo: number; sku: string; quantity: number; lots: { lotId: string; quantity: number }[] }[];
};
type ComputedInvoice = {
  lines: { sku: string; quantity: number; amountMinor: number; taxMinor: number }[];
  freightMinor: number;
  freightTaxMinor: number;
  accessorials: { amountMinor: number; taxMinor: number }[];
  deductions: { amountMinor: number }[];
  subtotalMinor: number;
  taxMinor: number;
  totalMinor: number;
};

const add = (map: Map<string, number>, key: string, by: number) => map.set(key, (map.get(key) ?? 0) + by);

export interface InvariantInputs {
  db: Db;
  temporal: Client;
  catalogue: Catalogue;
  mail: CapturedMail[];
  workerKills: number;
  /** The AR aging report as the API answered it. */
  aging: { rows: { customerId: string; currency: string; totalMinor: number }[] } | undefined;
}

export async function checkInvariants(
  input: InvariantInputs,
): Promise<{ results: InvariantResult[]; activityRetries: number }> {
  const c = new Checker();
  await workflowInvariants(c, input);
  await effectInvariants(c, input);
  await stockInvariants(c, input);
  await moneyInvariants(c, input);
  return { results: c.results, activityRetries: c.activityRetries };
}

async function workflowInvariants(c: Checker, { db, temporal: client, catalogue }: InvariantInputs): Promise<void> {
  const tag = catalogue.tag;
  const events = await db.inboundEvent.findMany({
    where: { dealId: { startsWith: `SOAK-${tag}-` } },
    select: { dealId: true, workflowId: true },
  });
  const byDeal = new Map<string, number>();
  for (const e of events) add(byDeal, e.dealId, 1);
  const orders = await db.order.findMany({ where: { id: { startsWith: `order-SOAK-${tag}-` } } });
  const [shipments, invoices, returns] = await Promise.all([
    db.shipment.findMany({ where: { orderId: { startsWith: `order-SOAK-${tag}-` } }, select: { id: true } }),
    db.invoice.findMany({ where: { customerId: { startsWith: `SK-${tag}-` } }, select: { id: true } }),
    db.returnRequest.findMany({ where: { orderId: { startsWith: `order-SOAK-${tag}-` } }, select: { id: true } }),
  ]);

  const missing: unknown[] = [];
  const failed: unknown[] = [];
  const taskFailures: unknown[] = [];
  const runIds = [
    ...events.map((e) => e.workflowId),
    ...shipments.map((s) => s.id),
    ...invoices.map((i) => i.id),
    ...returns.map((r) => r.id),
  ];
  for (const workflowId of runIds) {
    let description;
    try {
      description = await client.workflow.getHandle(workflowId).describe();
    } catch (error) {
      missing.push({ workflowId, error: error instanceof Error ? error.message : String(error) });
      continue;
    }
    if (['FAILED', 'TERMINATED', 'TIMED_OUT'].includes(description.status.name))
      failed.push({ workflowId, status: description.status.name });
    const history = await client.workflow.getHandle(workflowId).fetchHistory();
    for (const event of history.events ?? []) {
      if (event.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED)
        c.activityRetries += Math.max(0, (event.activityTaskStartedEventAttributes?.attempt ?? 1) - 1);
      if (event.eventType !== EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED) continue;
      const cause = event.workflowTaskFailedEventAttributes?.cause ?? 0;
      if (BENIGN_TASK_FAILURES.has(cause)) continue;
      taskFailures.push({
        workflowId,
        eventId: String(event.eventId),
        cause: TaskFailedCause[cause],
        message: event.workflowTaskFailedEventAttributes?.failure?.message,
      });
    }
  }
  c.check('every accepted event is one order workflow', events.length, [
    ...[...byDeal].filter(([, n]) => n > 1).map(([dealId, n]) => ({ dealId, events: n })),
    ...missing,
  ]);
  c.check('no workflow failed', runIds.length, failed);
  c.check('no history holds a failed workflow task', runIds.length, taskFailures);

  const latest = await db.$queryRaw<{ order_id: string; workflow_id: string; step: string; to_status: string }[]>`
    SELECT DISTINCT ON (workflow_id, step) order_id, workflow_id, step, to_status FROM step_event
    WHERE order_id LIKE ${`order-SOAK-${tag}-%`} ORDER BY workflow_id, step, id DESC`;
  const openOrders = orders.filter((o) => !ORDER_ENDS.has(o.status));
  // Backordered lines wait for the named input "receipt arrived" (POST /v1/receipts).
  // 'received': its receipt arrived and holds the units, the order releases it with the rest.
  const waitingForReceipt = new Set(
    (
      await db.backorder.findMany({
        where: { orderId: { in: openOrders.map((o) => o.id) }, status: { in: ['waiting', 'received'] } },
        select: { orderId: true },
      })
    ).map((b) => b.orderId),
  );
  const unexplained = openOrders.filter((o) => {
    if (o.needsAttention || waitingForReceipt.has(o.id)) return false;
    const own = latest.filter(
      (s) => s.order_id === o.id && !s.workflow_id.startsWith('invoice-') && !s.workflow_id.startsWith('return-'),
    );
    return !own.some((s) => s.to_status === 'waiting' || s.to_status === 'needs_attention');
  });
  c.check(
    'every order not ended waits on a named input or needs attention',
    openOrders.length,
    unexplained.map((o) => ({ orderId: o.id, status: o.status, currentStep: o.currentStep })),
  );

  // An ended order's steps must not still offer work to a person (a credit decision, a retry).
  const endedOrders = new Set(orders.filter((o) => ORDER_ENDS.has(o.status)).map((o) => o.id));
  const stale = latest.filter(
    (s) =>
      s.workflow_id === s.order_id &&
      endedOrders.has(s.order_id) &&
      ['waiting', 'running', 'needs_attention'].includes(s.to_status),
  );
  c.check(
    'no step of an ended order still shows waiting, running or needs attention',
    endedOrders.size,
    stale.map((s) => ({ orderId: s.order_id, step: s.step, status: s.to_status })),
  );
}

async function effectInvariants(c: Checker, { db, catalogue, mail, workerKills }: InvariantInputs): Promise<void> {
  const tag = catalogue.tag;
  const prefix = `order-SOAK-${tag}-`;
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

  const invoices = await db.invoice.findMany({
    where: { customerId: { startsWith: `SK-${tag}-` } },
    select: { id: true, status: true, invoiceNumber: true },
  });
  c.check(
    'one number per issued invoice',
    invoices.length,
    invoices
      .filter((i) => i.status !== 'draft' && i.status !== 'void' && !i.invoiceNumber)
      .map((i) => ({ invoiceId: i.id, status: i.status })),
  );

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

  // Shipment and return milestones are per shipment / return: the subject is part of the kind.
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

async function stockInvariants(c: Checker, { db, catalogue }: InvariantInputs): Promise<void> {
  const tag = catalogue.tag;
  const skuPrefix = `SK-${tag}-`;
  const [stock, lots, receipts, shipments, returnLines, reservations, backorders] = await Promise.all([
    db.stock.findMany({ where: { sku: { startsWith: skuPrefix } } }),
    db.stockLot.findMany({ where: { sku: { startsWith: skuPrefix } } }),
    db.scheduledReceipt.findMany({ where: { sku: { startsWith: skuPrefix } } }),
    db.shipment.findMany({
      where: { orderId: { startsWith: `order-SOAK-${tag}-` }, picks: { not: { equals: null } } } as never,
      select: { warehouseId: true, status: true, picks: true },
    }),
    db.returnLine.findMany({
      where: { sku: { startsWith: skuPrefix }, restockQuantity: { gt: 0 } },
      include: { returnRequest: { select: { warehouseId: true } } },
    }),
    db.reservation.findMany({ where: { sku: { startsWith: skuPrefix }, status: 'reserved' } }),
    db.backorder.findMany({ where: { sku: { startsWith: skuPrefix }, status: { in: ['waiting', 'received'] } } }),
  ]);

  const expected = new Map(catalogue.initialOnHand);
  const expectedLots = new Map(catalogue.initialLots);
  for (const r of receipts.filter((x) => x.receivedAt)) {
    add(expected, `${r.warehouseId}|${r.sku}`, r.quantity);
    if (r.lotId) add(expectedLots, `${r.warehouseId}|${r.sku}|${r.lotId}`, r.quantity);
  }
  for (const s of shipments) {
    if (!s.picks || s.status === 'cancelled') continue; // unpicked: the units went back on the shelf
    for (const line of (s.picks as Picks).lines) {
      add(expected, `${s.warehouseId}|${line.sku}`, -line.quantity);
      for (const lot of line.lots) add(expectedLots, `${s.warehouseId}|${line.sku}|${lot.lotId}`, -lot.quantity);
    }
  }
  for (const l of returnLines) {
    const warehouseId = l.returnRequest.warehouseId ?? '?';
    add(expected, `${warehouseId}|${l.sku}`, l.restockQuantity ?? 0);
    if (l.lotId) add(expectedLots, `${warehouseId}|${l.sku}|${l.lotId}`, l.restockQuantity ?? 0);
  }
  const onHandBroken = stock
    .map((s) => ({ key: `${s.warehouseId}|${s.sku}`, onHand: s.onHand }))
    .filter((s) => (expected.get(s.key) ?? 0) !== s.onHand)
    .map((s) => ({ ...s, expected: expected.get(s.key) ?? 0 }));
  c.check(
    'stock: initial + received - shipped + restocked = on hand (per warehouse and SKU)',
    stock.length,
    onHandBroken,
  );
  const lotBroken = lots
    .map((l) => ({ key: `${l.warehouseId}|${l.sku}|${l.lotId}`, quantity: l.quantity }))
    .filter((l) => (expectedLots.get(l.key) ?? 0) !== l.quantity)
    .map((l) => ({ ...l, expected: expectedLots.get(l.key) ?? 0 }));
  c.check('stock: the same per lot', lots.length, lotBroken);

  const reserved = new Map<string, number>();
  for (const r of reservations) add(reserved, `${r.warehouseId}|${r.sku}`, r.quantity);
  // A receipt's arrival reserves the units promised to its backorders until their order releases them.
  for (const b of backorders) if (b.status === 'received') add(reserved, `${b.warehouseId}|${b.sku}`, b.quantity);
  c.check(
    'stock: reserved = open reservations + backorders whose receipt arrived',
    stock.length,
    stock
      .filter((s) => s.reserved !== (reserved.get(`${s.warehouseId}|${s.sku}`) ?? 0))
      .map((s) => ({
        key: `${s.warehouseId}|${s.sku}`,
        reserved: s.reserved,
        openReservations: reserved.get(`${s.warehouseId}|${s.sku}`) ?? 0,
      })),
  );
  c.check('stock: nothing negative, never more reserved than on hand', stock.length + lots.length, [
    ...stock
      .filter((s) => s.onHand < 0 || s.reserved < 0 || s.reserved > s.onHand)
      .map((s) => ({ key: `${s.warehouseId}|${s.sku}`, onHand: s.onHand, reserved: s.reserved })),
    ...lots
      .filter((l) => l.quantity < 0)
      .map((l) => ({ key: `${l.warehouseId}|${l.sku}|${l.lotId}`, quantity: l.quantity })),
  ]);
  const promised = new Map<string, number>();
  for (const b of backorders) if (b.receiptId && b.status === 'waiting') add(promised, b.receiptId, b.quantity);
  c.check(
    'receipts: promised units within the receipt and equal to the backorders waiting on it',
    receipts.length,
    receipts
      .filter(
        (r) =>
          r.promisedQuantity < 0 ||
          r.promisedQuantity > r.quantity ||
          (!r.receivedAt && r.promisedQuantity !== (promised.get(r.id) ?? 0)),
      )
      .map((r) => ({
        receiptId: r.id,
        quantity: r.quantity,
        promised: r.promisedQuantity,
        waitingBackorders: promised.get(r.id) ?? 0,
        received: Boolean(r.receivedAt),
      })),
  );
}

async function moneyInvariants(c: Checker, { db, catalogue, aging }: InvariantInputs): Promise<void> {
  const tag = catalogue.tag;
  const invoices = await db.invoice.findMany({ where: { customerId: { startsWith: `SK-${tag}-` } } });
  const arithmetic = invoices.filter((i) => {
    const x = i.lines as unknown as ComputedInvoice;
    const sum = (xs: { amountMinor: number }[]) => xs.reduce((s, v) => s + v.amountMinor, 0);
    const tax =
      x.lines.reduce((s, l) => s + l.taxMinor, 0) +
      x.freightTaxMinor +
      x.accessorials.reduce((s, a) => s + a.taxMinor, 0);
    const subtotal = sum(x.lines) + x.freightMinor + sum(x.accessorials) + sum(x.deductions);
    return (
      subtotal !== x.subtotalMinor ||
      tax !== x.taxMinor ||
      x.totalMinor !== subtotal + tax ||
      BigInt(x.totalMinor) !== i.totalMinor
    );
  });
  c.check(
    'every invoice = lines + freight + accessorials + tax - deductions',
    invoices.length,
    arithmetic.map((i) => ({ invoiceId: i.id, totalMinor: Number(i.totalMinor) })),
  );

  const ledger = await db.erpReceivable.findMany({ where: { customerId: { startsWith: `SK-${tag}-` } } });
  const writtenOff = new Map<string, number>();
  for (const e of ledger.filter((l) => l.kind === 'write_off'))
    add(writtenOff, e.invoiceNumber, Math.abs(Number(e.amountMinor)));
  const settlement = invoices.filter((i) => {
    const settled =
      Number(i.paidMinor + i.discountTakenMinor + i.creditedMinor) +
      (i.invoiceNumber ? (writtenOff.get(i.invoiceNumber) ?? 0) : 0);
    if (settled > Number(i.totalMinor)) return true;
    return ['paid', 'written_off', 'credited'].includes(i.status) && settled !== Number(i.totalMinor);
  });
  c.check(
    'paid + discount + credited + written off = total once closed, never above it',
    invoices.length,
    settlement.map((i) => ({
      invoiceId: i.id,
      status: i.status,
      total: Number(i.totalMinor),
      paid: Number(i.paidMinor),
      discount: Number(i.discountTakenMinor),
      credited: Number(i.creditedMinor),
      writtenOff: i.invoiceNumber ? (writtenOff.get(i.invoiceNumber) ?? 0) : 0,
    })),
  );

  const memos = await db.creditMemo.findMany({ where: { customerId: { startsWith: `SK-${tag}-` } } });
  const credits = await db.invoiceCredit.findMany({
    where: { creditMemoNumber: { in: memos.map((m) => m.creditMemoNumber) } },
  });
  const refunds = await db.erpRefund.findMany({
    where: { creditMemoNumber: { in: memos.map((m) => m.creditMemoNumber) } },
  });
  c.check(
    'credit memo applications + refund = memo total',
    memos.length,
    memos
      .filter((m) => m.status !== 'issued')
      .filter((m) => {
        const applied = credits
          .filter((x) => x.creditMemoNumber === m.creditMemoNumber)
          .reduce((s, x) => s + x.amountMinor, 0n);
        const refunded = refunds
          .filter((r) => r.creditMemoNumber === m.creditMemoNumber)
          .reduce((s, r) => s + r.amountMinor, 0n);
        return applied + refunded !== m.totalMinor;
      })
      .map((m) => ({ creditMemoNumber: m.creditMemoNumber, total: Number(m.totalMinor), status: m.status })),
  );

  const open = invoices.filter((i) => ['issued', 'sent', 'partially_paid', 'overdue'].includes(i.status) && i.dueDate);
  const balances = new Map<string, number>();
  for (const i of open)
    add(
      balances,
      `${i.customerId}|${i.currency}`,
      Number(i.totalMinor - i.paidMinor - i.discountTakenMinor - i.creditedMinor),
    );
  const reported = new Map<string, number>();
  for (const r of aging?.rows ?? [])
    if (r.customerId.startsWith(`SK-${tag}-`)) add(reported, `${r.customerId}|${r.currency}`, r.totalMinor);
  const agingKeys = new Set([...balances.keys(), ...reported.keys()]);
  c.check(
    'AR aging = open balances',
    agingKeys.size,
    aging === undefined
      ? [{ problem: 'the AR aging report could not be read' }]
      : [...agingKeys]
          .filter((k) => (balances.get(k) ?? 0) !== (reported.get(k) ?? 0))
          .map((k) => ({ customerCurrency: k, balances: balances.get(k) ?? 0, aging: reported.get(k) ?? 0 })),
  );

  // Numbers are global to the database: the soak runs on its own, so the whole sequence must be gapless.
  const numbers = await db.$queryRaw<{ kind: string; n: bigint; max: bigint | null }[]>`
    SELECT 'invoice' AS kind, count(*) AS n, max(substring(invoice_number from '[0-9]+$')::bigint) AS max FROM invoice WHERE invoice_number IS NOT NULL
    UNION ALL SELECT 'credit memo', count(*), max(substring(credit_memo_number from '[0-9]+$')::bigint) FROM credit_memo`;
  c.check(
    'invoice and credit memo numbers gapless',
    numbers.length,
    numbers
      .filter((r) => (r.max ?? 0n) !== r.n)
      .map((r) => ({ kind: r.kind, count: Number(r.n), highest: Number(r.max ?? 0n) })),
  );

  const shipments = await db.shipment.findMany({
    where: { orderId: { startsWith: `order-SOAK-${tag}-` }, shippedAt: { not: null } },
    select: { id: true, orderId: true, picks: true, deliveredAt: true },
  });
  const orders = await db.order.findMany({
    where: { id: { in: [...new Set(shipments.map((s) => s.orderId))] } },
    select: { id: true, customerId: true, status: true },
  });
  const customers = await db.customer.findMany({
    where: { id: { startsWith: `SK-${tag}-` } },
    select: { id: true, billOn: true, invoiceGrouping: true },
  });
  const queued = new Set(
    (
      await db.periodBillingItem.findMany({
        where: { customerId: { startsWith: `SK-${tag}-` } },
        select: { shipmentId: true },
      })
    ).map((p) => p.shipmentId),
  );
  const billed = new Map<string, { invoiceId: string; status: string }>();
  for (const i of invoices) for (const sid of i.shipmentIds) billed.set(sid, { invoiceId: i.id, status: i.status });
  const unbilled = shipments.filter((s) => {
    const order = orders.find((o) => o.id === s.orderId);
    const customer = customers.find((x) => x.id === order?.customerId);
    if (customer?.billOn === 'delivery' && !s.deliveredAt) return false; // not billable yet
    // One invoice per order: it comes once the order has shipped all it will (backorders may still wait).
    if (customer?.invoiceGrouping === 'per-order' && order && !ORDER_ENDS.has(order.status)) return false;
    return !billed.has(s.id) && !queued.has(s.id);
  });
  const shippedIds = new Set(shipments.map((s) => s.id));
  const phantom = invoices.flatMap((i) =>
    i.shipmentIds.filter((sid) => !shippedIds.has(sid)).map((sid) => ({ invoiceId: i.id, shipmentId: sid })),
  );
  const quantityMismatch = invoices
    .filter((i) => i.status !== 'void' && i.status !== 'draft')
    .flatMap((i) => {
      const invoiced = new Map<string, number>();
      for (const l of (i.lines as unknown as ComputedInvoice).lines) add(invoiced, l.sku, l.quantity);
      const picked = new Map<string, number>();
      for (const sid of i.shipmentIds)
        for (const l of ((shipments.find((s) => s.id === sid)?.picks ?? { lines: [] }) as Picks).lines)
          add(picked, l.sku, l.quantity);
      return [...new Set([...invoiced.keys(), ...picked.keys()])]
        .filter((sku) => (invoiced.get(sku) ?? 0) !== (picked.get(sku) ?? 0))
        .map((sku) => ({ invoiceId: i.id, sku, invoiced: invoiced.get(sku) ?? 0, shipped: picked.get(sku) ?? 0 }));
    });
  c.check(
    'nothing invoiced that did not ship; every shipped unit invoiced or queued for its period',
    shipments.length,
    [
      ...unbilled.map((s) => ({ shipmentId: s.id, problem: 'shipped, billable, not invoiced or queued' })),
      ...phantom,
      ...quantityMismatch,
    ],
  );
}
