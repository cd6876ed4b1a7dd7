import { defineStep } from '../../engine/step';
import type { Reservation } from '../../../activities/fulfillment/types';
import { validateOrderStep } from './validate-order';

/** Available-to-promise and atomic reservation per line; backorders get promised dates. Released on cancellation. */
export const reserveStockStep = defineStep<Reservation>({
  name: 'reserve-stock',
  run: 'reserveStock',
  reads: [validateOrderStep],
  timeout: '1 minute',
  sla: { within: '4h', from: 'order.created', onBreach: 'notify-ops' },
  skippable: false,
  compensate: 'releaseStock',
  patch: 'fulfillment-v1',
});
