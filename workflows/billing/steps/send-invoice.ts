import { defineStep } from '../../engine/step';
import { issueInvoiceStep } from './issue-invoice';

/** E-mails the invoice with its PDF to the billing contact, once; the invoice becomes `sent`. */
export const sendInvoiceStep = defineStep({
  name: 'send-invoice',
  run: 'sendInvoice',
  reads: [issueInvoiceStep],
  timeout: '1 minute',
  skippable: true,
});
