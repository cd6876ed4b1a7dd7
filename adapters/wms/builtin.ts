/**
 * The built-in warehouse system: stock per warehouse and lot in PostgreSQL.
 *
 * Reservation locks the stock rows of the order's SKUs (SELECT ... FOR UPDATE, in a fixed order so two
 * orders cannot deadlock) and computes the allocation inside the same transaction: two concurrent
 * orders for a scarce SKU see each other's reservations and never oversell. Each operation lives in
 * its own module beside this one; this factory binds them to a database.
 */
import type { Db } from '../../lib/db';
import { rankWarehouses } from '../../domain/fulfillment/atp';
import type { WmsAdapter } from '../types';
import { holidays } from './shared';
import { reserve } from './reserve';
import { releaseOrder } from './release-order';
import { releaseBackorders } from './release-backorders';
import { pick } from './pick';
import { unpick } from './unpick';
import { releaseShipment } from './release-shipment';
import { pack } from './pack';
import { receive } from './receive';

export function createBuiltinWms(db: Db): WmsAdapter {
  return {
    listHolidays: async () => [...(await holidays(db))].sort(),
    listWarehousePriority: async () =>
      rankWarehouses(await db.warehouse.findMany({ select: { id: true, priority: true } })),
    reserve: (request) => reserve(db, request),
    releaseOrder: (orderId) => releaseOrder(db, orderId),
    releaseBackorders: (request) => releaseBackorders(db, request),
    pick: (request) => pick(db, request),
    unpick: (shipmentId) => unpick(db, shipmentId),
    releaseShipment: (request) => releaseShipment(db, request),
    pack: (shipmentId) => pack(db, shipmentId),
    receive: (receiptId) => receive(db, receiptId),
  };
}
