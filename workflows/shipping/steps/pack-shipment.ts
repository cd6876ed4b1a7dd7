import { defineStep } from '../../engine/step';

/** Packs into parcels or pallets with weights; hazardous goods packed apart. */
export const packShipmentStep = defineStep({ name: 'pack-shipment', run: 'packShipment', timeout: '1 minute', skippable: false });
