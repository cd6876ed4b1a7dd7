/** await-delivery: records the proof of delivery and each line's on-time-in-full, once per shipment. */
import { lineOtif } from '../../domain/fulfillment/otif';
import type { ActivityDeps } from '../deps';
import type { StepInput, StepOutput } from '../contract';
import type { ProofOfDelivery } from './types';
import { brief, date } from './types';

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
