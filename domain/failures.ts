/**
 * Business failures: outcomes no retry can change (credit rejected, unknown SKU). Activities throw them
 * as non-retryable ApplicationFailures with one of these stable types; the step engine ends the run
 * (rejected, with compensations) instead of parking the step in needs_attention.
 */
export const BUSINESS_FAILURES = {
  OrderRejected: 'OrderRejected',
  CreditRejected: 'CreditRejected',
  ReturnRejected: 'ReturnRejected',
  /** Dispatch refused: the order (or the shipment) was cancelled first (activities/shipping). */
  ShipmentCancelled: 'ShipmentCancelled',
} as const;

export type BusinessFailureType = (typeof BUSINESS_FAILURES)[keyof typeof BUSINESS_FAILURES];

const TYPES = new Set<string>(Object.values(BUSINESS_FAILURES));

export const isBusinessFailureType = (type: string | undefined | null): type is BusinessFailureType =>
  type !== undefined && type !== null && TYPES.has(type);

/** Failure type of an update refused by a business rule (answered 422 by the API), not by the run's state. */
export const BUSINESS_RULE = 'BusinessRule';
