import { defineStep } from '../../engine/step';
import { issueInvoiceStep } from './issue-invoice';

/** Posts the invoice total to the ERP's receivables once (keyed); ops may skip it when the ERP is booked by hand. */
export const postToErpStep = defineStep({
  name: 'post-to-erp',
  run: 'postInvoiceToErp',
  reads: [issueInvoiceStep],
  timeout: '1 minute',
  skippable: true,
});
