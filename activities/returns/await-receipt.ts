/** await-receipt: the returned parcel's arrival at a warehouse, recorded once. */
import { ApplicationFailure } from '@temporalio/activity';
import { FAILURES } from '../../domain/failures';
import type { ActivityDeps } from '../deps';
import type { StepInput, StepOutput } from '../contract';
import type { ReturnReceipt } from './types';

/** The parcel arrived (receiveReturn): where and when. */
export async function recordReturnReceipt(deps: ActivityDeps, input: StepInput): Promise<StepOutput> {
  const receipt = input.input as ReturnReceipt;
  const warehouse = await deps.db.warehouse.findUnique({ where: { id: receipt.warehouseId } });
  if (!warehouse) {
    throw ApplicationFailure.create({
      type: FAILURES.ReturnInvalid.type,
      message: `warehouseId: warehouse ${receipt.warehouseId} does not exist`,
      nonRetryable: true,
    });
  }
  await deps.db.returnRequest.update({
    where: { id: input.run.id },
    data: { warehouseId: receipt.warehouseId, receivedAt: new Date(receipt.receivedAt) },
  });
  return { data: receipt, status: 'received' };
}
