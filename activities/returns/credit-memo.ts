/**
 * The money side of a return: the credit memo (domain/billing/credit-memo computeCreditMemo) with a
 * gapless number, spending it by a plan decided once (credit-plan.ts) on the customer's open
 * invoices oldest first through each invoice workflow's `applyCredit` update, so balances and statuses stay owned by the
 * invoice workflows, refunding the rest through the ERP, the e-mail to the billing contact and the CRM
 * milestone `returned`. Each is idempotent per return.
 */
import { ApplicationFailure, Context } from '@temporalio/activity';
import { computeCreditMemo, type CreditMemo } from '../../domain/billing/credit-memo';
import { formatMoney } from '../../domain/money';
import type { Db } from '../../lib/db';
import type { ActivityDeps } from '../deps';
import { type StepInput, type StepOutput, resultOf } from '../contract';
import { applyCreditMemoStep } from '../../workflows/returns/steps/apply-credit-memo';
import { inspectReturnStep } from '../../workflows/returns/steps/inspect-return';
import { issueCreditMemoStep } from '../../workflows/returns/steps/issue-credit-memo';
import { sendMailOnce } from '../mail/send-once';
import { checkedOf } from './check-return';
import { applicationsOf, carryOutPlan, planOnce } from './credit-plan';
import { FAILURES } from '../../domain/failures';
import type { IssuedCreditMemo, SpentCreditMemo } from './types';
import { renderCreditMemoPdf } from './credit-memo-pdf';
import type { PostalAddress } from '../documents/parts';

/** The credit memo series in invoice_counter (seeded by the returns migration). */
export const CREDIT_MEMO_SERIES = 'credit-memo';
export const formatCreditMemoNumber = (n: bigint | number): string => `CM-${String(n).padStart(7, '0')}`;

/**
 * Stores the memo for `returnId` under the next CM number, in one transaction with the counter (a
 * failed transaction gives the number back). Idempotent: an existing memo for the return is returned.
 */
async function allocateCreditMemo(
  db: Db,
  args: { returnId: string; orderId: string; customerId: string; restockingFeeBp: number; memo: CreditMemo },
): Promise<string> {
  return db.$transaction(
    async (tx) => {
      await tx.$queryRaw`SELECT id FROM return_request WHERE id = ${args.returnId} FOR UPDATE`;
      const existing = await tx.creditMemo.findUnique({ where: { returnId: args.returnId } });
      if (existing) return existing.creditMemoNumber;
      const [counter] = await tx.$queryRaw<{ last_number: bigint }[]>`
        UPDATE invoice_counter SET last_number = last_number + 1 WHERE id = ${CREDIT_MEMO_SERIES} RETURNING last_number`;
      if (!counter)
        throw new Error(`credit memo number series "${CREDIT_MEMO_SERIES}" is missing from invoice_counter`);
      const creditMemoNumber = formatCreditMemoNumber(counter.last_number);
      const { memo } = args;
      await tx.creditMemo.create({
        data: {
          id: creditMemoNumber,
          creditMemoNumber,
          returnId: args.returnId,
          orderId: args.orderId,
          customerId: args.customerId,
          currency: memo.currency,
          status: 'issued',
          merchandiseMinor: BigInt(memo.merchandiseMinor),
          restockingFeeMinor: BigInt(memo.restockingFeeMinor),
          restockingFeeBp: args.restockingFeeBp,
          taxMinor: BigInt(memo.taxMinor),
          totalMinor: BigInt(memo.totalMinor),
          lines: memo.lines as object[],
        },
      });
      return creditMemoNumber;
    },
    { timeout: 20_000, maxWait: 20_000 },
  );
}

/**
 * Credits the accepted units (inspect-return) at the invoiced unit prices and each line's charged tax rate,
 * minus the policy's restocking fee. Nothing accepted: no memo (the later steps stand down).
 */
