/** send-asn: the advance ship notice to the customer, sent once; its compensation tells them it is cancelled. */
import type { ActivityDeps } from '../deps';
import { type StepInput, type StepOutput, resultOf } from '../contract';
import { bookCarrierStep } from '../../workflows/shipping/steps/book-carrier';
import { packShipmentStep } from '../../workflows/shipping/steps/pack-shipment';
import { pickShipmentStep } from '../../workflows/shipping/steps/pick-shipment';
import { sendMailOnce, withdrawMail } from '../mail/send-once';
import { renderPackingListPdf } from './packing-list-pdf';
import { brief } from './types';

const ASN_TEMPLATE = 'advance-ship-notice';

/**
 * Advance ship notice to the customer before dispatch: lines, lots, packages, carrier, tracking, with
 * the shipment's packing list (delivery note) as a PDF. Rendered from what the activity's inputs and
 * master data say, deterministically, so a retried send carries the same document.
 */
export async function sendAsn(deps: ActivityDeps, input: StepInput): Promise<StepOutput> {
  const plan = brief(input);
  const picks = resultOf(input, pickShipmentStep);
  const packed = resultOf(input, packShipmentStep);
  const booking = resultOf(input, bookCarrierStep);
  const { event } = input.run;
  const asn = {
    shipmentId: plan.shipmentId,
    poNumber: event.poNumber,
    shipTo: event.shipTo,
    carrier: booking.carrierName,
    mode: booking.mode,
    trackingNumber: booking.trackingNumber,
    promisedDeliveryDate: plan.promisedDeliveryDate,
    lines: picks.lines.map((l) => ({
      lineNo: l.lineNo,
      sku: l.sku,
      quantity: l.quantity,
      lots: l.lots.map((lot) => ({ lotId: lot.lotId, quantity: lot.quantity, expiryDate: lot.expiryDate })),
    })),
    packages: packed.packages.map((p) => ({
      packageNo: p.packageNo,
      kind: p.kind,
      weightGrams: p.weightGrams,
      contents: p.contents,
    })),
  };
  await deps.db.shipment.update({ where: { id: plan.shipmentId }, data: { asn } });
  const [skus, warehouse] = await Promise.all([
    deps.adapters.erp.getSkus([...new Set(asn.lines.map((l) => l.sku))]),
    deps.db.warehouse.findUnique({ where: { id: plan.warehouseId } }),
  ]);
  const packingList = await renderPackingListPdf({
    seller: deps.settings.seller,
    shipmentId: plan.shipmentId,
    orderId: input.run.orderId,
    poNumber: event.poNumber,
    customerName: event.customer.name,
    receivingContact: event.customer.shippingContact,
    shipFrom: warehouse?.name ?? plan.warehouseId,
    shipTo: event.shipTo,
    shipDate: plan.promisedShipDate,
    promisedDeliveryDate: plan.promisedDeliveryDate,
    carrier: booking.carrierName,
    mode: booking.mode,
    trackingNumber: booking.trackingNumber,
    lines: asn.lines.map((l) => ({ ...l, description: skus.find((s) => s.sku === l.sku)?.description ?? l.sku })),
    packages: asn.packages,
  });
  const lineText = asn.lines
    .map(
      (l) =>
        `  ${l.lineNo}. ${l.sku} x ${l.quantity}${l.lots.length ? ` lots ${l.lots.map((lot) => `${lot.lotId} (${lot.quantity}, exp ${lot.expiryDate ?? 'n/a'})`).join(', ')}` : ''}`,
    )
    .join('\n');
  await sendMailOnce(deps, {
    idempotencyKey: input.idempotencyKey,
    orderId: input.run.orderId,
    template: ASN_TEMPLATE,
    to: [event.customer.shippingContact.email],
    subject: `Advance ship notice ${plan.shipmentId} for PO ${event.poNumber}`,
    text: `Shipment ${plan.shipmentId} ships with ${booking.carrierName} (${booking.mode}), tracking ${booking.trackingNumber}.\nExpected delivery: ${plan.promisedDeliveryDate}.\n\nLines:\n${lineText}\n\nPackages: ${asn.packages.length}, total ${packed.totalWeightGrams / 1000} kg.\n\nThe packing list is attached.`,
    attachments: [
      { filename: `packing-list-${plan.shipmentId}.pdf`, content: packingList, contentType: 'application/pdf' },
    ],
  });
  return { data: asn };
}

/** Compensation of send-asn: a customer who got the advance ship notice is told the shipment will not come. */
export async function sendAsnCancellation(deps: ActivityDeps, input: StepInput): Promise<StepOutput> {
  const { shipmentId } = brief(input);
  const { event, orderId } = input.run;
  const isWithdrawn = await withdrawMail(deps, {
    idempotencyKey: input.idempotencyKey,
    orderId,
    template: ASN_TEMPLATE,
    to: [event.customer.shippingContact.email],
    subject: `Advance ship notice ${shipmentId}, withdrawn before it was sent`,
  });
  if (isWithdrawn) return {}; // the notice never went out, and a late send-asn attempt now sends nothing
  await sendMailOnce(deps, {
    idempotencyKey: `${input.idempotencyKey}:cancelled`,
    orderId,
    template: 'advance-ship-notice-cancelled',
    to: [event.customer.shippingContact.email],
    subject: `Cancelled: advance ship notice ${shipmentId} for PO ${event.poNumber}`,
    text: `Shipment ${shipmentId} announced in our advance ship notice has been cancelled and will not be delivered. Please disregard that notice.`,
  });
  return {};
}
