/**
 * Finance and ops reports: receivables aging (JSON or CSV) and KPIs (on-time-in-full, order cycle
 * time, time to invoice, days sales outstanding, SLA breach rate) per customer and overall.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppDeps } from '../../app';
import { ReportCache } from '../../views/report-cache';
import { registerArAging } from './ar-aging';
import { registerKpis } from './kpis';

export const reportRoutes: FastifyPluginAsyncZod<{ deps: AppDeps }> = async (app, { deps }) => {
  const cache = new ReportCache(deps.db);
  registerArAging(app, deps, cache);
  registerKpis(app, deps, cache);
};
