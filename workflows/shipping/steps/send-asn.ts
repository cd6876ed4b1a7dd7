import { defineStep } from '../../engine/step';

/**
 * Advance ship notice to the customer before dispatch. Ops may skip it (e.g. the customer gets EDI
 * instead). A cancellation notice follows it when the shipment is cancelled before dispatch.
 */
export const sendAsnStep = defineStep({
  name: 'send-asn',
  run: 'sendAsn',
  timeout: '30s',
  skippable: true,
  compensate: 'sendAsnCancellation',
  compensatePatch: 'asn-cancellation-notice',
});
