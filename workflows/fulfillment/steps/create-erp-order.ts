import { defineStep } from '../../engine/step';

/** The ERP sales order, once per deal, with confirmed lines and promised dates. Cancelled on cancellation. */
export const createErpOrderStep = defineStep({
  name: 'create-erp-order',
  run: 'createErpOrder',
  timeout: '1 minute',
  skippable: false,
  compensate: 'cancelErpOrder',
  patch: 'fulfillment-v1',
});
