/**
 * Money invariants: invoices add up, settle to their total and no further, credit memos are spent
 * exactly, AR aging equals the open balances, document numbers have no gaps, and what shipped is
 * what was invoiced.
 */
import type { Db } from '../../lib/db';
import { ORDER_ENDS } from '../snapshot';
import {
  add,
  type Checker,
  type ComputedInvoice,
  customerPrefix,
  type InvariantInputs,
  orderPrefix,
  type Picks,
} from './checker';

type Invoice = Awaited<ReturnType<Db['invoice']['findMany']>>[number];

export async function moneyInvariants(c: Checker, { db, catalogue, aging }: InvariantInputs): Promise<void> {
  const tag = catalogue.tag;
  const invoices = await db.invoice.findMany({ where: { customerId: { startsWith: customerPrefix(tag) } } });
  invoicesAddUp(c, invoices);
  await settledNeverAboveTotal(c, db, tag, invoices);
  await creditMemosSpentExactly(c, db, tag);
  agingEqualsOpenBalances(c, tag, invoices, aging);
  await documentNumbersGapless(c, db);
  await invoicedAsShipped(c, db, tag, invoices);
}

function invoicesAddUp(c: Checker, invoices: Invoice[]): void {
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
}

async function settledNeverAboveTotal(c: Checker, db: Db, tag: string, invoices: Invoice[]): Promise<void> {
  const ledger = await db.erpReceivable.findMany({ where: { customerId: { startsWith: customerPrefix(tag) } } });
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
}

async function creditMemosSpentExactly(c: Checker, db: Db, tag: string): Promise<void> {
  const memos = await db.creditMemo.findMany({ where: { customerId: { startsWith: customerPrefix(tag) } } });
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
}

function agingEqualsOpenBalances(c: Checker, tag: string, invoices: Invoice[], aging: InvariantInputs['aging']): void {
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
    if (r.customerId.startsWith(customerPrefix(tag))) add(reported, `${r.customerId}|${r.currency}`, r.totalMinor);
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
}

/** Numbers are global to the database: the soak runs on its own, so the whole sequence must be gapless. */
async function documentNumbersGapless(c: Checker, db: Db): Promise<void> {
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
}

async function invoicedAsShipped(c: Checker, db: Db, tag: string, invoices: Invoice[]): Promise<void> {
  const shipments = await db.shipment.findMany({
    where: { orderId: { startsWith: orderPrefix(tag) }, shippedAt: { not: null } },
    select: { id: true, orderId: true, picks: true, deliveredAt: true },
  });
  const unbilled = await shippedButUnbilled(db, tag, invoices, shipments);
  const shippedIds = new Set(shipments.map((s) => s.id));
  const phantom = invoices.flatMap((i) =>
    i.shipmentIds.filter((sid) => !shippedIds.has(sid)).map((sid) => ({ invoiceId: i.id, shipmentId: sid })),
  );
  c.check(
    'nothing invoiced that did not ship; every shipped unit invoiced or queued for its period',
    shipments.length,
    [
      ...unbilled.map((s) => ({ shipmentId: s.id, problem: 'shipped, billable, not invoiced or queued' })),
      ...phantom,
      ...invoicedQuantityMismatches(invoices, shipments),
    ],
  );
}

type ShippedShipment = { id: string; orderId: string; picks: unknown; deliveredAt: Date | null };

/** Shipments that are billable by their customer's terms but on no invoice and in no period queue. */
async function shippedButUnbilled(
  db: Db,
  tag: string,
  invoices: Invoice[],
  shipments: ShippedShipment[],
): Promise<ShippedShipment[]> {
  const orders = await db.order.findMany({
    where: { id: { in: [...new Set(shipments.map((s) => s.orderId))] } },
    select: { id: true, customerId: true, status: true },
  });
  const customers = await db.customer.findMany({
    where: { id: { startsWith: customerPrefix(tag) } },
    select: { id: true, billOn: true, invoiceGrouping: true },
  });
  const queued = new Set(
    (
      await db.periodBillingItem.findMany({
        where: { customerId: { startsWith: customerPrefix(tag) } },
        select: { shipmentId: true },
      })
    ).map((p) => p.shipmentId),
  );
  const billed = new Map<string, { invoiceId: string; status: string }>();
  for (const i of invoices) for (const sid of i.shipmentIds) billed.set(sid, { invoiceId: i.id, status: i.status });
  return shipments.filter((s) => {
    const order = orders.find((o) => o.id === s.orderId);
    const customer = customers.find((x) => x.id === order?.customerId);
    if (customer?.billOn === 'delivery' && !s.deliveredAt) return false; // not billable yet
    // One invoice per order: it comes once the order has shipped all it will (backorders may still wait).
    if (customer?.invoiceGrouping === 'per-order' && order && !ORDER_ENDS.has(order.status)) return false;
    return !billed.has(s.id) && !queued.has(s.id);
  });
}

/** Per issued invoice and SKU: units invoiced against units picked on the shipments it bills. */
function invoicedQuantityMismatches(invoices: Invoice[], shipments: ShippedShipment[]) {
  return invoices
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
}
