import { defineStep } from '../../engine/step';

/** Available-to-promise and atomic reservation per line; backorders get promised dates. Released on cancellation. */
export const reserveStockStep = defineStep({
  name: 'reserve-stock',
  run: 'reserveStock',
  timeout: '1 minute',
  sla: { within: '4h', from: 'order.created', onBreach: 'notify-ops' },
  skippable: false,
  compensate: 'releaseStock',
  patch: 'fulfillment-v1',
});
