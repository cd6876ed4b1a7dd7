import { defineStep } from '../../engine/step';
import { bookCarrierStep } from './book-carrier';

/** Dispatch: shipped e-mail with tracking, CRM `shipped`. After this the order can no longer be cancelled. */
export const confirmShipmentStep = defineStep({
  name: 'confirm-shipment',
  run: 'confirmShipment',
  reads: [bookCarrierStep],
  timeout: '30s',
  skippable: false,
});
