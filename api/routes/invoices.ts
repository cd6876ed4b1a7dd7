/**
 * Finance follows every invoice from draft to paid: lists by status, customer and due date, one
 * invoice with its payments and step timeline (issued, e-mailed, reminders), its PDF, and payments,
 * voids and write-offs through the invoice workflow's updates.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../app';
import { decodeCursor, page, pageQuery, pageSchema } from '../pagination';
import { invoiceIdSchema, orderIdFilterSchema, RUN_PROBLEMS, stepNameSchema } from '../schemas';
import { invoiceSummary, invoiceSummarySchema, invoiceTupleSql, type InvoiceTuple } from '../views/invoice-view';
import { invoiceListItemJsonText, invoiceListItemSchema, OPEN_INVOICE_STATUSES } from '../views/invoice-overdue';
import { isoSql, pageJsonText, sendJsonText, sqlRows } from '../views/sql-json';
import { Prisma } from '../../lib/db';
import { ProblemError } from '../problems';
import { executeUpdate, queryWorkflow } from '../workflow-calls';
import { actorOf, audited } from '../audit';
import { invoicePdf } from '../../activities/billing/send-invoice';
import { DEMO_SELLER } from '../../lib/config';
import { singleLineText } from '../../domain/single-line-text';
import { getInvoice, recordPayment, voidInvoice, writeOffInvoice } from '../../workflows/billing/messages';
import { decideStep } from '../../workflows/engine/messages';
import { queryRunState, runStateSchema } from '../views/order-view';
import { requireRunKind } from '../run-kind';

// crm reads an invoice's status and balance with its order (GET /v1/orders/:id), not the invoice itself.
const READERS = { auth: { roles: ['finance', 'ops'] as const } };
const FINANCE = { auth: { roles: ['finance'] as const } };
const errors = RUN_PROBLEMS;
const INVOICE_STATUSES = [
  'draft',
  'issued',
  'sent',
  'partially_paid',
  'paid',
  'overdue',
  'void',
  'written_off',
  'credited',
] as const;

const day = (d: Date | null) => (d ? d.toISOString().slice(0, 10) : null);

/** The rule of api/views/invoice-overdue.ts as a filter: open statuses have a balance, and `overdue` is only set past the due date. */
function overdueWhere(overdue: boolean, asOf: string): Prisma.Sql {
  const pastDueStatuses = OPEN_INVOICE_STATUSES.filter((s) => s !== 'overdue');
  if (overdue)
    return Prisma.sql`(status = 'overdue' OR (status IN (${Prisma.join(pastDueStatuses)}) AND due_date < ${asOf}::date))`;
  return Prisma.sql`status <> 'overdue' AND (status NOT IN (${Prisma.join(OPEN_INVOICE_STATUSES)}) OR due_date IS NULL OR due_date >= ${asOf}::date)`;
}

const invoiceParams = z.object({ invoiceId: invoiceIdSchema });

