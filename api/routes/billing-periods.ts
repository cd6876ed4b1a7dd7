/**
 * Invoicing per period, as finance sees it: a customer's open billing period (what is waiting to be
 * invoiced when it closes, and the last close), and closing it early through the billing-period
 * workflow's update.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../app';
import { reasonSchema, RUN_PROBLEMS } from '../schemas';
import { ProblemError } from '../problems';
import { executeUpdate, queryWorkflow } from '../workflow-calls';
import { actorOf, audited } from '../audit';
import { billingPeriodAt, toBillingPeriodKind } from '../../domain/billing/billing-period';
import { closeBillingPeriod, getBillingPeriod, type BillingPeriodState } from '../../workflows/billing/period-messages';
import { billingPeriodIdFor } from '../../workflows/ids';
import type { RouteApp } from './route-app';

const READERS = { auth: { roles: ['finance', 'ops'] as const } };
const FINANCE = { auth: { roles: ['finance'] as const } };
const errors = RUN_PROBLEMS;

const params = z.object({
  customerId: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'must be 1-64 letters, digits, dot, dash or underscore'),
});
const closeSchema = z.object({
  label: z.string(),
  closedAt: z.string(),
  invoiceIds: z.array(z.string()),
  shipmentIds: z.array(z.string()),
});

/** The billing-period workflow's state: the open period and the last close. */
const periodState = (deps: AppDeps, customerId: string) =>
  queryWorkflow(deps.temporal, billingPeriodIdFor(customerId), getBillingPeriod);

export const billingPeriodRoutes: FastifyPluginAsyncZod<{ deps: AppDeps }> = async (app, { deps }) => {
  registerOpenPeriod(app, deps);
  registerClosePeriod(app, deps);
};

function registerOpenPeriod(app: RouteApp, deps: AppDeps): void {
  app.get(
    '/customers/:customerId/billing-period',
    {
      config: READERS,
      schema: {
        tags: ['finance'],
        summary: "A per-period customer's open billing period: shipments waiting for its close, and the last close",
        params,
        response: {
          200: z.object({
            customerId: z.string(),
            invoiceGrouping: z.string(),
            billingPeriod: z.string().describe('monthly or weekly (UTC calendar periods)'),
            current: z.object({ label: z.string(), startsAt: z.string(), closesAt: z.string() }),
            waiting: z.array(z.object({ shipmentId: z.string(), orderId: z.string(), billableAt: z.string() })),
            lastClose: closeSchema.nullable(),
          }),
          ...errors,
        },
      },
    },
    async (req) => {
      const { customerId } = req.params;
      const customer = await deps.db.customer.findUnique({ where: { id: customerId } });
      if (!customer) throw new ProblemError('notFound', `no customer ${customerId}`);
      const waiting = await deps.db.periodBillingItem.findMany({
        where: { customerId, periodKey: null },
        orderBy: [{ billableAt: 'asc' }, { shipmentId: 'asc' }],
      });
      // The workflow knows the open period (and its last close); before the first billable shipment there is none yet.
      const state: BillingPeriodState | undefined = await periodState(deps, customerId).catch(() => undefined);
      return {
        customerId,
        invoiceGrouping: customer.invoiceGrouping,
        billingPeriod: toBillingPeriodKind(customer.billingPeriod),
        current: state?.current ?? billingPeriodAt(toBillingPeriodKind(customer.billingPeriod), new Date()),
        waiting: waiting.map((w) => ({
          shipmentId: w.shipmentId,
          orderId: w.orderId,
          billableAt: w.billableAt.toISOString(),
        })),
        lastClose: state?.lastClose ?? null,
      };
    },
  );
}

function registerClosePeriod(app: RouteApp, deps: AppDeps): void {
  app.post(
    '/customers/:customerId/billing-period/close',
    {
      config: FINANCE,
      schema: {
        tags: ['finance'],
        summary: 'Close the open billing period now: invoice everything billable so far',
        params,
        body: z.object({ reason: reasonSchema }),
        response: { 200: closeSchema, ...errors },
      },
    },
    async (req) => {
      const { customerId } = req.params;
      const workflowId = await requireOpenPeriod(deps, customerId);
      return audited(
        deps.db,
        req,
        { action: 'close billing period', targetType: 'customer', targetId: customerId, reason: req.body.reason },
        () => periodState(deps, customerId),
        () =>
          executeUpdate(deps.temporal, workflowId, closeBillingPeriod, [
            { actor: actorOf(req), reason: req.body.reason },
          ]),
      );
    },
  );
}

/** The billing-period workflow's id when it runs; 404, 409 or 422 (not invoiced per period) when not. */
async function requireOpenPeriod(deps: AppDeps, customerId: string): Promise<string> {
  const customer = await deps.db.customer.findUnique({
    where: { id: customerId },
    select: { invoiceGrouping: true },
  });
  if (!customer) throw new ProblemError('notFound', `no customer ${customerId}`);
  const workflowId = billingPeriodIdFor(customerId);
  const isRunning = await deps.temporal.workflow
    .getHandle(workflowId)
    .describe()
    .then(
      (d) => d.status.name === 'RUNNING',
      () => false,
    );
  if (!isRunning) {
    throw new ProblemError(
      customer.invoiceGrouping === 'per-period' ? 'conflict' : 'businessRule',
      customer.invoiceGrouping === 'per-period'
        ? `customer ${customerId} has no open billing period yet: it opens with the first billable shipment`
        : `customer ${customerId} is invoiced ${customer.invoiceGrouping}, not per period`,
    );
  }
  return workflowId;
}
