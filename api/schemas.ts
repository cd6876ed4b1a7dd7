import { z } from 'zod';

/**
 * problem+json, as every error answers (api/problems.ts). Loose: RFC 9457 extension members (`in`, the
 * `orderId` of a closed-won conflict) reach the client instead of being stripped by the serializer.
 */
export const problemSchema = z.looseObject({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string(),
  instance: z.string().optional(),
  errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
  in: z
    .enum(['body', 'querystring', 'params', 'headers'])
    .optional()
    .describe('validation errors: the part of the request that was invalid'),
});

/** The statuses a route may declare as problem responses (api/problems.ts PROBLEMS, api/workflow-calls.ts). */
export type ProblemStatus = 400 | 401 | 403 | 404 | 409 | 422 | 503 | 504;

/** A route's problem responses, from the one map: every status it declares answers problem+json. */
export const problemResponses = <S extends ProblemStatus>(...statuses: S[]): Record<S, typeof problemSchema> =>
  Object.fromEntries(statuses.map((status) => [status, problemSchema])) as Record<S, typeof problemSchema>;

/**
 * What a route that reads or changes a run through its workflow can answer: 400 a bad request, 401/403
 * the key, 404 no such run, 409/422 the workflow's refusal (by failure type: domain/failures.ts), 503
 * Temporal unreachable, 504 the workflow did not answer in time (api/workflow-calls.ts).
 */
export const RUN_PROBLEMS = problemResponses(400, 401, 403, 404, 409, 422, 503, 504);

/**
 * Ids in paths and filters. One cap per kind of id, each long enough for every id the system generates:
 * - a deal id is 1-64 characters (domain/closed-won.ts), so an order id `order-<dealId>` has at most 70,
 *   and a shipment id `<orderId>-S<n>` at most 72 + the digits of n: ORDER_ID_MAX (80) takes both, up
 *   to shipment 99 999 999. The /orders routes that act on steps take either (ops.ts);
 * - an invoice id is `invoice-<shipmentId>` or `invoice-<orderId>` (at most 88 with an 8-digit shipment
 *   number) or a period's `invoice-<customerId>-<label>[-<n>]` (a 64-character customer id and a label
 *   such as 2026-W48.2): INVOICE_ID_MAX (140);
 * - a return id is `return-<orderId>-<n>` (at most 78 + the digits of n): RETURN_ID_MAX (160).
 */
export const ORDER_ID_MAX = 80;
export const INVOICE_ID_MAX = 140;
export const RETURN_ID_MAX = 160;

/** An order id, or (where the route says so) one of its shipment ids `<orderId>-S<n>`. */
export const orderIdSchema = z.string().min(1).max(ORDER_ID_MAX);
export const invoiceIdSchema = z.string().min(1).max(INVOICE_ID_MAX);
export const returnIdSchema = z.string().min(1).max(RETURN_ID_MAX);
/** A step's name (kebab-case, workflows/engine/step.ts). */
export const stepNameSchema = z.string().min(1).max(80);
/** An order id as a list filter (`?orderId=`): empty means no filter, as before. */
export const orderIdFilterSchema = z.string().max(ORDER_ID_MAX);
/** Why a control action was taken, where the route requires one (cancel, hold, skip, void...). */
export const reasonSchema = z.string().trim().min(1, 'reason is required').max(1000);
