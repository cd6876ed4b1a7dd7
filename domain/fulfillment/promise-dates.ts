/**
 * The dates a customer is promised: when the order leaves the warehouse and when it arrives. Both are
 * business-day arithmetic on the caller's holiday calendar.
 */
import { addBusinessDays, maxDate } from '../calendar/business-days';

export interface PromiseDatesInput {
  /** When the goods are (or will be) in the warehouse: today for stock, a receipt or lead-time date otherwise. */
  availableDate: string;
  today: string;
  handlingBusinessDays: number;
  transitBusinessDays: number;
  holidays: ReadonlySet<string>;
}

export interface PromiseDates {
  promisedShipDate: string;
  promisedDeliveryDate: string;
}

/**
 * Computes the promised ship and delivery dates: ship is `handlingBusinessDays` business days after the
 * later of today and `availableDate` (an available date in the past cannot make the promise earlier than
 * today), delivery is `transitBusinessDays` business days after ship. Needs valid ISO dates and integer
 * day counts >= 0 (throws otherwise). Promises two business days with ship <= delivery; a start that is
 * not a business day counts from the next one (see `addBusinessDays`).
 */
export function promiseDates(input: PromiseDatesInput): PromiseDates {
  const { availableDate, today, handlingBusinessDays, transitBusinessDays, holidays } = input;
  const promisedShipDate = addBusinessDays(maxDate(today, availableDate), handlingBusinessDays, holidays);
  const promisedDeliveryDate = addBusinessDays(promisedShipDate, transitBusinessDays, holidays);
  return { promisedShipDate, promisedDeliveryDate };
}
