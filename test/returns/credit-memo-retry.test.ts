import { useHarness } from '../support/harness';
import { realActivityDeps } from '../support/real-activities';
import { createFixture } from '../../fixtures/master-data';
import { stepOf } from '../support/flows';
import { deliveredInvoicedOrder, startReturn } from '../support/returns';
import type { Db } from '../../lib/db';
import { applyCreditMemo } from '../../activities/returns/apply-credit-memo';
import type { ActivityDeps } from '../../activities/deps';
import type { StepInput } from '../../activities/contract';
import { getInvoice } from '../../workflows/billing/messages';
import { inspectReturn, receiveReturn } from '../../workflows/returns/messages';
import type { InvoiceAccount } from '../../activities/billing/types';

const h = useHarness();

/**
 * The database as the real apply-credit-memo sees it, except that the first write to the credit memo
 * made after an invoice has taken the memo's credit fails: the worker lost between the invoice's
 * effect and the memo's bookkeeping. The activity then retries for real.
 */
function dbLosingTheFirstRecordAfterTheCredit(db: Db, failures: string[]): Db {
  const creditMemo = new Proxy(db.creditMemo, {
    get(target, prop) {
      const value = Reflect.get(target, prop) as unknown;
      if (prop !== 'update') return typeof value === 'function' ? value.bind(target) : value;
      return async (args: Parameters<Db['creditMemo']['update']>[0]) => {
        const creditMemoNumber = args.where.creditMemoNumber!;
        if (
          !failures.includes(creditMemoNumber) &&
          (await db.invoiceCredit.count({ where: { creditMemoNumber } })) > 0
        ) {
          failures.push(creditMemoNumber);
          throw new Error(`worker lost after an invoice took ${creditMemoNumber}, before the memo recorded it`);
        }
        return target.update(args);
      };
    },
  });
  return new Proxy(db, {
    get(target, prop) {
      if (prop === 'creditMemo') return creditMemo;
      const value = Reflect.get(target, prop) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

describe('applying a credit memo, retried after a partial effect', () => {
  it('credits the invoice and refunds the rest exactly once when the attempt that settled the invoice is lost', async () => {
    const failures: string[] = [];
    const deps: ActivityDeps = { ...realActivityDeps(h), db: dbLosingTheFirstRecordAfterTheCredit(h.db, failures) };
    const { mail } = deps;
    await h.stopWorker();
    await h.startWorker({ applyCreditMemo: (input: StepInput) => applyCreditMemo(deps, input) });
    try {
      const f = await createFixture(h.db);
      const order = await deliveredInvoicedOrder(h, f);
      const invoice = h.temporal.workflow.getHandle(order.invoiceId);
      const account = (await invoice.query(getInvoice)) as InvoiceAccount;
      // All but 10.00 paid: the credit settles the invoice (which then closes) and the rest is refunded.
      await invoice.executeUpdate('recordPayment', {
        args: [
          {
            amountMinor: account.balanceMinor - 1_000,
            reference: 'BANK-RETRY-1',
            receivedDate: new Date().toISOString().slice(0, 10),
          },
        ],
      });

      const handle = await startReturn(h, order, [{ sku: f.sku.valve, quantity: 5, reasonCode: 'DEFECTIVE' }]);
      await h.waitForState(handle.workflowId, (s) => stepOf(s, 'await-receipt')?.status === 'waiting');
      await handle.executeUpdate(receiveReturn, {
        args: [{ warehouseId: order.warehouseId, receivedAt: new Date().toISOString() }],
      });
      await handle.executeUpdate(inspectReturn, { args: [{ lines: [{ lineNo: 1, restock: 0, scrap: 5 }] }] });
      expect((await handle.result()).status).toBe('completed');

      const memo = await h.db.creditMemo.findUniqueOrThrow({ where: { returnId: handle.workflowId } });
      expect(failures).toEqual([memo.creditMemoNumber]); // the lost attempt really happened
      const total = Number(memo.totalMinor);
      const credits = await h.db.invoiceCredit.findMany({ where: { creditMemoNumber: memo.creditMemoNumber } });
      expect(credits.map((c) => [c.invoiceId, c.amountMinor])).toEqual([[order.invoiceId, 1_000n]]);
      const refunds = await h.db.erpRefund.findMany({ where: { creditMemoNumber: memo.creditMemoNumber } });
      expect(refunds.map((r) => [r.idempotencyKey, r.amountMinor])).toEqual([
        [`${memo.creditMemoNumber}:refund`, BigInt(total - 1_000)],
      ]);
      // Credited plus refunded is the memo's total, not more.
      expect(memo).toMatchObject({
        status: 'refunded',
        refundMinor: BigInt(total - 1_000),
        refundReference: refunds[0]!.refundReference,
      });
      expect(memo.applications).toEqual([
        expect.objectContaining({ invoiceId: order.invoiceId, appliedMinor: 1_000, balanceAfterMinor: 0 }),
      ]);
      expect((await invoice.query(getInvoice)) as InvoiceAccount).toMatchObject({
        status: 'paid',
        balanceMinor: 0,
        creditedMinor: 1_000,
      });
    } finally {
      mail.close();
      await h.stopWorker();
      await h.startWorker({});
    }
  });
});
