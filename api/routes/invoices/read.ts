/** One invoice as finance reads it: figures, payments and timeline, and its PDF. */
import { z } from 'zod';
import type { AppDeps } from '../../app';
import { RUN_PROBLEMS } from '../../schemas';
import { ProblemError } from '../../problems';
import { invoiceSummary, invoiceSummarySchema } from '../../views/invoice-view';
import { invoicePdf } from '../../../activities/billing/send-invoice';
import { DEMO_SELLER } from '../../../lib/config';
import type { RouteApp } from '../route-app';
import { invoiceParams, READERS } from './shared';

const day = (d: Date | null) => (d ? d.toISOString().slice(0, 10) : null);

const invoiceDetailSchema = invoiceSummarySchema.extend({
  paymentTerms: z.string(),
  sentAt: z.string().nullable(),
  erpPostedAt: z.string().nullable(),
  lines: z.unknown(),
  payments: z.array(
    z.object({
      reference: z.string(),
      amountMinor: z.number(),
      discountAppliedMinor: z.number(),
      receivedDate: z.string(),
    }),
  ),
  timeline: z.array(
    z.object({
      at: z.string(),
      step: z.string(),
      from: z.string().nullable(),
      to: z.string(),
      actor: z.string(),
      reason: z.string().nullable(),
      error: z.string().nullable(),
    }),
  ),
});

async function invoiceDetail(deps: AppDeps, invoiceId: string): Promise<z.input<typeof invoiceDetailSchema>> {
  const row = await deps.db.invoice.findUnique({
    where: { id: invoiceId },
    include: { payments: { orderBy: { id: 'asc' } } },
  });
  if (!row) throw new ProblemError('notFound', `no invoice ${invoiceId}`);
  const events = await deps.db.stepEvent.findMany({ where: { workflowId: row.id }, orderBy: { seq: 'asc' } });
  return {
    ...invoiceSummary(row),
    paymentTerms: row.paymentTerms,
    sentAt: row.sentAt?.toISOString() ?? null,
    erpPostedAt: row.erpPostedAt?.toISOString() ?? null,
    lines: row.lines,
    payments: row.payments.map((p) => ({
      reference: p.reference,
      amountMinor: Number(p.amountMinor),
      discountAppliedMinor: Number(p.discountAppliedMinor),
      receivedDate: day(p.receivedDate)!,
    })),
    timeline: events.map((e) => ({
      at: e.occurredAt.toISOString(),
      step: e.step,
      from: e.fromStatus,
      to: e.toStatus,
      actor: e.actor,
      reason: e.reason,
      error: e.error,
    })),
  };
}

export function registerInvoiceDetail(app: RouteApp, deps: AppDeps): void {
  app.get(
    '/invoices/:invoiceId',
    {
      config: READERS,
      schema: {
        tags: ['finance'],
        summary: 'One invoice: figures, payments and its timeline (issued, e-mailed, reminders, payments)',
        params: invoiceParams,
        response: { 200: invoiceDetailSchema, ...RUN_PROBLEMS },
      },
    },
    async (req) => invoiceDetail(deps, req.params.invoiceId),
  );
}

export function registerInvoicePdf(app: RouteApp, deps: AppDeps): void {
  app.get(
    '/invoices/:invoiceId/pdf',
    {
      config: READERS,
      schema: { tags: ['finance'], summary: 'The invoice PDF (as e-mailed)', params: invoiceParams },
    },
    async (req, reply) => {
      const exists = await deps.db.invoice.findUnique({
        where: { id: req.params.invoiceId },
        select: { id: true, invoiceNumber: true },
      });
      if (!exists) throw new ProblemError('notFound', `no invoice ${req.params.invoiceId}`);
      const pdf = await invoicePdf(deps.db, exists.id, deps.seller ?? DEMO_SELLER);
      return reply
        .type('application/pdf')
        .header('content-disposition', `inline; filename="${exists.invoiceNumber ?? exists.id}.pdf"`)
        .send(pdf);
    },
  );
}
