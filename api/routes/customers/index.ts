/**
 * Customers as ops and finance see them: a searchable list, and the 360 view of one (contract, credit
 * limit and exposure, credit hold, billing set-up, and what is in flight: orders, shipments, open
 * invoices, returns). PostgreSQL only; every query is by an indexed customer id.
 *
 * crm keys are not scoped to customers (a crm key may read any order), so the customer pages, which
 * show credit and receivables, are for ops, finance and admin only.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppDeps } from '../../app';
import { registerCustomerList } from './list';
import { registerCustomer360 } from './customer-360';

export { FINAL_ORDER_STATUSES } from './shared';

export const customerRoutes: FastifyPluginAsyncZod<{ deps: AppDeps }> = async (app, { deps }) => {
  registerCustomerList(app, deps);
  registerCustomer360(app, deps);
};