export async function issueCreditMemo(deps: ActivityDeps, input: StepInput): Promise<StepOutput> {
  const checked = checkedOf(input);
  const inspected = resultOf(input, inspectReturnStep).lines;
  const accepted = inspected.filter((l) => l.accepted > 0);
  if (accepted.length === 0)
    return { data: { reason: 'no units were accepted at inspection' } satisfies IssuedCreditMemo };
  const computed = computeCreditMemo({
    currency: checked.currency,
    acceptedLines: accepted.map((l) => ({
      ref: String(l.lineNo),
      sku: l.sku,
      quantity: l.accepted,
      unitPriceMinor: checked.unitPrices[l.sku]!,
      taxRateBp: checked.taxRatesBp?.[l.sku],
    })),
    restockingFeeBp: checked.restockingFeeBp,
    taxRateBp: checked.taxRateBp,
    isTaxExempt: checked.isTaxExempt,
  });
  if (!computed.ok) {
    throw ApplicationFailure.create({
      type: FAILURES.ReturnInvalid.type,
      message: `credit memo for ${input.run.id}: ${computed.errors.map((e) => e.message).join('; ')}`,
      nonRetryable: true,
    });
  }
  const creditMemoNumber = await allocateCreditMemo(deps.db, {
    returnId: input.run.id,
    orderId: input.run.orderId,
    customerId: input.run.event.customer.id,
    restockingFeeBp: checked.restockingFeeBp,
    memo: computed.memo,
  });
  // Read back: a retry reports the memo stored the first time.
  const row = await deps.db.creditMemo.findUniqueOrThrow({ where: { creditMemoNumber } });
  const memo: CreditMemo = {
    currency: row.currency,
    lines: row.lines as unknown as CreditMemo['lines'],
    merchandiseMinor: Number(row.merchandiseMinor),
    restockingFeeMinor: Number(row.restockingFeeMinor),
    taxMinor: Number(row.taxMinor),
    totalMinor: Number(row.totalMinor),
  };
  return { data: { creditMemoNumber, memo } satisfies IssuedCreditMemo, status: 'credited' };
}

/**
 * Spends the memo by its plan (credit-plan.ts): decided once, on the customer's open invoices oldest
 * due date first, each through its invoice workflow's `applyCredit` (keyed by the memo number), then
 * the rest refunded through the ERP under the memo's refund key. A retry carries out the stored plan,
 * so nothing is credited or refunded twice, even when an earlier attempt's credit closed an invoice.
 */
export async function applyCreditMemo(deps: ActivityDeps, input: StepInput): Promise<StepOutput> {
  const issued = resultOf(input, issueCreditMemoStep);
  if (!issued.creditMemoNumber || !issued.memo) return { data: { reason: issued.reason ?? 'no credit memo' } };
  const { creditMemoNumber, memo } = issued;
  const row = await deps.db.creditMemo.findUniqueOrThrow({ where: { creditMemoNumber } });
  if (row.status === 'applied' || row.status === 'refunded') {
    const spent: SpentCreditMemo = {
      creditMemoNumber,
      applications: row.applications as unknown as SpentCreditMemo['applications'],
      refundMinor: Number(row.refundMinor),
      refundReference: row.refundReference ?? undefined,
    };
    return { data: spent };
  }
  const client = Context.current().client;
  const customerId = input.run.event.customer.id;
  const spending = { creditMemoNumber, customerId, currency: memo.currency, totalMinor: memo.totalMinor };
  const plan = await carryOutPlan(deps, client, spending, await planOnce(deps, client, spending));

  const { refund } = plan;
  let refundReference: string | undefined;
  if (refund.amountMinor > 0) {
    const { erp } = deps.adapters;
    if (!erp.issueRefund) {
      throw ApplicationFailure.create({
        type: FAILURES.ReturnInvalid.type,
        message: `the configured ERP adapter cannot refund ${formatMoney(refund.amountMinor, memo.currency)} of ${creditMemoNumber}`,
        nonRetryable: true,
      });
    }
    ({ refundReference } = await erp.issueRefund(
      { customerId, creditMemoNumber, amountMinor: refund.amountMinor, currency: memo.currency },
      refund.idempotencyKey,
    ));
  }
  const applications = applicationsOf(plan);
  await deps.db.creditMemo.update({
    where: { creditMemoNumber },
    data: {
      status: refund.amountMinor > 0 ? 'refunded' : 'applied',
      applications: applications as unknown as object[],
      refundMinor: BigInt(refund.amountMinor),
      refundReference: refundReference ?? null,
    },
  });
  return {
    data: {
      creditMemoNumber,
      applications,
      refundMinor: refund.amountMinor,
      refundReference,
    } satisfies SpentCreditMemo,
  };
}

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

/** CRM milestone `returned`, once; the return is complete. */
export async function sendReturnedMilestone(deps: ActivityDeps, input: StepInput): Promise<StepOutput> {
  const issued = resultOf(input, issueCreditMemoStep) as IssuedCreditMemo | undefined;
  await deps.adapters.crm.sendMilestone(
    {
      orderId: input.run.orderId,
      dealId: input.run.event.dealId,
      milestone: 'returned',
      detail: {
        returnId: input.run.id,
        creditMemoNumber: issued?.creditMemoNumber ?? null,
        creditMinor: issued?.memo?.totalMinor ?? 0,
        currency: input.run.event.currency,
      },
    },
    input.idempotencyKey,
  );
  return { status: 'completed' };
}
