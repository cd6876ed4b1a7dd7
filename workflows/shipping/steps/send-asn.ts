import { defineStep } from '../../engine/step';
import { bookCarrierStep } from './book-carrier';
import { packShipmentStep } from './pack-shipment';
import { pickShipmentStep } from './pick-shipment';

/**
 * Advance ship notice to the customer before dispatch. Ops may skip it (e.g. the customer gets EDI
 * instead). A cancellation notice follows it when the shipment is cancelled before dispatch.
 */
export const sendAsnStep = defineStep({
  name: 'send-asn',
  run: 'sendAsn',
  reads: [pickShipmentStep, packShipmentStep, bookCarrierStep],
  timeout: '30s',
  skippable: true,
  compensate: 'sendAsnCancellation',
  compensatePatch: 'asn-cancellation-notice',
});
