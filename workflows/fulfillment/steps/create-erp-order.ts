import { defineStep } from '../../engine/step';
import type { ErpOrder } from '../../../activities/fulfillment/types';
import { reserveStockStep } from './reserve-stock';
import { validateOrderStep } from './validate-order';

/** The ERP sales order, once per deal, with confirmed lines and promised dates. Cancelled on cancellation. */
export const createErpOrderStep = defineStep<ErpOrder>({
  name: 'create-erp-order',
  run: 'createErpOrder',
  reads: [validateOrderStep, reserveStockStep],
  timeout: '1 minute',
  skippable: false,
  compensate: 'cancelErpOrder',
  patch: 'fulfillment-v1',
});
