/**
 * The warehouse system over HTTP. Bodies are JSON and mirror the types in adapters/types.ts and
 * domain/fulfillment (AllocationResult, PackedShipment, LotPick) field for field; dates are ISO
 * `YYYY-MM-DD`. Every request carries `User-Agent: closedloop`, `Accept: application/json` and the
 * configured `Authorization`; every POST carries `Idempotency-Key` (same key, same effect: answer a
 * repeat with the first result).
 *
 *   GET  /holidays                             → string[]                 ISO dates the warehouses do not ship
 *   GET  /warehouses/priority                  → string[]                 warehouse ids, preferred first
 *   POST /reservations                         → AllocationResult         body ReserveRequest (minShelfLifeDays: promise only lots that have it); key `reserve:{orderId}`
 *   POST /reservations/{orderId}/release       → 2xx, body ignored        key `release:{orderId}`; 404 (nothing reserved) is fine
 *   POST /backorders/{orderId}/release         → AllocationResult         body { allowsPartialShipment, today, minShelfLifeDays }; key from the caller (see below); lines now reserved
 *   POST /shipments/{shipmentId}/pick          → ShipmentPicks            body PickRequest; key `pick:{shipmentId}`; 422 when lots cannot cover it
 *   POST /shipments/{shipmentId}/unpick        → 2xx, body ignored        key `unpick:{shipmentId}`; 404 (never picked) is fine
 *   POST /shipments/{shipmentId}/release       → 2xx, body ignored        body { orderId, warehouseId, lines }; key `release:{shipmentId}`; 404 is fine
 *   POST /shipments/{shipmentId}/pack          → PackedShipment           key `pack:{shipmentId}`
 *   POST /receipts/{receiptId}/receive         → { sku, warehouseId, quantity, waitingOrderIds }   key `receive:{receiptId}`; 404: unknown receipt
 *
 * Why the keys come from ids: each of these writes is defined once per order, shipment or receipt, so
 * that id is the natural key. Releasing backorders is the exception: it legitimately runs again after
 * every receipt, so its key comes from the caller (the activity: stable across one release's retries,
 * new for the next release).
 *
 * Compensations close their effect for good (adapters/types.ts; the built-in does it in
 * adapters/fence.ts). A request closedloop gave up on may still reach the WMS after the compensation
 * did: once `release:{orderId}` was accepted, the WMS must refuse a later `reserve:{orderId}` and
 * reserve nothing, also when the release found nothing to release; once `unpick:{shipmentId}` or
 * `release:{shipmentId}` was accepted, likewise a later `pick:{shipmentId}`. closedloop assumes no
 * particular refusal: it does not see a late request's answer, and any 4xx other than 404, 408, 409 and
 * 429 parks the step as ExternalRejected. A WMS that cannot do this leaves the gap open.
 */
import { ApplicationFailure } from '@temporalio/activity';
import { z } from 'zod';
import { FAILURES } from '../../domain/failures';
import type { AllocationResult } from '../../domain/fulfillment/atp';
import type { PackedShipment } from '../../domain/fulfillment/packing';
import type { ShipmentPicks, WmsAdapter } from '../types';
import { createJsonClient, fields, segment, type HttpOptions, type JsonClient } from './http-client';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be an ISO date YYYY-MM-DD');
const quantity = z.number().int().min(0);
const orderLine = z.object({ lineNo: z.number().int(), sku: z.string(), quantity });

const allocationResult = z.object({
  allocations: z.array(z.object({ lineNo: z.number().int(), sku: z.string(), warehouseId: z.string(), quantity })),
  backorders: z.array(
    z.object({
      lineNo: z.number().int(),
      sku: z.string(),
      quantity,
      availableDate: isoDate,
      source: z.enum(['receipt', 'lead-time']),
      receiptId: z.string().optional(),
      warehouseId: z.string(),
    }),
  ),
}) satisfies z.ZodType<AllocationResult>;

const shipmentPicks = z.object({
  lines: z.array(
    orderLine.extend({ lots: z.array(z.object({ lotId: z.string(), quantity, expiryDate: isoDate.nullable() })) }),
  ),
}) satisfies z.ZodType<ShipmentPicks>;

