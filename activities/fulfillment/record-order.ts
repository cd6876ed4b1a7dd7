import type { ActivityDeps } from '../deps';
import type { StepInput, StepOutput } from '../contract';
import { lineAmountMinor, sumMinor } from '../../domain/money';

/** Writes the order row for the deal. Idempotent: an upsert by order id, so retries change nothing. */
export async function recordOrder(deps: ActivityDeps, input: StepInput): Promise<StepOutput> {
  const { event, orderId } = input.run;
  const totalMinor = sumMinor(
    event.lines.map((line) =>
      typeof line.unitPriceMinor === 'number' ? lineAmountMinor(line.unitPriceMinor, line.quantity) : 0,
    ),
  );
  const fields = {
    dealId: event.dealId,
    customerId: event.customer.id,
    customerName: event.customer.name,
    poNumber: event.poNumber,
    currency: event.currency,
    totalMinor: BigInt(totalMinor),
    event: event as object,
  };
  await deps.db.order.upsert({
    where: { id: orderId },
    create: { id: orderId, status: 'received', createdAt: new Date(input.run.createdAt), ...fields },
    update: fields,
  });
  deps.log.info({ orderId, workflowId: input.run.id }, 'order recorded');
  return { data: { totalMinor } };
}
