import { defineStep } from '../../engine/step';

/** Dispatch: shipped e-mail with tracking, CRM `shipped`. After this the order can no longer be cancelled. */
export const confirmShipmentStep = defineStep({ name: 'confirm-shipment', run: 'confirmShipment', timeout: '30s', skippable: false });
