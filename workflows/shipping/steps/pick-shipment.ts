import { defineStep } from '../../engine/step';
import type { ShipmentPicks } from '../../../adapters/types';

/** Picks lots first-expired-first-out within the customer's shelf-life minimum; units go back on cancellation. */
export const pickShipmentStep = defineStep<ShipmentPicks>({
  name: 'pick-shipment',
  run: 'pickShipment',
  timeout: '1 minute',
  sla: { within: '2 days', from: 'step.started', onBreach: 'expedite' },
  skippable: false,
  compensate: 'unpickShipment',
});
