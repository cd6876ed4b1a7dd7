/** pack-shipment: packs the picked units into packages, once per shipment. */
import type { ActivityDeps } from '../deps';
import type { StepInput, StepOutput } from '../contract';
import { brief } from './types';

export async function packShipment(deps: ActivityDeps, input: StepInput): Promise<StepOutput> {
  const packed = await deps.adapters.wms.pack(brief(input).shipmentId);
  return { data: packed, status: 'packed' };
}
