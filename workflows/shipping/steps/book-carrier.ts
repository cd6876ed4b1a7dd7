import { defineStep } from '../../engine/step';
import type { CarrierBooking } from '../../../activities/shipping/types';
import { packShipmentStep } from './pack-shipment';

/**
 * Cheapest carrier and mode for the weight that accepts the hazard classes; booked once (tracking
 * number). Cancelled in the TMS when the shipment is cancelled before dispatch.
 */
export const bookCarrierStep = defineStep<CarrierBooking>({
  name: 'book-carrier',
  run: 'bookCarrier',
  reads: [packShipmentStep],
  timeout: '1 minute',
  skippable: false,
  compensate: 'cancelCarrierBooking',
  compensatePatch: 'carrier-booking-compensation',
});