const packedShipment = z.object({
  packages: z.array(
    z.object({
      packageNo: z.number().int(),
      kind: z.enum(['parcel', 'pallet']),
      weightGrams: z.number().int(),
      isHazardous: z.boolean(),
      contents: z.array(z.object({ sku: z.string(), quantity })),
    }),
  ),
  totalWeightGrams: z.number().int(),
}) satisfies z.ZodType<PackedShipment>;

const receivedReceipt = z.object({
  sku: z.string(),
  warehouseId: z.string(),
  quantity,
  waitingOrderIds: z.array(z.string()),
});

export function createHttpWms(options: HttpOptions): WmsAdapter {
  const http = createJsonClient('WMS', options);
  return {
    listHolidays: () => http.request({ method: 'GET', path: '/holidays', response: z.array(isoDate) }),

    listWarehousePriority: () =>
      http.request({ method: 'GET', path: '/warehouses/priority', response: z.array(z.string()) }),

    ...reservationCalls(http),
    ...shipmentCalls(http),

    async receive(receiptId) {
      const received = await http.requestOrUndefined({
        method: 'POST',
        path: `/receipts/${segment(receiptId)}/receive`,
        idempotencyKey: `receive:${receiptId}`,
        response: receivedReceipt,
      });
      // Same failure type as the built-in WMS, so callers see one behaviour whichever adapter runs.
      if (!received)
        throw ApplicationFailure.nonRetryable(`WMS: no scheduled receipt ${receiptId}`, FAILURES.UnknownReceipt.type);
      return received;
    },
  };
}

/** Reserving an order's stock, its compensation and the later release of its backorders. */
function reservationCalls(http: JsonClient): Pick<WmsAdapter, 'reserve' | 'releaseOrder' | 'releaseBackorders'> {
  return {
    reserve: (request) =>
      http.request({
        method: 'POST',
        path: '/reservations',
        body: fields(request, 'orderId', 'lines', 'allowsPartialShipment', 'today', 'minShelfLifeDays'),
        idempotencyKey: `reserve:${request.orderId}`,
        response: allocationResult,
      }),

    async releaseOrder(orderId) {
      // A compensation: an order the WMS holds nothing for is released already.
      await http.requestOrUndefined({
        method: 'POST',
        path: `/reservations/${segment(orderId)}/release`,
        idempotencyKey: `release:${orderId}`,
      });
    },

    releaseBackorders: (request) =>
      http.request({
        method: 'POST',
        path: `/backorders/${segment(request.orderId)}/release`,
        body: fields(request, 'allowsPartialShipment', 'today', 'minShelfLifeDays'),
        idempotencyKey: request.idempotencyKey,
        response: allocationResult,
      }),
  };
}

/** A planned shipment's picking, packing and their undoing; each keyed by the shipment id. */
function shipmentCalls(http: JsonClient): Pick<WmsAdapter, 'pick' | 'unpick' | 'releaseShipment' | 'pack'> {
  return {
    pick: (request) =>
      http.request({
        method: 'POST',
        path: `/shipments/${segment(request.shipmentId)}/pick`,
        body: fields(request, 'shipmentId', 'orderId', 'warehouseId', 'lines', 'minShelfLifeDays', 'today'),
        idempotencyKey: `pick:${request.shipmentId}`,
        response: shipmentPicks,
      }),

    async unpick(shipmentId) {
      // A compensation: a shipment the WMS never picked has nothing to put back.
      await http.requestOrUndefined({
        method: 'POST',
        path: `/shipments/${segment(shipmentId)}/unpick`,
        idempotencyKey: `unpick:${shipmentId}`,
      });
    },

    async releaseShipment(shipment) {
      // A shipment cancelled on its own: what the WMS still holds for it goes back to stock.
      await http.requestOrUndefined({
        method: 'POST',
        path: `/shipments/${segment(shipment.shipmentId)}/release`,
        body: { orderId: shipment.orderId, warehouseId: shipment.warehouseId, lines: shipment.lines },
        idempotencyKey: `release:${shipment.shipmentId}`,
      });
    },

    pack: (shipmentId) =>
      http.request({
        method: 'POST',
        path: `/shipments/${segment(shipmentId)}/pack`,
        idempotencyKey: `pack:${shipmentId}`,
        response: packedShipment,
      }),
  };
}
