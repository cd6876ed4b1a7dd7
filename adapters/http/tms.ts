/**
 * The transport system over HTTP. Bodies are JSON and mirror the types in adapters/types.ts and
 * domain/fulfillment/carrier.ts field for field; money is integer minor units, weights are grams. Every
 * request carries `User-Agent: closedloop`, `Accept: application/json` and the configured
 * `Authorization`; every POST carries `Idempotency-Key` (same key, same effect: answer a repeat with
 * the first result, i.e. the same tracking number).
 *
 *   GET  /rates      → CarrierRate[]          { carrierId, carrierName, mode: 'parcel'|'LTL'|'FTL', minWeightGrams, maxWeightGrams,
 *                                              baseMinor, perKgMinor, transitBusinessDays, acceptedHazardClasses }
 *   POST /bookings   → { trackingNumber }     body { shipmentId, carrierId, mode, weightGrams, packageCount, shipTo }
 *   POST /bookings/{trackingNumber}/cancellation → 2xx, body ignored   body { shipmentId }; 404 (no such booking) is fine
 *   POST /return-labels → { carrierId, trackingNumber, labelUrl }
 *                                             body { returnId, orderId, carrierId, shipFrom, toWarehouseId, weightGrams }
 *
 * A cancellation closes its booking for good (adapters/types.ts; the built-in does it in
 * adapters/fence.ts): a `POST /bookings` for the cancelled shipment that reaches the TMS afterwards
 * (a request closedloop gave up on) must be refused or booked cancelled. The cancel carries the
 * booking's key plus `:cancel`. When closedloop never learned a tracking number, this contract has no
 * request that names the booking, so nothing is sent; a late booking whose answer reaches closedloop is
 * cancelled by that attempt itself (activities/shipping/book-carrier.ts). One whose answer never arrives
 * stays possible: a TMS that books once per `shipmentId` and key and a cancellation endpoint by
 * shipment would close it.
 */
import { z } from 'zod';
import type { CarrierRate } from '../../domain/fulfillment/carrier';
import type { TmsAdapter } from '../types';
import { createJsonClient, fields, type HttpOptions } from './http-client';

const carrierRate = z.object({
  carrierId: z.string(),
  carrierName: z.string(),
  mode: z.enum(['parcel', 'LTL', 'FTL']),
  minWeightGrams: z.number().int(),
  maxWeightGrams: z.number().int(),
  baseMinor: z.number().int(),
  perKgMinor: z.number().int(),
  transitBusinessDays: z.number().int(),
  acceptedHazardClasses: z.array(z.string()),
}) satisfies z.ZodType<CarrierRate>;

const booked = z.object({ trackingNumber: z.string().min(1) });
const returnLabel = z.object({
  carrierId: z.string().min(1),
  trackingNumber: z.string().min(1),
  labelUrl: z.string().min(1),
});

export function createHttpTms(options: HttpOptions): TmsAdapter {
  const http = createJsonClient('TMS', options);
  return {
    listRates: () => http.request({ method: 'GET', path: '/rates', response: z.array(carrierRate) }),

    book: (booking, idempotencyKey) =>
      http.request({
        method: 'POST',
        path: '/bookings',
        body: fields(booking, 'shipmentId', 'carrierId', 'mode', 'weightGrams', 'packageCount', 'shipTo'),
        idempotencyKey,
        response: booked,
      }),

    async cancelBooking(booking, idempotencyKey) {
      // No tracking number: this contract has no way to name the booking, so nothing is sent (see above).
      if (booking.trackingNumber === null) return;
      // A compensation: a booking the TMS does not know is cancelled already.
      await http.requestOrUndefined({
        method: 'POST',
        path: `/bookings/${encodeURIComponent(booking.trackingNumber)}/cancellation`,
        body: { shipmentId: booking.shipmentId },
        idempotencyKey,
      });
    },

    bookReturnLabel: (label, idempotencyKey) =>
      http.request({
        method: 'POST',
        path: '/return-labels',
        body: {
          returnId: label.returnId,
          orderId: label.orderId,
          carrierId: label.carrierId,
          shipFrom: label.shipFrom,
          toWarehouseId: label.toWarehouseId,
          weightGrams: label.weightGrams,
        },
        idempotencyKey,
        response: returnLabel,
      }),
  };
}
