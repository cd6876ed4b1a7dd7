/** send-credit-memo: the credit memo PDF by e-mail to the billing contact, once per return. */
import type { CreditMemo } from '../../domain/billing/credit-memo';
import { formatMoney } from '../../domain/money';
import type { ActivityDeps } from '../deps';
import { type StepInput, type StepOutput, resultOf } from '../contract';
import { applyCreditMemoStep } from '../../workflows/returns/steps/apply-credit-memo';
import { issueCreditMemoStep } from '../../workflows/returns/steps/issue-credit-memo';
import { sendMailOnce } from '../mail/send-once';
import { checkedOf } from './check-return';
import type { SpentCreditMemo } from './types';
import { renderCreditMemoPdf } from './credit-memo-pdf';
import type { PostalAddress } from '../documents/parts';

/** The stored memo as a PDF (the e-mail's attachment); deterministic, so a retried send carries the same bytes. */
async function creditMemoPdf(
  deps: ActivityDeps,
  input: StepInput,
  spent: SpentCreditMemo,
  memo: CreditMemo,
): Promise<Buffer> {
  const checked = checkedOf(input);
  const { event, orderId } = input.run;
  const rates = new Set(memo.lines.map((l) => checked.taxRatesBp?.[l.sku] ?? checked.taxRateBp));
  const [row, customer, skus] = await Promise.all([
    deps.db.creditMemo.findUniqueOrThrow({ where: { creditMemoNumber: spent.creditMemoNumber } }),
    deps.db.customer.findUnique({ where: { id: event.customer.id }, select: { billingAddress: true } }),
    deps.adapters.erp.getSkus([...new Set(memo.lines.map((l) => l.sku))]),
  ]);
  return renderCreditMemoPdf({
    seller: deps.settings.seller,
    creditMemoNumber: spent.creditMemoNumber,
    issueDate: row.createdAt.toISOString().slice(0, 10),
    returnId: input.run.id,
    orderId,
    poNumber: event.poNumber,
    billTo: {
      name: event.customer.name,
      contact: event.customer.billingContact,
      address: (customer?.billingAddress as PostalAddress | null) ?? undefined,
    },
    descriptions: Object.fromEntries(skus.map((s) => [s.sku, s.description])),
    memo,
    restockingFeeBp: row.restockingFeeBp,
    taxRateBp: rates.size === 1 ? [...rates][0] : undefined,
    isTaxExempt: checked.isTaxExempt,
    applications: spent.applications,
    refundMinor: spent.refundMinor,
    refundReference: spent.refundReference,
  });
}

/** The credit memo e-mail with its PDF to the billing contact, once. */
export async function sendCreditMemo(deps: ActivityDeps, input: StepInput): Promise<StepOutput> {
  const spent = resultOf(input, applyCreditMemoStep);
  const issued = resultOf(input, issueCreditMemoStep);
  if (!('creditMemoNumber' in spent) || !issued.memo) return { data: { isSent: false, reason: 'no credit memo' } };
  const { memo } = issued;
  const { event, orderId } = input.run;
  const money = (m: number) => formatMoney(m, memo.currency);
  const pdf = await creditMemoPdf(deps, input, spent, memo);
  const sent = await sendMailOnce(deps, {
    idempotencyKey: input.idempotencyKey,
    orderId,
    template: 'credit-memo',
    to: [event.customer.billingContact.email],
    subject: `Credit memo ${spent.creditMemoNumber} for your return ${input.run.id} (PO ${event.poNumber}): ${money(memo.totalMinor)}`,
    text: [
      `Dear ${event.customer.billingContact.name},`,
      '',
      `we have inspected your return ${input.run.id} for PO ${event.poNumber} (${orderId}) and issued credit memo ${spent.creditMemoNumber}:`,
      '',
      ...memo.lines.map(
        (l) =>
          `  line ${l.ref}: ${l.quantity} x ${l.sku} at ${money(l.unitPriceMinor)} = ${money(l.amountMinor)} (tax ${money(l.taxMinor)})`,
      ),
      `  merchandise ${money(memo.merchandiseMinor)}, restocking fee ${money(memo.restockingFeeMinor)}, tax ${money(memo.taxMinor)}`,
      `  total credit ${money(memo.totalMinor)}`,
      '',
      ...spent.applications.map(
        (a) =>
          `Applied to invoice ${a.invoiceNumber}: ${money(a.appliedMinor)} (open balance now ${money(a.balanceAfterMinor)}).`,
      ),
      ...(spent.refundMinor > 0
        ? [`Refunded to you: ${money(spent.refundMinor)} (reference ${spent.refundReference}).`]
        : []),
      '',
      `The credit memo ${spent.creditMemoNumber} is attached.`,
    ].join('\n'),
    attachments: [{ filename: `${spent.creditMemoNumber}.pdf`, content: pdf, contentType: 'application/pdf' }],
  });
  await deps.db.creditMemo.updateMany({
    where: { creditMemoNumber: spent.creditMemoNumber, sentAt: null },
    data: { sentAt: new Date() },
  });
  return { data: { isSent: true, messageId: sent.messageId } };
}
