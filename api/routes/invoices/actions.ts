/** Finance's actions on an invoice, each an update of its workflow written to the audit log. */
import type { UpdateDefinition } from '@temporalio/common';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppDeps } from '../../app';
import { reasonSchema, RUN_PROBLEMS } from '../../schemas';
import { executeUpdate, queryWorkflow } from '../../workflow-calls';
import { actorOf, audited, type AuditEntry } from '../../audit';
import { singleLineText } from '../../../domain/single-line-text';
import { getInvoice, recordPayment, voidInvoice, writeOffInvoice } from '../../../workflows/billing/messages';
import type { RouteApp } from '../route-app';
import { FINANCE, invoiceParams } from './shared';

/**
 * Runs `update` on the invoice's workflow and writes it to the audit log, with the invoice's account
 * as it was before and after.
 */
function auditedUpdate<Ret, Args extends [unknown]>(
  deps: AppDeps,
  req: FastifyRequest & { params: { invoiceId: string } },
  entry: Omit<AuditEntry, 'targetType' | 'targetId'>,
  update: UpdateDefinition<Ret, Args>,
  args: Args,
): Promise<Ret> {
  const { invoiceId } = req.params;
  return audited(
    deps.db,
    req,
    { ...entry, targetType: 'invoice', targetId: invoiceId },
    () => queryWorkflow(deps.temporal, invoiceId, getInvoice),
    () => executeUpdate(deps.temporal, invoiceId, update, args),
  );
}

export function registerRecordPayment(app: RouteApp, deps: AppDeps): void {
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
          ...RUN_PROBLEMS,
        },
      },
    },
    async (req) => {
      const result = await auditedUpdate(deps, req, { action: `payment ${req.body.reference}` }, recordPayment, [
        req.body,
      ]);
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
}

/** POST /invoices/:invoiceId/void and /write-off: both close the balance with a reason. */
export function registerCloseInvoice(app: RouteApp, deps: AppDeps): void {
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
          body: z.object({ reason: reasonSchema }),
          response: {
            200: z.object({ invoiceId: z.string(), status: z.string(), balanceMinor: z.number() }),
            ...RUN_PROBLEMS,
          },
        },
      },
      async (req) => {
        const result = await auditedUpdate(deps, req, { action, reason: req.body.reason }, update, [
          { reason: req.body.reason, actor: actorOf(req) },
        ]);
        return { invoiceId: result.invoiceId, status: result.status, balanceMinor: result.balanceMinor };
      },
    );
  }
}
