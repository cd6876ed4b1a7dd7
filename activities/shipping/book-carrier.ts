/** book-carrier: chooses a carrier for the packed shipment and books it once; its compensation cancels the booking. */
import { ApplicationFailure } from '@temporalio/activity';
import { FAILURES } from '../../domain/failures';
import { selectCarrier } from '../../domain/fulfillment/carrier';
import type { ActivityDeps } from '../deps';
import { type StepInput, type StepOutput, resultOf } from '../contract';
import { packShipmentStep } from '../../workflows/shipping/steps/pack-shipment';
import { brief, type CarrierBooking } from './types';

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
  // Never over a cancelled shipment: an attempt timed out meanwhile may get here after the unpick.
  const { count } = await deps.db.shipment.updateMany({
    where: { id: plan.shipmentId, status: { not: 'cancelled' } },
    data: {
      status: 'booked',
      carrierId: choice.choice.carrierId,
      mode: choice.choice.mode,
      freightCostMinor: BigInt(choice.choice.costMinor),
      trackingNumber,
    },
  });
  if (count === 0) await cancelLateBooking(deps, input, plan.shipmentId, trackingNumber);
  return { data: { ...choice.choice, hazardClasses, trackingNumber } satisfies CarrierBooking, status: 'booked' };
}

/**
 * Compensation of book-carrier: the carrier booking is cancelled in the TMS (once). Called also when no
 * booking is known here: a booking attempt that timed out may still land, and the TMS must refuse it.
 */
export async function cancelCarrierBooking(deps: ActivityDeps, input: StepInput): Promise<StepOutput> {
  const { shipmentId } = brief(input);
  // Read from the row, not the step's result: a booking cancelled mid-step has no result but may exist.
  const shipment = await deps.db.shipment.findUnique({ where: { id: shipmentId }, select: { trackingNumber: true } });
  await deps.adapters.tms.cancelBooking(
    { shipmentId, trackingNumber: shipment?.trackingNumber ?? null },
    `${input.idempotencyKey}:cancel`,
  );
  return {};
}

/**
 * The shipment was cancelled while the carrier booked it (a timed-out attempt landing late): its
 * compensation may have run before this booking existed, and a TMS without the tracking number cannot
 * be told which booking to cancel. This attempt knows it, so it cancels the booking under the
 * compensation's key (once, whoever comes first) and refuses.
 */
async function cancelLateBooking(deps: ActivityDeps, input: StepInput, shipmentId: string, trackingNumber: string) {
  await deps.adapters.tms.cancelBooking({ shipmentId, trackingNumber }, `${input.idempotencyKey}:cancel`);
  throw ApplicationFailure.nonRetryable(
    `shipment ${shipmentId} was cancelled while the carrier booked it; booking ${trackingNumber} is cancelled`,
    FAILURES.EffectCompensated.type,
  );
}
