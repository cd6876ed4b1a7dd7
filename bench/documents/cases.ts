/**
 * What one attempt of the large-document benchmark sends: the invoice (or credit memo) row written
 * into the database as the earlier steps leave it, and the step input the workflow would hand the
 * activity. Built in the benchmark's own process, so the measured process only reads and sends.
 */
import type { StepInput } from '../../activities/contract';
import type { IssuedInvoice, InvoiceRequest } from '../../activities/billing/types';
import type { SpentCreditMemo } from '../../activities/returns/types';
import { dueDate, discountDeadline, parsePaymentTerms } from '../../domain/billing/payment-terms';
import { largeCreditMemo, periodInvoice, type DocumentSku } from '../../fixtures/large-documents';
import type { Fixture } from '../../fixtures/master-data';
import type { Db } from '../../lib/db';
import { SKUS } from '../../prisma/seed-data';

export type DocumentKind = 'invoice' | 'credit-memo';

export interface DocumentCase {
  kind: DocumentKind;
  lineCount: number;
}

const ISSUE_DATE = '2026-12-01';
const TERMS = '2/10 NET30';
/** The catalogue's SKUs and list prices: descriptions of every length the seed has. */
const CATALOGUE: DocumentSku[] = SKUS.map((s) => ({
  sku: s.sku,
  description: s.description,
  unitPriceMinor: Number(s.listPriceMinor),
}));

const day = (iso: string) => new Date(`${iso}T00:00:00Z`);

/** An issued period invoice of `lineCount` lines for the fixture's customer; the send-invoice input. */
async function issuedInvoice(db: Db, fixture: Fixture, lineCount: number, id: string): Promise<StepInput> {
  const event = fixture.event();
  const period = periodInvoice({
    lineCount,
    skus: CATALOGUE,
    customerName: event.customer.name,
    contact: event.customer.billingContact,
    period: '2026-11',
    dealYear: '2026',
  });
  const parsed = parsePaymentTerms(TERMS);
  if (!parsed.ok) throw new Error(parsed.reason);
  const { terms } = parsed;
  const { invoice } = period;
  const issued: IssuedInvoice = {
    invoiceNumber: `INV-${id}`,
    issueDate: ISSUE_DATE,
    dueDate: dueDate(ISSUE_DATE, terms),
    discountDeadline: discountDeadline(ISSUE_DATE, terms),
    terms,
    totalMinor: invoice.totalMinor,
    currency: invoice.currency,
  };
  await db.invoice.create({
    data: {
      id,
      idempotencyKey: id,
      invoiceNumber: issued.invoiceNumber,
      orderId: period.orderIds[0]!,
      orderIds: period.orderIds,
      customerId: fixture.customerId,
      shipmentIds: period.shipmentIds,
      currency: invoice.currency,
      status: 'issued',
      paymentTerms: terms.label,
      issueDate: day(ISSUE_DATE),
      dueDate: day(issued.dueDate),
      discountBp: terms.discountBp,
      discountDeadline: issued.discountDeadline ? day(issued.discountDeadline) : null,
      subtotalMinor: BigInt(invoice.subtotalMinor),
      taxMinor: BigInt(invoice.taxMinor),
      totalMinor: BigInt(invoice.totalMinor),
      taxRateBp: period.taxRateBp,
      isTaxExempt: false,
      lines: JSON.parse(JSON.stringify(invoice)),
      billTo: JSON.parse(JSON.stringify(period.billTo)),
    },
  });
  const request: InvoiceRequest = {
    orderId: period.orderIds[0]!,
    event,
    shipmentIds: period.shipmentIds,
    prices: [],
    paymentTerms: terms.label,
    billed: period.billTo.orders!.map((o) => ({ ...o, shipmentIds: [`${o.orderId}-S1`] })),
    period: { label: '2026-11', closesAt: `${ISSUE_DATE}T00:00:00.000Z` },
  };
  return {
    run: { kind: 'invoice', id, orderId: request.orderId, event, createdAt: new Date().toISOString() },
    step: 'send-invoice',
    idempotencyKey: `${id}:send-invoice`,
    results: { request, 'issue-invoice': issued },
  };
}

/** A refunded credit memo of `lineCount` lines (a return of one large order); the send-credit-memo input. */
async function spentCreditMemo(db: Db, fixture: Fixture, lineCount: number, id: string): Promise<StepInput> {
  const event = fixture.event();
  // The fixture's SKUs: send-credit-memo reads their descriptions from the ERP (the sku table).
  const skus = Object.values(fixture.sku).map((sku, i) => ({
    sku,
    description: '',
    unitPriceMinor: [2_150, 85, 9_200][i]!,
  }));
  const memo = largeCreditMemo(lineCount, skus);
  const returnId = `RMA-${id}`;
  const orderId = `order-${event.dealId}`;
  const spent: SpentCreditMemo = {
    creditMemoNumber: `CM-${id}`,
    applications: [],
    refundMinor: memo.totalMinor,
    refundReference: `RF-${id}`,
  };
  await db.creditMemo.create({
    data: {
      id,
      creditMemoNumber: spent.creditMemoNumber,
      returnId,
      orderId,
      customerId: fixture.customerId,
      currency: memo.currency,
      status: 'refunded',
      merchandiseMinor: BigInt(memo.merchandiseMinor),
      restockingFeeMinor: BigInt(memo.restockingFeeMinor),
      restockingFeeBp: 1_500,
      taxMinor: BigInt(memo.taxMinor),
      totalMinor: BigInt(memo.totalMinor),
      lines: JSON.parse(JSON.stringify(memo.lines)),
      refundMinor: BigInt(spent.refundMinor),
      refundReference: spent.refundReference,
    },
  });
  return {
    run: { kind: 'return', id: returnId, orderId, event, createdAt: new Date().toISOString() },
    step: 'send-credit-memo',
    idempotencyKey: `${returnId}:send-credit-memo`,
    results: {
      // What send-credit-memo reads of the checked return: the tax rule of the credited lines.
      'check-return': { taxRateBp: 575, isTaxExempt: false },
      'issue-credit-memo': { creditMemoNumber: spent.creditMemoNumber, memo },
      'apply-credit-memo': spent,
    },
  };
}

/** Writes the case's document and answers the step input its send activity gets; `id` unique per attempt. */
export function prepareCase(db: Db, fixture: Fixture, kase: DocumentCase, id: string): Promise<StepInput> {
  return kase.kind === 'invoice'
    ? issuedInvoice(db, fixture, kase.lineCount, id)
    : spentCreditMemo(db, fixture, kase.lineCount, id);
}
