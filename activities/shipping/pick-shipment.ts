/**
 * pick-shipment: FEFO lot picking of the planned shipment, once per shipment (the WMS returns what it
 * picked the first time); its compensation puts the units back.
 */
import type { ActivityDeps } from '../deps';
import type { StepInput, StepOutput } from '../contract';
import { today } from '../fulfillment/reserve-stock';
import { brief, date } from './types';

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
