/** confirm-shipment: marks the shipment shipped (under the row lock cancellation takes) and tells the customer once. */
import { ApplicationFailure } from '@temporalio/activity';
import { FAILURES } from '../../domain/failures';
import type { ActivityDeps } from '../deps';
import { type StepInput, type StepOutput, resultOf } from '../contract';
import { bookCarrierStep } from '../../workflows/shipping/steps/book-carrier';
import { sendMailOnce } from '../mail/send-once';
import { brief } from './types';

/**
 * Dispatch: the point of no return for cancellation. Marked shipped under the order's row lock unless a
 * cancellation of the order or of this shipment was accepted first (claimCancellation takes the same
 * lock): then dispatch is refused and the shipment is compensated. Shipped e-mail with tracking; CRM
 * `shipped`.
 */
export async function confirmShipment(deps: ActivityDeps, input: StepInput): Promise<StepOutput> {
  const plan = brief(input);
  const booking = resultOf(input, bookCarrierStep);
  const { event, orderId } = input.run;
  const refusal = await deps.db.$transaction(async (tx) => {
    const [order] = await tx.$queryRaw<
      { cancel_requested_at: Date | null }[]
    >`SELECT cancel_requested_at FROM "order" WHERE id = ${orderId} FOR UPDATE`;
    const [shipment] = await tx.$queryRaw<{ shipped_at: Date | null; cancel_requested_at: Date | null }[]>`
      SELECT shipped_at, cancel_requested_at FROM shipment WHERE id = ${plan.shipmentId} FOR UPDATE`;
    if (shipment?.shipped_at) return undefined; // shipped by an earlier attempt
    if (order?.cancel_requested_at) return `order ${orderId} was cancelled before shipment ${plan.shipmentId} left`;
    if (shipment?.cancel_requested_at) return `shipment ${plan.shipmentId} was cancelled before it left`;
    await tx.shipment.update({ where: { id: plan.shipmentId }, data: { status: 'shipped', shippedAt: new Date() } });
    return undefined;
  });
  if (refusal)
    throw ApplicationFailure.create({ type: FAILURES.ShipmentCancelled.type, message: refusal, nonRetryable: true });
  await sendMailOnce(deps, {
    idempotencyKey: input.idempotencyKey,
    orderId,
    template: 'shipped',
    to: [event.customer.shippingContact.email, event.customer.billingContact.email],
    subject: `Shipped: ${plan.shipmentId} for PO ${event.poNumber}, tracking ${booking.trackingNumber}`,
    text: `Your shipment ${plan.shipmentId} left ${plan.warehouseId} with ${booking.carrierName}. Tracking number: ${booking.trackingNumber}. Expected delivery: ${plan.promisedDeliveryDate}.`,
  });
  await deps.adapters.crm.sendMilestone(
    {
      orderId,
      dealId: event.dealId,
      milestone: 'shipped',
      detail: { shipmentId: plan.shipmentId, trackingNumber: booking.trackingNumber },
    },
    `${input.idempotencyKey}:crm`,
  );
  return { status: 'shipped' };
}
