/** book-return-label: the prepaid return label from the TMS, once per return. */
import type { ActivityDeps } from '../deps';
import type { StepInput, StepOutput } from '../contract';
import { checkedOf, requestOf } from './check-return';

/** Books the prepaid return label with the carrier that delivered; a retry gets the same label. */
export async function bookReturnLabel(deps: ActivityDeps, input: StepInput): Promise<StepOutput> {
  const checked = checkedOf(input);
  const request = requestOf(input);
  const skus = await deps.db.sku.findMany({ where: { sku: { in: checked.lines.map((l) => l.sku) } } });
  const weightGrams = checked.lines.reduce(
    (sum, l) => sum + l.quantity * (skus.find((s) => s.sku === l.sku)?.unitWeightGrams ?? 0),
    0,
  );
  const label = await deps.adapters.tms.bookReturnLabel(
    {
      returnId: input.run.id,
      orderId: request.orderId,
      carrierId: checked.carrierId,
      shipFrom: input.run.event.shipTo,
      toWarehouseId: checked.warehouseId,
      weightGrams,
    },
    input.idempotencyKey,
  );
  await deps.db.returnRequest.update({
    where: { id: input.run.id },
    data: { carrierId: label.carrierId, trackingNumber: label.trackingNumber, labelUrl: label.labelUrl },
  });
  return { data: { ...label, toWarehouseId: checked.warehouseId, weightGrams }, status: 'label_booked' };
}
