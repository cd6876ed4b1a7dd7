/** Query, updates and signal of the invoice workflow; imported by the workflows and the API. */
import type { RunStatus } from '../../domain/statuses';
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { CloseRequest, CreditRequest, InvoiceAccount, PaymentRequest } from '../../activities/billing/types';

/** The invoice's figures: number, dates, total, paid, discount, balance, payments. */
export const getInvoice = defineQuery<InvoiceAccount>('getInvoice');

/**
 * A payment arrived. Refused (with the reason) when it exceeds the open balance, the invoice is void,
 * written off, paid or not issued yet; a reference already applied answers the current figures unchanged.
 */
export const recordPayment = defineUpdate<InvoiceAccount, [PaymentRequest]>('recordPayment');

/** Finance voids an issued invoice nobody has paid anything on (a draft is voided by cancelling the run). */
export const voidInvoice = defineUpdate<InvoiceAccount, [CloseRequest]>('voidInvoice');

/** Finance writes off the open balance of an issued invoice; the run ends. */
export const writeOffInvoice = defineUpdate<InvoiceAccount, [CloseRequest]>('writeOffInvoice');

/**
 * A credit memo (from a return) takes `amountMinor` off the open balance. Refused (with the reason) when
 * it exceeds the balance or the invoice is not issued, void, written off or settled; a credit memo number
 * already applied answers the current figures unchanged (`duplicate: true`). Credited down to zero the
 * invoice ends `credited` (or `paid` when payments covered part of it).
 */
export const applyCredit = defineUpdate<InvoiceAccount, [CreditRequest]>('applyCredit');

/** An invoice (child workflow) tells its order that it was issued (or voided before issue). */
export const invoiceProgress = defineSignal<[{ invoiceId: string; status: RunStatus }]>('invoiceProgress');
