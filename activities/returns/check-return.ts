/**
 * Checking a return request (domain/returns/policy checkReturnRequest) against what the order really
 * delivered and was invoiced for, and recording ops' approval. The request is stored (return_request +
 * return_line) whether it passes or not, so refused requests are listed with their reasons too.
 *
 * Inputs gathered here: delivered quantities per SKU (picked quantities of the order's delivered
 * shipments), the delivery date (the latest delivery of a shipment carrying a requested SKU: the window
 * runs from the day the goods arrived), quantities of the order's other returns that are not rejected
 * or cancelled (requested, or accepted once inspected), invoiced unit prices and the invoice's tax rule,
 * and the customer's return policy (else the global one).
 */
import type { ReturnStatus } from '../../domain/statuses';
import { ApplicationFailure } from '@temporalio/activity';
import { FAILURES } from '../../domain/failures';
import { checkReturnRequest, type ReturnPolicy, type ReturnRequestError } from '../../domain/returns/policy';
import { Prisma } from '../../lib/db';
import type { ActivityDeps } from '../deps';
import { type StepInput, type StepOutput, resultOf } from '../contract';
import { checkReturnStep } from '../../workflows/returns/steps/check-return';
import type { CheckedReturn, ReturnRequestInput, ReturnRequestLine } from './types';
import { deliveriesOf, invoicedPrices, latestDelivery, lineProblems } from './return-evidence';

export const GLOBAL_RETURN_POLICY_ID = 'global';

export const requestOf = (input: StepInput): ReturnRequestInput => input.results.request as ReturnRequestInput;
export const checkedOf = (input: StepInput): CheckedReturn => resultOf(input, checkReturnStep);

/** A refused or rejected return: a business failure with the problems found, never retried. */
export const rejected = (message: string, errors: ReturnRequestError[]) =>
  ApplicationFailure.create({ type: FAILURES.ReturnRejected.type, message, details: [errors], nonRetryable: true });

/** The customer's return policy, else the global row (seeded by the returns migration). */
export async function returnPolicyFor(
  db: Prisma.TransactionClient,
  customerId: string,
): Promise<ReturnPolicy & { restockingFeeBp: number; creditScrapReasonCodes: string[] }> {
  const row =
    (await db.returnPolicy.findUnique({ where: { customerId } })) ??
    (await db.returnPolicy.findUniqueOrThrow({ where: { id: GLOBAL_RETURN_POLICY_ID } }));
  return {
    windowDays: row.windowDays,
    nonReturnableSkus: row.nonReturnableSkus,
    autoApproveMaxMinor: Number(row.autoApproveMaxMinor),
    reasonCodes: row.reasonCodes,
    restockingFeeBp: row.restockingFeeBp,
    creditScrapReasonCodes: row.creditScrapReasonCodes,
  };
}

/** Units of `orderId` already claimed by its other returns (requested, or accepted once inspected). */
async function alreadyReturned(
  db: Prisma.TransactionClient,
  orderId: string,
  returnId: string,
): Promise<Record<string, number>> {
  const others = await db.returnRequest.findMany({
    // A refused request claims nothing, even before its run has ended rejected.
    where: {
      orderId,
      id: { not: returnId },
      status: { notIn: ['rejected', 'cancelled'] },
      OR: [{ decision: null }, { decision: { not: 'refused' } }],
    },
    include: { lines: true },
  });
  const bySku: Record<string, number> = {};
  for (const r of others) {
    for (const l of r.lines)
      bySku[l.sku] =
        (bySku[l.sku] ?? 0) + (r.inspectedAt ? (l.restockQuantity ?? 0) + (l.scrapQuantity ?? 0) : l.quantity);
  }
  return bySku;
}

/**
 * Requests for one order are checked one at a time (an advisory lock per order, held until the
 * request is stored with its decision): two arriving at once never both count only what the other
 * has not claimed yet, and never both refuse because each saw the other. A refusal is stored, then
 * thrown once the transaction committed.
 */
export async function checkReturn(deps: ActivityDeps, input: StepInput): Promise<StepOutput> {
  const orderId = requestOf(input).orderId;
  const outcome = await deps.db.$transaction(
    async (tx) => {
      await tx.$queryRaw`SELECT 1 AS locked FROM (SELECT pg_advisory_xact_lock(hashtext(${`return-check:${orderId}`}))) AS l`;
      try {
        return { checked: await checkUnderOrderLock(tx, input) };
      } catch (error) {
        if (error instanceof ApplicationFailure && error.type === FAILURES.ReturnRejected.type)
          return { refusal: error };
        throw error;
      }
    },
    { timeout: 30_000, maxWait: 30_000 },
  );
  if ('refusal' in outcome) throw outcome.refusal;
  const { data, status } = outcome.checked;
  // Outside the lock: the ERP adapter uses connections of its own.
  const { event } = input.run;
  const customer = await deps.adapters.erp.getCustomer(event.customer.id);
  const profile = customer
    ? await deps.adapters.erp.getSlaProfile(event.slaProfile ?? customer.slaProfileId)
    : undefined;
  const checked: CheckedReturn = { ...data, stepDurations: profile?.stepDurations ?? {} };
  return { data: checked, status };
}

