/**
 * The steps of one shipment: pick (FEFO lots), pack, book a carrier, advance ship notice, ship
 * confirmation, proof of delivery. Each is idempotent per shipment: the WMS/TMS adapters return what
 * they did the first time, e-mails and CRM milestones are keyed.
 */
import { ApplicationFailure } from '@temporalio/activity';
import { selectCarrier } from '../../domain/fulfillment/carrier';
import { lineOtif } from '../../domain/fulfillment/otif';
import type { PackedShipment } from '../../domain/fulfillment/packing';
import type { ShipmentPicks } from '../../adapters/types';
import type { ActivityDeps } from '../deps';
import type { StepInput, StepOutput } from '../contract';
import { sendMailOnce } from '../mail/send-once';
import { renderPackingListPdf } from './packing-list-pdf';
import { today } from '../fulfillment/reserve-stock';
import type { ProofOfDelivery, ShipmentPlan } from '../fulfillment/types';

export interface ShipmentBrief extends ShipmentPlan {
  shipmentId: string;
  minShelfLifeDays: number;
}

const brief = (input: StepInput): ShipmentBrief => input.results.plan as ShipmentBrief;
const date = (iso: string) => new Date(`${iso}T00:00:00Z`);

export async function pickShipment(deps: ActivityDeps, input: StepInput): Promise<StepOutput> {
  const plan = brief(input);
  await deps.db.shipment.upsert({
    where: { id: plan.shipmentId },
    create: {
      id: plan.shipmentId,
      orderId: input.run.orderId,
      warehouseId: plan.warehouseId,
      status: 'planned',
      lines: plan.lines,
      promisedShipDate: date(plan.promisedShipDate),
      promisedDeliveryDate: date(plan.promisedDeliveryDate),
    },
    update: {},
  });
  const picks = await deps.adapters.wms.pick({
    shipmentId: plan.shipmentId,
    orderId: input.run.orderId,
    warehouseId: plan.warehouseId,
    lines: plan.lines,
    minShelfLifeDays: plan.minShelfLifeDays,
    today: today(),
  });
  return { data: picks, status: 'picked' };
}

/** Compensation: units go back to their lots when an order is cancelled before dispatch. */
export async function unpickShipment(deps: ActivityDeps, input: StepInput): Promise<StepOutput> {
  await deps.adapters.wms.unpick(brief(input).shipmentId);
  return {};
}

export async function packShipment(deps: ActivityDeps, input: StepInput): Promise<StepOutput> {
  const packed = await deps.adapters.wms.pack(brief(input).shipmentId);
  return { data: packed, status: 'packed' };
}

/** Cheapest carrier whose mode fits the weight and that accepts every hazard class on board. */
export async function bookCarrier(deps: ActivityDeps, input: StepInput): Promise<StepOutput> {
  const plan = brief(input);
  const packed = input.results['pack-shipment'] as PackedShipment;
  const skus = await deps.adapters.erp.getSkus(plan.lines.map((l) => l.sku));
  const hazardClasses = [...new Set(skus.map((s) => s.hazardClass).filter((h): h is string => !!h))];
  const choice = selectCarrier({ totalWeightGrams: packed.totalWeightGrams, hazardClasses, rates: await deps.adapters.tms.listRates() });
  if (!choice.ok) throw ApplicationFailure.nonRetryable(choice.reason, 'NoCarrier');
  const { trackingNumber } = await deps.adapters.tms.book(
    {
      shipmentId: plan.shipmentId,
      carrierId: choice.choice.carrierId,
      mode: choice.choice.mode,
      weightGrams: packed.totalWeightGrams,
      packageCount: packed.packages.length,
      shipTo: input.run.event.shipTo,
    },
    input.idempotencyKey,
  );
  await deps.db.shipment.update({
    where: { id: plan.shipmentId },
    data: { status: 'booked', carrierId: choice.choice.carrierId, mode: choice.choice.mode, freightCostMinor: BigInt(choice.choice.costMinor), trackingNumber },
  });
  return { data: { ...choice.choice, hazardClasses, trackingNumber }, status: 'booked' };
}

/**
 * Advance ship notice to the customer before dispatch: lines, lots, packages, carrier, tracking, with
 * the shipment's packing list (delivery note) as a PDF. Rendered from what the activity's inputs and
 * master data say, deterministically, so a retried send carries the same document.
 */
