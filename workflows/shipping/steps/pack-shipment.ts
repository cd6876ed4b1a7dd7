import { defineStep } from '../../engine/step';
import type { PackedShipment } from '../../../domain/fulfillment/packing';

/** Packs into parcels or pallets with weights; hazardous goods packed apart. */
export const packShipmentStep = defineStep<PackedShipment>({
  name: 'pack-shipment',
  run: 'packShipment',
  timeout: '1 minute',
  skippable: false,
});
