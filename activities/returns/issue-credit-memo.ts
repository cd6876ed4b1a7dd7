/** issue-credit-memo: the credit memo (domain/billing/credit-memo computeCreditMemo) with a gapless number, once per return. */
import { ApplicationFailure } from '@temporalio/activity';
import { computeCreditMemo, type CreditMemo } from '../../domain/billing/credit-memo';
import type { Db } from '../../lib/db';
import type { ActivityDeps } from '../deps';
import { type StepInput, type StepOutput, resultOf } from '../contract';
import { inspectReturnStep } from '../../workflows/returns/steps/inspect-return';
import { checkedOf } from './check-return';
import { FAILURES } from '../../domain/failures';
import type { IssuedCreditMemo } from './types';

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
