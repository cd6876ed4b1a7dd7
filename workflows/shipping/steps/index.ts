/** The steps of one shipment (a child workflow per warehouse and per backorder release). */
import type { StepDefinition } from '../../engine/step';
import { pickShipmentStep } from './pick-shipment';
import { packShipmentStep } from './pack-shipment';
import { bookCarrierStep } from './book-carrier';
import { sendAsnStep } from './send-asn';
import { confirmShipmentStep } from './confirm-shipment';
import { awaitDeliveryStep } from './await-delivery';

export const SHIPMENT_STEPS: readonly StepDefinition[] = [
  pickShipmentStep,
  packShipmentStep,
  bookCarrierStep,
  sendAsnStep,
  confirmShipmentStep,
  awaitDeliveryStep,
];
