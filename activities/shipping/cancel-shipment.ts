/**
 * Cancellation as the stored shipments see it: whether an order or shipment may still be cancelled,
 * and a shipment cancelled on its own while its order goes on.
 */
import type { ActivityDeps } from '../deps';
import type { StepInput, StepOutput } from '../contract';
import { sendMailOnce } from '../mail/send-once';
import type { ShipmentBrief } from './types';

/**
 * Accepts a cancellation of an order (or of one shipment) unless the stored shipments say something
 * has left the warehouse: the stored row is the truth, since confirm-shipment marks it shipped first
 * and a shipment whose e-mail then failed is shipped although its workflow does not know yet. The
 * acceptance is written under the same row lock confirm-shipment takes, so dispatch and cancellation
 * never both win. Returns the refusal, if any (then nothing is written).
 */
export async function claimCancellation(
  deps: ActivityDeps,
  request: { orderId: string; shipmentId?: string },
): Promise<string | undefined> {
  return deps.db.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT id FROM "order" WHERE id = ${request.orderId} FOR UPDATE`;
    const shipped = await tx.shipment.findFirst({
      where: {
        orderId: request.orderId,
        ...(request.shipmentId ? { id: request.shipmentId } : {}),
        OR: [{ shippedAt: { not: null } }, { status: { in: ['shipped', 'delivered'] } }],
      },
      select: { id: true },
      orderBy: { id: 'asc' },
    });
    if (shipped) return `shipment ${shipped.id} has shipped: create a return instead of cancelling`;
    if (request.shipmentId)
      await tx.shipment.updateMany({
        where: { id: request.shipmentId, cancelRequestedAt: null },
        data: { cancelRequestedAt: new Date() },
      });
    else
      await tx.order.updateMany({
        where: { id: request.orderId, cancelRequestedAt: null },
        data: { cancelRequestedAt: new Date() },
      });
    return undefined;
  });
}

export interface CancelledShipmentLines {
  shipmentId: string;
  reason: string;
  lines: ShipmentBrief['lines'];
}

/**
 * A shipment was cancelled on its own while its order goes on: its lines are cancelled with the
 * reason, what is still reserved for them goes back to stock, and the customer and the CRM are told
 * (each once).
 */
export async function cancelShipmentLines(deps: ActivityDeps, input: StepInput): Promise<StepOutput> {
  const { plan, reason } = input.input as { plan: ShipmentBrief; reason: string };
  const { event, orderId } = input.run;
  await deps.adapters.wms.releaseShipment({
    shipmentId: plan.shipmentId,
    orderId,
    warehouseId: plan.warehouseId,
    lines: plan.lines,
  });
  const lineText = plan.lines.map((l) => `  ${l.lineNo}. ${l.sku} x ${l.quantity}`).join('\n');
  await sendMailOnce(deps, {
    idempotencyKey: `${input.idempotencyKey}:mail`,
    orderId,
    template: 'shipment-cancelled',
    to: [event.customer.billingContact.email, event.customer.shippingContact.email],
    subject: `Shipment ${plan.shipmentId} for PO ${event.poNumber} cancelled`,
    text: `Dear ${event.customer.billingContact.name},\n\nshipment ${plan.shipmentId} has been cancelled (${reason}). These lines will not be delivered and will not be billed:\n\n${lineText}\n`,
  });
  await deps.adapters.crm.sendMilestone(
    {
      orderId,
      dealId: event.dealId,
      milestone: 'lines_cancelled',
      detail: { shipmentId: plan.shipmentId, reason, lines: plan.lines },
    },
    `${input.idempotencyKey}:crm`,
  );
  const cancelled: CancelledShipmentLines = { shipmentId: plan.shipmentId, reason, lines: plan.lines };
  return { data: cancelled };
}
