/** What the shipment workflow and its activities hand each other. */
import type { CarrierChoice } from '../../domain/fulfillment/carrier';
import type { StepInput } from '../contract';
import type { ShipmentPlan } from '../fulfillment/types';

export interface ShipmentBrief extends ShipmentPlan {
  shipmentId: string;
  minShelfLifeDays: number;
}

/** The recordDelivery update's payload: who signed, when, and each line's exception (damage, short, wrong item). */
export interface ProofOfDelivery {
  signer: string;
  deliveredAt: string;
  exceptions: { lineNo: number; type: 'damaged' | 'short' | 'wrong-item'; quantity: number; note?: string }[];
}

/** What book-carrier booked: the carrier and mode chosen, the hazard classes on board, the tracking number. */
export interface CarrierBooking extends CarrierChoice {
  hazardClasses: string[];
  trackingNumber: string;
}

/** The shipment plan this run works on. */
export const brief = (input: StepInput): ShipmentBrief => input.results.plan as ShipmentBrief;

/** An ISO day as a UTC midnight Date, as the database stores dates. */
export const date = (iso: string) => new Date(`${iso}T00:00:00Z`);
