/**
 * The credit memo as the buyer's accounts payable books it: the seller, bill-to (billing address), the
 * return, PO and order it credits, the accepted lines, restocking fee, tax credited, the total, and how
 * the credit was settled (applied to which invoices, refunded with which reference). The amounts are the
 * stored memo (domain/billing/credit-memo), never recomputed here.
 */
import type { CreditMemo } from '../../domain/billing/credit-memo';
import { formatMoney } from '../../domain/money';
import type { SellerIdentity } from '../../lib/config';
import { renderDocument } from '../documents/layout';
import type { DocumentModel, TextBlock, TotalRow } from '../documents/document-model';
import { billToBlock, formatRate, orderFacts, pricedLineTable, type PostalAddress } from '../documents/parts';

export interface CreditMemoPdfData {
  seller: SellerIdentity;
  creditMemoNumber: string;
  issueDate: string;
  returnId: string;
  orderId: string;
  poNumber: string;
  billTo: { name: string; contact: { name: string; email: string }; address?: PostalAddress };
  /** SKU descriptions, by SKU (the ERP's). */
  descriptions: Record<string, string>;
  memo: CreditMemo;
  restockingFeeBp: number;
  /** The rate the credited lines were taxed at; undefined when they were invoiced at different rates. */
  taxRateBp?: number;
  isTaxExempt: boolean;
  applications: { invoiceNumber: string; appliedMinor: number; balanceAfterMinor: number }[];
  refundMinor: number;
  refundReference?: string;
}

export function renderCreditMemoPdf(data: CreditMemoPdfData): Promise<Buffer> {
  return renderDocument(creditMemoDocument(data));
}

export function creditMemoDocument(data: CreditMemoPdfData): DocumentModel {
  const { memo, billTo } = data;
  const money = (amountMinor: number) => formatMoney(amountMinor, memo.currency);
  const totals: TotalRow[] = [
    { label: 'Merchandise credited', value: money(memo.merchandiseMinor) },
    { label: `Restocking fee (${formatRate(data.restockingFeeBp)})`, value: money(memo.restockingFeeMinor) },
    {
      label: data.isTaxExempt
        ? 'Sales tax credited (customer exempt)'
        : data.taxRateBp === undefined
          ? "Sales tax credited (at each line's invoiced rate)"
          : `Sales tax credited ${formatRate(data.taxRateBp)}`,
      value: money(memo.taxMinor),
    },
    { label: 'Total credit', value: money(memo.totalMinor), isStrong: true },
  ];
  const settlement: TextBlock = {
    heading: 'How the credit is settled',
    lines: [
      ...data.applications.map(
        (a) =>
          `Applied to invoice ${a.invoiceNumber}: ${money(a.appliedMinor)} (open balance now ${money(a.balanceAfterMinor)}).`,
      ),
      ...(data.refundMinor > 0
        ? [`Refunded: ${money(data.refundMinor)}${data.refundReference ? ` (reference ${data.refundReference})` : ''}.`]
        : []),
    ],
  };
  if (settlement.lines.length === 0)
    settlement.lines.push(`${money(memo.totalMinor)} stays on account for your next invoice.`);
  return {
    title: 'Credit memo',
    reference: data.creditMemoNumber,
    seller: data.seller,
    facts: [
      { label: 'Credit memo date', value: data.issueDate },
      { label: 'Return', value: data.returnId },
      ...orderFacts(data.poNumber, data.orderId),
    ],
    parties: [billToBlock(billTo)],
    table: pricedLineTable('Qty credited', memo.lines, (l) => data.descriptions[l.sku] ?? l.sku, money),
    totals,
    sections: [
      settlement,
      {
        heading: 'Questions',
        lines: [`Please quote ${data.creditMemoNumber} and return ${data.returnId}: ${data.seller.email}`],
      },
    ],
  };
}
