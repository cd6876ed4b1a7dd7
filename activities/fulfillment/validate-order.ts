import { ApplicationFailure } from '@temporalio/activity';
import { FAILURES } from '../../domain/failures';
import { validateOrderLines } from '../../domain/fulfillment/order-validation';
import { lineAmountMinor, sumMinor } from '../../domain/money';
import type { ActivityDeps } from '../deps';
import type { StepInput, StepOutput } from '../contract';
import type { ValidatedOrder } from './types';

/** Sent prices may differ from the contract by at most this much (rounding on the CRM side). */
const PRICE_TOLERANCE_BP = 50;

/**
 * Checks the event against the ERP's master data: customer, currency, SKUs, contract and list prices.
 * A bad order is rejected (business failure, never retried) with one reason per line, before anything
 * reaches the ERP; the CRM hears `rejected`.
 */
export async function validateOrder(deps: ActivityDeps, input: StepInput): Promise<StepOutput> {
  const { event, orderId } = input.run;
  const { erp, crm } = deps.adapters;
  const skus = [...new Set(event.lines.map((l) => l.sku))];
  const [customer, skuRows, contract] = await Promise.all([
    erp.getCustomer(event.customer.id),
    erp.getSkus(skus),
    erp.getContractPrices(event.customer.id, skus),
  ]);
  const result = validateOrderLines({
    currency: event.currency,
    lines: event.lines,
    customer,
    customerIdGiven: event.customer.id,
    skus: Object.fromEntries(skuRows.map((s) => [s.sku, s])),
    contractPrices: Object.fromEntries(contract.map((p) => [p.sku, p])),
    listPrices: Object.fromEntries(
      skuRows.map((s) => [s.sku, { unitPriceMinor: s.listPriceMinor, currency: s.currency }]),
    ),
    priceToleranceBp: PRICE_TOLERANCE_BP,
  });
  if (!result.ok) {
    // The domain's messages already name their line ("line 2: unknown SKU ...").
    const reasons = result.errors.map((e) =>
      e.line && !e.message.startsWith(`line ${e.line}:`) ? `line ${e.line}: ${e.message}` : e.message,
    );
    await crm.sendMilestone(
      { orderId, dealId: event.dealId, milestone: 'rejected', detail: { reasons } },
      `${input.idempotencyKey}:crm`,
    );
    throw ApplicationFailure.create({
      type: FAILURES.OrderRejected.type,
      message: `order rejected: ${reasons.join('; ')}`,
      nonRetryable: true,
      details: [result.errors],
    });
  }
  const profile = await erp.getSlaProfile(event.slaProfile ?? customer!.slaProfileId);
  if (!profile) {
    throw ApplicationFailure.create({
      type: FAILURES.OrderRejected.type,
      message: `order rejected: unknown SLA profile "${event.slaProfile ?? customer!.slaProfileId}"`,
      nonRetryable: true,
    });
  }
  const totalMinor = sumMinor(result.lines.map((l) => lineAmountMinor(l.unitPriceMinor, l.quantity)));
  await deps.db.order.updateMany({ where: { id: orderId }, data: { totalMinor: BigInt(totalMinor) } });
  const validated: ValidatedOrder = {
    lines: result.lines,
    totalMinor,
    paymentTerms: event.paymentTerms === 'CUSTOMER_DEFAULT' ? customer!.paymentTerms : event.paymentTerms,
    slaProfileId: profile.id,
    stepDurations: profile.stepDurations,
    handlingBusinessDays: profile.handlingBusinessDays,
    minShelfLifeDays: customer!.minShelfLifeDays,
    billOn: customer!.billOn,
  };
  return { data: validated, status: 'validated' };
}
