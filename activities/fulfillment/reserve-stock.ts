import { Context } from '@temporalio/activity';
import type { AllocationResult } from '../../domain/fulfillment/atp';
import { reservationsByWarehouse } from '../../domain/fulfillment/atp';
import { selectCarrier } from '../../domain/fulfillment/carrier';
import { promiseDates } from '../../domain/fulfillment/promise-dates';
import type { ActivityDeps } from '../deps';
import { type StepInput, type StepOutput, resultOf } from '../contract';
import { reserveStockStep } from '../../workflows/fulfillment/steps/reserve-stock';
import { validateOrderStep } from '../../workflows/fulfillment/steps/validate-order';
import type { BackorderPlan, Reservation, ShipmentPlan, ValidatedOrder } from './types';

export const today = (): string => new Date().toISOString().slice(0, 10);

/**
 * Turns an allocation into shipments (one per warehouse) and backorders, each with promised ship and
 * delivery dates: handling time from the SLA profile, transit time of the carrier the shipment would
 * take today, business days and the holiday calendar.
 */
export async function planFromAllocation(
  deps: ActivityDeps,
  order: ValidatedOrder,
  allocation: AllocationResult,
  shipTo: { country: string },
): Promise<Reservation> {
  const { wms, tms, erp } = deps.adapters;
  const [holidayList, rates, skus] = await Promise.all([
    wms.listHolidays(),
    tms.listRates(),
    erp.getSkus([...new Set([...allocation.allocations, ...allocation.backorders].map((a) => a.sku))]),
  ]);
  const holidays = new Set(holidayList);
  const now = today();
  const transitDays = (lines: { sku: string; quantity: number }[]): number => {
    const weight = lines.reduce(
      (sum, l) => sum + (skus.find((s) => s.sku === l.sku)?.unitWeightGrams ?? 0) * l.quantity,
      0,
    );
    const hazards = [
      ...new Set(lines.map((l) => skus.find((s) => s.sku === l.sku)?.hazardClass).filter((h): h is string => !!h)),
    ];
    const choice = selectCarrier({ totalWeightGrams: Math.max(1, weight), hazardClasses: hazards, rates });
    return choice.ok ? choice.choice.transitBusinessDays : 5; // no carrier fits yet: booking will flag it
  };
  void shipTo;
  const shipments: ShipmentPlan[] = reservationsByWarehouse(allocation.allocations).map((group) => ({
    warehouseId: group.warehouseId,
    lines: group.lines,
    ...promiseDates({
      availableDate: now,
      today: now,
      handlingBusinessDays: order.handlingBusinessDays,
      transitBusinessDays: transitDays(group.lines),
      holidays,
    }),
  }));
  const backorders: BackorderPlan[] = allocation.backorders.map((b) => ({
    lineNo: b.lineNo,
    sku: b.sku,
    quantity: b.quantity,
    warehouseId: b.warehouseId,
    availableDate: b.availableDate,
    ...promiseDates({
      availableDate: b.availableDate,
      today: now,
      handlingBusinessDays: order.handlingBusinessDays,
      transitBusinessDays: transitDays([b]),
      holidays,
    }),
  }));
  return { shipments, backorders };
}

/** ATP and reservation for every line, atomically in the WMS; backorders get promised dates. */
export async function reserveStock(deps: ActivityDeps, input: StepInput): Promise<StepOutput> {
  const order = resultOf(input, validateOrderStep);
  const allocation = await deps.adapters.wms.reserve({
    orderId: input.run.orderId,
    lines: order.lines.map((l) => ({ lineNo: l.lineNo, sku: l.sku, quantity: l.quantity })),
    allowsPartialShipment: input.run.event.allowsPartialShipment,
    today: today(),
    minShelfLifeDays: order.minShelfLifeDays,
  });
  const plan = await planFromAllocation(deps, order, allocation, input.run.event.shipTo);
  return { data: plan, status: plan.backorders.length > 0 ? 'backordered' : 'reserved' };
}

/** Compensation: gives back everything reserved and not yet picked, and cancels backorders. */
export async function releaseStock(deps: ActivityDeps, input: StepInput): Promise<StepOutput> {
  await deps.adapters.wms.releaseOrder(input.run.orderId);
  return {};
}

/**
 * The key of one release. The engine's key (`<orderId>:release-backorders`) is the same for every
 * release of an order (one per receipt); Temporal's activity id is stable across one release's retries
 * and new for the next, so together they name this release. Outside an activity: the engine's key.
 */
export function releaseKey(input: StepInput): string {
  try {
    const { activityId, workflowExecution } = Context.current().info;
    if (workflowExecution) return `${input.idempotencyKey}:${workflowExecution.runId}/${activityId}`;
  } catch {
    // Not inside an activity (a script or a test).
  }
  return input.idempotencyKey;
}

/**
 * After a receipt: backordered lines that can now be served become reserved shipments (all at once, or
 * none, when the customer does not accept partial shipments). Idempotent per release: a retry after the
 * WMS committed (a crash or a timeout) gets the first answer, so the released shipment still starts.
 */
export async function releaseBackorders(deps: ActivityDeps, input: StepInput): Promise<Reservation> {
  const order = resultOf(input, validateOrderStep);
  const allocation = await deps.adapters.wms.releaseBackorders({
    orderId: input.run.orderId,
    allowsPartialShipment: input.run.event.allowsPartialShipment,
    today: today(),
    minShelfLifeDays: order.minShelfLifeDays,
    idempotencyKey: releaseKey(input),
  });
  return planFromAllocation(deps, order, allocation, input.run.event.shipTo);
}

/**
 * After a ship-to change: carrier selection and promised dates again for what is reserved and
 * backordered (the reservation itself does not change).
 */
export async function replanShipments(deps: ActivityDeps, input: StepInput): Promise<Reservation> {
  const order = resultOf(input, validateOrderStep);
  const current = resultOf(input, reserveStockStep);
  const allocation: AllocationResult = {
    allocations: current.shipments.flatMap((s) => s.lines.map((l) => ({ ...l, warehouseId: s.warehouseId }))),
    backorders: current.backorders.map((b) => ({
      lineNo: b.lineNo,
      sku: b.sku,
      quantity: b.quantity,
      warehouseId: b.warehouseId,
      availableDate: b.availableDate,
      source: 'receipt' as const,
    })),
  };
  return planFromAllocation(deps, order, allocation, input.run.event.shipTo);
}