export const invoiceRoutes: FastifyPluginAsyncZod<{ deps: AppDeps }> = async (app, { deps }) => {
  const t = deps.temporal;
  const account = (id: string) => () => queryWorkflow(t, id, getInvoice);

  app.get(
    '/invoices',
    {
      config: READERS,
      schema: {
        tags: ['finance'],
        summary:
          'Invoices by status, customer, order, due date range and overdue; each says whether it is overdue and by how many days; newest first',
        querystring: z.object({
          status: z.enum(INVOICE_STATUSES).optional(),
          customerId: z.string().max(64).optional(),
          orderId: orderIdFilterSchema.optional(),
          dueFrom: z.iso.date().optional().describe('due on or after (YYYY-MM-DD)'),
          dueTo: z.iso.date().optional().describe('due on or before (YYYY-MM-DD)'),
          overdue: z
            .enum(['true', 'false'])
            .transform((v) => v === 'true')
            .optional()
            .describe(
              'true: open with a balance and past the due date (UTC today), or marked overdue; false: every other invoice',
            ),
          ...pageQuery,
        }),
        response: { 200: pageSchema(invoiceListItemSchema), ...errors },
      },
    },
    async (req, reply) => {
      const q = req.query;
      const cursor = decodeCursor(q.cursor);
      const asOf = new Date().toISOString().slice(0, 10);
      const conditions: Prisma.Sql[] = [
        ...(q.overdue !== undefined ? [overdueWhere(q.overdue, asOf)] : []),
        ...(q.status ? [Prisma.sql`status = ${q.status}`] : []),
        ...(q.customerId ? [Prisma.sql`customer_id = ${q.customerId}`] : []),
        // Containment, so the GIN index on order_ids answers it (a period invoice bills several orders).
        ...(q.orderId ? [Prisma.sql`order_ids @> ARRAY[${q.orderId}]::text[]`] : []),
        ...(q.dueFrom ? [Prisma.sql`due_date >= ${q.dueFrom}::date`] : []),
        ...(q.dueTo ? [Prisma.sql`due_date <= ${q.dueTo}::date`] : []),
        ...(cursor ? [Prisma.sql`(created_at, id) < (${new Date(cursor.at)}::timestamptz, ${cursor.id})`] : []),
      ];
      // One statement; PostgreSQL writes each item's stored fields in the schema's shape and the domain
      // adds balance, amount due and overdue (api/views/sql-json.ts). Not the PDF or the computed lines.
      const rows = await sqlRows<{ t: InvoiceTuple; id: string; at: string }>(
        deps.db,
        Prisma.sql`
      SELECT ${invoiceTupleSql(Prisma.sql`i`)} AS t, i.id, ${isoSql(Prisma.sql`i.created_at`)} AS at FROM invoice i
      ${conditions.length > 0 ? Prisma.sql`WHERE ${Prisma.join(conditions, ' AND ')}` : Prisma.empty}
      ORDER BY i.created_at DESC, i.id DESC
      LIMIT ${q.limit + 1}`,
      );
      const { items, nextCursor } = page(rows, q.limit, (r) => ({ at: r.at, id: r.id }));
      return sendJsonText(
        reply,
        pageJsonText(
          items.map((r) => invoiceListItemJsonText(r.t, asOf)),
          nextCursor,
        ),
      );
    },
  );

  app.get(
    '/invoices/:invoiceId',
    {
      config: READERS,
      schema: {
        tags: ['finance'],
        summary: 'One invoice: figures, payments and its timeline (issued, e-mailed, reminders, payments)',
        params: invoiceParams,
        response: {
          200: invoiceSummarySchema.extend({
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
          }),
          ...errors,
        },
      },
    },
    async (req) => {
      const row = await deps.db.invoice.findUnique({
        where: { id: req.params.invoiceId },
        include: { payments: { orderBy: { id: 'asc' } } },
      });
      if (!row) throw new ProblemError('notFound', `no invoice ${req.params.invoiceId}`);
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
    },
  );

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

  app.post(
    '/invoices/:invoiceId/payments',
    {
      config: FINANCE,
      schema: {
        tags: ['finance'],
        summary: 'Record a payment (idempotent by reference; overpayment refused with the reason)',
        params: invoiceParams,
        body: z.object({
          amountMinor: z.number().int('must be a whole number of minor units').positive('must be > 0').max(1e13),
          receivedDate: z.iso.date('must be a date as YYYY-MM-DD'),
          reference: singleLineText(100),
        }),
        response: {
          200: z.object({
            invoiceId: z.string(),
            status: z.string(),
            totalMinor: z.number(),
            paidMinor: z.number(),
            discountTakenMinor: z.number(),
            balanceMinor: z.number(),
            duplicate: z.boolean().optional(),
          }),
          ...errors,
        },
      },
    },
    async (req) => {
      const { invoiceId } = req.params;
      const result = await audited(
        deps.db,
        req,
        { action: `payment ${req.body.reference}`, targetType: 'invoice', targetId: invoiceId },
        account(invoiceId),
        () => executeUpdate(t, invoiceId, recordPayment, [req.body]),
      );
      return {
        invoiceId: result.invoiceId,
        status: result.status,
        totalMinor: result.totalMinor,
        paidMinor: result.paidMinor,
        discountTakenMinor: result.discountTakenMinor,
        balanceMinor: result.balanceMinor,
        duplicate: result.duplicate,
      };
    },
  );

  for (const [action, update] of [
    ['void', voidInvoice],
    ['write-off', writeOffInvoice],
  ] as const) {
    app.post(
      `/invoices/:invoiceId/${action}`,
      {
        config: FINANCE,
        schema: {
          tags: ['finance'],
          summary: action === 'void' ? 'Void an issued invoice nothing was paid on' : 'Write off the open balance',
          params: invoiceParams,
          body: z.object({ reason: z.string().trim().min(1, 'reason is required').max(1000) }),
          response: {
            200: z.object({ invoiceId: z.string(), status: z.string(), balanceMinor: z.number() }),
            ...errors,
          },
        },
      },
      async (req) => {
        const { invoiceId } = req.params;
        const result = await audited(
          deps.db,
          req,
          { action, targetType: 'invoice', targetId: invoiceId, reason: req.body.reason },
          account(invoiceId),
          () => executeUpdate(t, invoiceId, update, [{ reason: req.body.reason, actor: actorOf(req) }]),
        );
        return { invoiceId: result.invoiceId, status: result.status, balanceMinor: result.balanceMinor };
      },
    );
  }

  // Finance unsticks its own runs here; the /orders step routes refuse invoice ids.
  for (const decision of ['retry', 'skip'] as const) {
    app.post(
      `/invoices/:invoiceId/steps/:step/${decision}`,
      {
        config: FINANCE,
        schema: {
          tags: ['finance'],
          summary:
            decision === 'retry'
              ? 'Retry an invoice step in needs_attention with a fresh retry budget'
              : 'Skip an invoice step in needs_attention (only steps declared skippable; reason required)',
          params: invoiceParams.extend({ step: stepNameSchema }),
          body:
            decision === 'retry'
              ? z.object({ reason: z.string().max(1000).optional() }).default({})
              : z.object({ reason: z.string().trim().min(1, 'reason is required').max(1000) }),
          response: { 200: runStateSchema, ...errors },
        },
      },
      async (req) => {
        const { invoiceId, step } = req.params;
        const { reason } = req.body as { reason?: string };
        await requireRunKind(deps.db, req, invoiceId, ['invoice'], 'invoices');
        return audited(
          deps.db,
          req,
          { action: `${decision} ${step}`, targetType: 'invoice', targetId: invoiceId, reason },
          () => queryRunState(t, invoiceId),
          () => executeUpdate(t, invoiceId, decideStep, [{ step, action: decision, reason, actor: actorOf(req) }]),
        );
      },
    );
  }
};
