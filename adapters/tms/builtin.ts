/**
 * The built-in transport system: carriers and rate tables in PostgreSQL, bookings on the shipment row.
 * A booking and its cancellation take the shipment's fence first (adapters/fence.ts): a cancellation
 * that ran first, even without a tracking number to cancel, refuses a booking still running for a
 * timed-out attempt.
 */
import { createHash } from 'node:crypto';
import type { Db } from '../../lib/db';
import { enterCommit, fenceKey, markCompensated } from '../fence';
import type { TmsAdapter } from '../types';

const TX = { timeout: 30_000, maxWait: 30_000 };

export function createBuiltinTms(db: Db): TmsAdapter {
  return {
    async listRates() {
      const carriers = await db.carrier.findMany();
      const rates = await db.carrierRate.findMany({ orderBy: { id: 'asc' } });
      return rates.map((r) => {
        const carrier = carriers.find((c) => c.id === r.carrierId)!;
        return {
          carrierId: r.carrierId,
          carrierName: carrier.name,
          mode: r.mode as 'parcel' | 'LTL' | 'FTL',
          minWeightGrams: r.minWeightGrams,
          maxWeightGrams: r.maxWeightGrams,
          baseMinor: Number(r.baseMinor),
          perKgMinor: Number(r.perKgMinor),
          transitBusinessDays: r.transitBusinessDays,
          acceptedHazardClasses: carrier.acceptedHazardClasses,
        };
      });
    },

    async book(booking, idempotencyKey) {
      // Tracking numbers derive from the key: a retried booking gets the same number, never a second one.
      const trackingNumber = `${booking.carrierId.slice(0, 3).toUpperCase()}${createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 12).toUpperCase()}`;
      await db.$transaction(async (tx) => {
        await enterCommit(tx, fenceKey.carrierBooking(booking.shipmentId));
        await tx.shipment.update({
          where: { id: booking.shipmentId },
          data: { trackingNumber, carrierId: booking.carrierId, mode: booking.mode },
        });
      }, TX);
      return { trackingNumber };
    },

    async cancelBooking(booking) {
      // The booking lives on the shipment row (one per shipment): cancelled once, a repeat changes nothing.
      await db.$transaction(async (tx) => {
        await markCompensated(tx, fenceKey.carrierBooking(booking.shipmentId));
        await tx.shipment.updateMany({
          where: { id: booking.shipmentId, trackingNumber: { not: null }, carrierBookingCancelledAt: null },
          data: { carrierBookingCancelledAt: new Date() },
        });
      }, TX);
    },

    async bookReturnLabel(label, idempotencyKey) {
      // Like outbound bookings, the tracking number derives from the key: a retry books nothing new.
      const trackingNumber = `R${label.carrierId.slice(0, 3).toUpperCase()}${createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 12).toUpperCase()}`;
      return {
        carrierId: label.carrierId,
        trackingNumber,
        labelUrl: `builtin-tms://return-labels/${encodeURIComponent(label.returnId)}/${trackingNumber}.pdf`,
      };
    },
  };
}
