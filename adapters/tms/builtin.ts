/** The built-in transport system: carriers and rate tables in PostgreSQL, bookings on the shipment row. */
import { createHash } from 'node:crypto';
import type { Db } from '../../lib/db';
import type { TmsAdapter } from '../types';

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
      await db.shipment.update({
        where: { id: booking.shipmentId },
        data: { trackingNumber, carrierId: booking.carrierId, mode: booking.mode },
      });
      return { trackingNumber };
    },

    async cancelBooking(booking) {
      // The booking lives on the shipment row: cancelled once, a repeat changes nothing.
      await db.shipment.updateMany({
        where: { id: booking.shipmentId, trackingNumber: booking.trackingNumber, carrierBookingCancelledAt: null },
        data: { carrierBookingCancelledAt: new Date() },
      });
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
