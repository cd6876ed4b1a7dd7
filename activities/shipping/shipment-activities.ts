/**
 * The steps of one shipment: pick (FEFO lots), pack, book a carrier, advance ship notice, ship
 * confirmation, proof of delivery. Each is idempotent per shipment: the WMS/TMS adapters return what
 * they did the first time, e-mails and CRM milestones are keyed.
 */
import { ApplicationFailure } from '@temporalio/activity';
import { FAILURES } from '../../domain/failures';
import { selectCarrier, type CarrierChoice } from '../../domain/fulfillment/carrier';
import { lineOtif } from '../../domain/fulfillment/otif';
import type { ActivityDeps } from '../deps';
import { type StepInput, type StepOutput, resultOf } from '../contract';
import { bookCarrierStep } from '../../workflows/shipping/steps/book-carrier';
import { packShipmentStep } from '../../workflows/shipping/steps/pack-shipment';
import { pickShipmentStep } from '../../workflows/shipping/steps/pick-shipment';
import { sendMailOnce } from '../mail/send-once';
import { renderPackingListPdf } from './packing-list-pdf';
import { today } from '../fulfillment/reserve-stock';
import type { ProofOfDelivery, ShipmentPlan } from '../fulfillment/types';

export interface ShipmentBrief extends ShipmentPlan {
  shipmentId: string;
  minShelfLifeDays: number;
}

/** What book-carrier booked: the carrier and mode chosen, the hazard classes on board, the tracking number. */
export interface CarrierBooking extends CarrierChoice {
  hazardClasses: string[];
  trackingNumber: string;
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
  const packed = resultOf(input, packShipmentStep);
  const skus = await deps.adapters.erp.getSkus(plan.lines.map((l) => l.sku));
  const hazardClasses = [...new Set(skus.map((s) => s.hazardClass).filter((h): h is string => !!h))];
  const choice = selectCarrier({
    totalWeightGrams: packed.totalWeightGrams,
    hazardClasses,
    rates: await deps.adapters.tms.listRates(),
  });
  if (!choice.ok) throw ApplicationFailure.nonRetryable(choice.reason, FAILURES.NoCarrier.type);
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
    data: {
      status: 'booked',
      carrierId: choice.choice.carrierId,
      mode: choice.choice.mode,
      freightCostMinor: BigInt(choice.choice.costMinor),
      trackingNumber,
    },
  });
  return { data: { ...choice.choice, hazardClasses, trackingNumber } satisfies CarrierBooking, status: 'booked' };
}

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
    template: 'advance-ship-notice',
    to: [event.customer.shippingContact.email],
    subject: `Advance ship notice ${plan.shipmentId} for PO ${event.poNumber}`,
    text: `Shipment ${plan.shipmentId} ships with ${booking.carrierName} (${booking.mode}), tracking ${booking.trackingNumber}.\nExpected delivery: ${plan.promisedDeliveryDate}.\n\nLines:\n${lineText}\n\nPackages: ${asn.packages.length}, total ${packed.totalWeightGrams / 1000} kg.\n\nThe packing list is attached.`,
    attachments: [
      { filename: `packing-list-${plan.shipmentId}.pdf`, content: packingList, contentType: 'application/pdf' },
    ],
  });
  return { data: asn };
}

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
    deps.db.shipment.update({
      where: { id: plan.shipmentId },
      data: { status: 'delivered', deliveredAt: new Date(pod.deliveredAt), proofOfDelivery: pod as object },
    }),
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
    {
      orderId: input.run.orderId,
      dealId: input.run.event.dealId,
      milestone: 'delivered',
      detail: { shipmentId: plan.shipmentId, signer: pod.signer },
    },
    `${input.idempotencyKey}:crm`,
  );
  return { data: { deliveredAt: pod.deliveredAt, otif }, status: 'delivered' };
}

/** Compensation of book-carrier: the carrier booking is cancelled in the TMS (once; nothing booked, nothing to do). */
export async function cancelCarrierBooking(deps: ActivityDeps, input: StepInput): Promise<StepOutput> {
  const { shipmentId } = brief(input);
  // Read from the row, not the step's result: a booking cancelled mid-step has no result but may exist.
  const shipment = await deps.db.shipment.findUnique({ where: { id: shipmentId }, select: { trackingNumber: true } });
  if (!shipment?.trackingNumber) return {};
  await deps.adapters.tms.cancelBooking(
    { shipmentId, trackingNumber: shipment.trackingNumber },
    `${input.idempotencyKey}:cancel`,
  );
  return {};
}

/** Compensation of send-asn: a customer who got the advance ship notice is told the shipment will not come. */
export async function sendAsnCancellation(deps: ActivityDeps, input: StepInput): Promise<StepOutput> {
  const { shipmentId } = brief(input);
  const { event, orderId } = input.run;
  const asn = await deps.db.outboundEmail.findUnique({
    where: { idempotencyKey: input.idempotencyKey },
    select: { status: true },
  });
  if (!asn) return {}; // the notice never went out
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
