import { defineStep } from '../../engine/step';

/**
 * Cheapest carrier and mode for the weight that accepts the hazard classes; booked once (tracking
 * number). Cancelled in the TMS when the shipment is cancelled before dispatch.
 */
export const bookCarrierStep = defineStep({
  name: 'book-carrier',
  run: 'bookCarrier',
  timeout: '1 minute',
  skippable: false,
  compensate: 'cancelCarrierBooking',
  compensatePatch: 'carrier-booking-compensation',
});
