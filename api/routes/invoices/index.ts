/**
 * Finance follows every invoice from draft to paid: lists by status, customer and due date, one
 * invoice with its payments and step timeline (issued, e-mailed, reminders), its PDF, and payments,
 * voids and write-offs through the invoice workflow's updates.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppDeps } from '../../app';
import { invoiceIdSchema } from '../../schemas';
import { registerStepDecisionRoutes } from '../step-decisions';
import { registerInvoiceList } from './list';
import { registerInvoiceDetail, registerInvoicePdf } from './read';
import { registerCloseInvoice, registerRecordPayment } from './actions';

export const invoiceRoutes: FastifyPluginAsyncZod<{ deps: AppDeps }> = async (app, { deps }) => {
  registerInvoiceList(app, deps);
  registerInvoiceDetail(app, deps);
  registerInvoicePdf(app, deps);
  registerRecordPayment(app, deps);
  registerCloseInvoice(app, deps);
  // Finance unsticks its own runs here; the /orders step routes refuse invoice ids.
  registerStepDecisionRoutes(app, deps, {
    runPath: '/invoices/:invoiceId',
    idParam: 'invoiceId',
    idSchema: invoiceIdSchema,
    roles: ['finance'],
    tag: 'finance',
    summaries: {
      retry: 'Retry an invoice step in needs_attention with a fresh retry budget',
      skip: 'Skip an invoice step in needs_attention (only steps declared skippable; reason required)',
    },
    kinds: ['invoice'],
    noun: 'invoices',
    targetType: 'invoice',
  });
};