export async function sendAsn(deps: ActivityDeps, input: StepInput): Promise<StepOutput> {
  const plan = brief(input);
  const picks = input.results['pick-shipment'] as ShipmentPicks;
  const packed = input.results['pack-shipment'] as PackedShipment;
  const booking = input.results['book-carrier'] as { carrierName: string; mode: string; trackingNumber: string };
  const { event } = input.run;
  const asn = {
    shipmentId: plan.shipmentId,
    poNumber: event.poNumber,
    shipTo: event.shipTo,
    carrier: booking.carrierName,
    mode: booking.mode,
    trackingNumber: booking.trackingNumber,
    promisedDeliveryDate: plan.promisedDeliveryDate,
    lines: picks.lines.map((l) => ({ lineNo: l.lineNo, sku: l.sku, quantity: l.quantity, lots: l.lots.map((lot) => ({ lotId: lot.lotId, quantity: lot.quantity, expiryDate: lot.expiryDate })) })),
    packages: packed.packages.map((p) => ({ packageNo: p.packageNo, kind: p.kind, weightGrams: p.weightGrams, contents: p.contents })),
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
    .map((l) => `  ${l.lineNo}. ${l.sku} x ${l.quantity}${l.lots.length ? ` lots ${l.lots.map((lot) => `${lot.lotId} (${lot.quantity}, exp ${lot.expiryDate ?? 'n/a'})`).join(', ')}` : ''}`)
    .join('\n');
  await sendMailOnce(deps, {
    idempotencyKey: input.idempotencyKey,
    orderId: input.run.orderId,
    template: 'advance-ship-notice',
    to: [event.customer.shippingContact.email],
    subject: `Advance ship notice ${plan.shipmentId} for PO ${event.poNumber}`,
    text: `Shipment ${plan.shipmentId} ships with ${booking.carrierName} (${booking.mode}), tracking ${booking.trackingNumber}.\nExpected delivery: ${plan.promisedDeliveryDate}.\n\nLines:\n${lineText}\n\nPackages: ${asn.packages.length}, total ${packed.totalWeightGrams / 1000} kg.\n\nThe packing list is attached.`,
    attachments: [{ filename: `packing-list-${plan.shipmentId}.pdf`, content: packingList, contentType: 'application/pdf' }],
  });
  return { data: asn };
}

/** Dispatch: the point of no return for cancellation. Shipped e-mail with tracking; CRM `shipped`. */
export async function confirmShipment(deps: ActivityDeps, input: StepInput): Promise<StepOutput> {
  const plan = brief(input);
  const booking = input.results['book-carrier'] as { carrierName: string; trackingNumber: string };
  const { event, orderId } = input.run;
  await deps.db.shipment.updateMany({ where: { id: plan.shipmentId, shippedAt: null }, data: { status: 'shipped', shippedAt: new Date() } });
  await sendMailOnce(deps, {
    idempotencyKey: input.idempotencyKey,
    orderId,
    template: 'shipped',
    to: [event.customer.shippingContact.email, event.customer.billingContact.email],
    subject: `Shipped: ${plan.shipmentId} for PO ${event.poNumber}, tracking ${booking.trackingNumber}`,
    text: `Your shipment ${plan.shipmentId} left ${plan.warehouseId} with ${booking.carrierName}. Tracking number: ${booking.trackingNumber}. Expected delivery: ${plan.promisedDeliveryDate}.`,
  });
  await deps.adapters.crm.sendMilestone(
    { orderId, dealId: event.dealId, milestone: 'shipped', detail: { shipmentId: plan.shipmentId, trackingNumber: booking.trackingNumber } },
    `${input.idempotencyKey}:crm`,
  );
  return { status: 'shipped' };
}

/** Proof of delivery: signer, time, exceptions; on-time-in-full per line against the promised date. */
export async function recordDelivery(deps: ActivityDeps, input: StepInput): Promise<StepOutput> {
  const plan = brief(input);
  const pod = input.input as ProofOfDelivery;
  const deliveredDate = pod.deliveredAt.slice(0, 10);
  const otif = plan.lines.map((line) => {
    const exceptions = pod.exceptions.filter((e) => e.lineNo === line.lineNo);
    const short = exceptions.filter((e) => e.type === 'short').reduce((s, e) => s + e.quantity, 0);
    const result = lineOtif({
      orderedQuantity: line.quantity,
      deliveredQuantity: Math.max(0, line.quantity - short),
      promisedDeliveryDate: plan.promisedDeliveryDate,
      deliveredDate,
      exceptions: exceptions.filter((e) => e.type !== 'short'),
    });
    return { ...line, ...result };
  });
  await deps.db.$transaction([
    deps.db.shipment.update({ where: { id: plan.shipmentId }, data: { status: 'delivered', deliveredAt: new Date(pod.deliveredAt), proofOfDelivery: pod as object } }),
    deps.db.lineOtif.createMany({
      data: otif.map((l) => ({
        shipmentId: plan.shipmentId,
        lineNo: l.lineNo,
        orderId: input.run.orderId,
        sku: l.sku,
        quantity: l.quantity,
        goodQuantity: l.goodQuantity,
        promisedDate: date(plan.promisedDeliveryDate),
        deliveredDate: date(deliveredDate),
        isOnTime: l.isOnTime,
        isInFull: l.isInFull,
      })),
      skipDuplicates: true,
    }),
  ]);
  await deps.adapters.crm.sendMilestone(
    { orderId: input.run.orderId, dealId: input.run.event.dealId, milestone: 'delivered', detail: { shipmentId: plan.shipmentId, signer: pod.signer } },
    `${input.idempotencyKey}:crm`,
  );
  return { data: { deliveredAt: pod.deliveredAt, otif }, status: 'delivered' };
}
