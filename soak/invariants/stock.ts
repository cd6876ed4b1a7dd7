/**
 * Stock invariants: the warehouse books balance. On hand is what the soak started with plus what was
 * received, less what shipped, plus what came back to the shelf; reservations and receipt promises
 * match the orders and backorders that hold them.
 */
import type { Db } from '../../lib/db';
import type { Catalogue } from '../catalogue';
import { add, type Checker, type InvariantInputs, orderPrefix, type Picks } from './checker';

type StockRows = Awaited<ReturnType<typeof loadStockRows>>;

export async function stockInvariants(c: Checker, { db, catalogue }: InvariantInputs): Promise<void> {
  const rows = await loadStockRows(db, catalogue.tag);
  const { stock, lots } = rows;
  const { expected, expectedLots } = expectedBalances(catalogue, rows);
  c.check(
    'stock: initial + received - shipped + restocked = on hand (per warehouse and SKU)',
    stock.length,
    stock
      .map((s) => ({ key: `${s.warehouseId}|${s.sku}`, onHand: s.onHand }))
      .filter((s) => (expected.get(s.key) ?? 0) !== s.onHand)
      .map((s) => ({ ...s, expected: expected.get(s.key) ?? 0 })),
  );
  c.check(
    'stock: the same per lot',
    lots.length,
    lots
      .map((l) => ({ key: `${l.warehouseId}|${l.sku}|${l.lotId}`, quantity: l.quantity }))
      .filter((l) => (expectedLots.get(l.key) ?? 0) !== l.quantity)
      .map((l) => ({ ...l, expected: expectedLots.get(l.key) ?? 0 })),
  );
  reservedMatchesHolders(c, rows);
  nothingNegative(c, rows);
  receiptPromisesMatchBackorders(c, rows);
}

async function loadStockRows(db: Db, tag: string) {
  const skuPrefix = `SK-${tag}-`;
  const [stock, lots, receipts, shipments, returnLines, reservations, backorders] = await Promise.all([
    db.stock.findMany({ where: { sku: { startsWith: skuPrefix } } }),
    db.stockLot.findMany({ where: { sku: { startsWith: skuPrefix } } }),
    db.scheduledReceipt.findMany({ where: { sku: { startsWith: skuPrefix } } }),
    db.shipment.findMany({
      where: { orderId: { startsWith: orderPrefix(tag) }, picks: { not: { equals: null } } } as never,
      select: { warehouseId: true, status: true, picks: true },
    }),
    db.returnLine.findMany({
      where: { sku: { startsWith: skuPrefix }, restockQuantity: { gt: 0 } },
      include: { returnRequest: { select: { warehouseId: true } } },
    }),
    db.reservation.findMany({ where: { sku: { startsWith: skuPrefix }, status: 'reserved' } }),
    db.backorder.findMany({ where: { sku: { startsWith: skuPrefix }, status: { in: ['waiting', 'received'] } } }),
  ]);
  return { stock, lots, receipts, shipments, returnLines, reservations, backorders };
}

/** On hand per `warehouse|sku` and per `warehouse|sku|lot`, replayed from the movements. */
function expectedBalances(catalogue: Catalogue, { receipts, shipments, returnLines }: StockRows) {
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
  return { expected, expectedLots };
}

function reservedMatchesHolders(c: Checker, { stock, reservations, backorders }: StockRows): void {
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
}

function nothingNegative(c: Checker, { stock, lots }: StockRows): void {
  c.check('stock: nothing negative, never more reserved than on hand', stock.length + lots.length, [
    ...stock
      .filter((s) => s.onHand < 0 || s.reserved < 0 || s.reserved > s.onHand)
      .map((s) => ({ key: `${s.warehouseId}|${s.sku}`, onHand: s.onHand, reserved: s.reserved })),
    ...lots
      .filter((l) => l.quantity < 0)
      .map((l) => ({ key: `${l.warehouseId}|${l.sku}|${l.lotId}`, quantity: l.quantity })),
  ]);
}

function receiptPromisesMatchBackorders(c: Checker, { receipts, backorders }: StockRows): void {
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
