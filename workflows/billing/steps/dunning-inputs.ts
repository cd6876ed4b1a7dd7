/** How the invoice workflow's dunning timer wakes the dunning steps, and how they know to stand down. */
import type { DunningStep } from '../../../domain/billing/dunning';

/** Results key the workflow sets when the invoice is paid, void or written off. */
export const INVOICE_SETTLED = 'invoice-settled';

export const dunningInputName = (dunning: DunningStep): string => `dunning:${dunning.key}`;

export const isDunningNeeded = (results: Record<string, unknown>): boolean => results[INVOICE_SETTLED] === undefined;

/** What the dunning timer hands a dunning step: the step, and why to skip it when it is stale. */
export type DunningInput = DunningStep & { staleReason?: string };

export const staleReasonOf = (input: unknown): string | undefined => (input as DunningInput | undefined)?.staleReason;