async function checkUnderOrderLock(
  db: Prisma.TransactionClient,
  input: StepInput,
): Promise<{ data: Omit<CheckedReturn, 'stepDurations'>; status: ReturnStatus }> {
  const request = requestOf(input);
  const { event } = input.run;
  const returnId = input.run.id;
  const lines = request.lines.map((l, i) => ({ ...l, lineNo: i + 1 }));

  // The request is stored first: a refused one is listed with its reasons like any other.
  await storeRequest(db, input, lines);

  const refuse = (errors: ReturnRequestError[]) => refuseRequest(db, returnId, errors);

  const shipments = await db.shipment.findMany({
    where: { orderId: request.orderId, status: 'delivered' },
    orderBy: { deliveredAt: 'asc' },
  });
  if (shipments.length === 0)
    throw await refuse([
      {
        line: null,
        field: 'orderId',
        message: `order ${request.orderId} has no delivered shipment: nothing can be returned yet`,
      },
    ]);

  const { delivered, lotsShipped, deliveryOf } = deliveriesOf(shipments);
  const latest = latestDelivery(lines, deliveryOf);
  const deliveredDate = latest.deliveredAt.toISOString().slice(0, 10);

  const invoices = await db.invoice.findMany({
    where: { orderIds: { has: request.orderId }, invoiceNumber: { not: null }, status: { not: 'void' } },
    orderBy: { issueDate: 'asc' },
  });
  const { unitPrices, taxRatesBp } = invoicedPrices(invoices, event.dealId);

  const policy = await returnPolicyFor(db, event.customer.id);
  const skus = await db.sku.findMany({ where: { sku: { in: lines.map((l) => l.sku) } } });
  const extra = lineProblems(lines, { delivered, lotsShipped, unitPrices, skus });
  // Prices are needed for every delivered SKU the request names; a missing one is reported above.
  const prices = { ...Object.fromEntries(Object.keys(delivered).map((sku) => [sku, 0])), ...unitPrices };
  const result = checkReturnRequest({
    request: { lines: request.lines, requestedDate: request.requestedAt.slice(0, 10) },
    deliveredDate,
    policy,
    delivered,
    alreadyReturned: await alreadyReturned(db, request.orderId, returnId),
    unitPrices: prices,
  });
  const errors = [...(result.ok ? [] : result.errors), ...extra].sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  if (!result.ok || errors.length > 0) throw await refuse(errors);

  const first = invoices[0]!;
  const checked: Omit<CheckedReturn, 'stepDurations'> = {
    decision: result.decision,
    valueMinor: result.valueMinor,
    currency: first.currency,
    deliveredDate,
    unitPrices,
    taxRatesBp,
    taxRateBp: first.taxRateBp,
    isTaxExempt: first.isTaxExempt,
    restockingFeeBp: policy.restockingFeeBp,
    creditScrapReasonCodes: policy.creditScrapReasonCodes,
    warehouseId: latest.warehouseId,
    carrierId: latest.carrierId ?? 'unknown',
    lines,
  };
  await db.returnRequest.update({
    where: { id: returnId },
    data: { decision: result.decision, valueMinor: BigInt(result.valueMinor), currency: first.currency },
  });
  return { data: checked, status: result.decision === 'auto-approved' ? 'approved' : 'pending_approval' };
}

/** Stores the request and its lines once (a retry finds it stored), before any decision on it. */
async function storeRequest(
  db: Prisma.TransactionClient,
  input: StepInput,
  lines: (ReturnRequestLine & { lineNo: number })[],
): Promise<void> {
  const request = requestOf(input);
  const { event } = input.run;
  const returnId = input.run.id;
  await db.returnRequest.upsert({
    where: { id: returnId },
    create: {
      id: returnId,
      orderId: request.orderId,
      customerId: event.customer.id,
      status: 'requested',
      reasonCode: lines[0]?.reasonCode ?? null,
      requestedAt: new Date(request.requestedAt),
      currency: event.currency,
      lines: {
        create: lines.map((l) => ({
          lineNo: l.lineNo,
          sku: l.sku,
          lotId: l.lotId ?? null,
          quantity: l.quantity,
          reasonCode: l.reasonCode,
        })),
      },
    },
    update: {},
  });
}

/** Stores the refusal with its reasons and returns the failure to throw once the transaction commits. */
async function refuseRequest(
  db: Prisma.TransactionClient,
  returnId: string,
  errors: ReturnRequestError[],
): Promise<ApplicationFailure> {
  await db.returnRequest.update({
    where: { id: returnId },
    data: { decision: 'refused', rejectionErrors: errors as object[] },
  });
  return rejected(`return ${returnId} refused: ${errors.map((e) => e.message).join('; ')}`, errors);
}
