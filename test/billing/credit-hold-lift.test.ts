/**
 * Settling an invoice lifts only the credit hold dunning set: a hold finance put on the customer by
 * hand survives payments and voids (even of an invoice that escalated meanwhile), while a dunning hold
 * is lifted once the last escalated invoice is paid.
 */
import type { WorkflowHandle } from '@temporalio/client';
import { useHarness } from '../support/harness';
import { createFixture, isoDay, type Fixture } from '../../fixtures/master-data';
import { stepOf } from '../support/flows';
import { shippedOrder, startInvoice } from '../../fixtures/billing';
import { getInvoice } from '../../workflows/billing/messages';
import type { DunningInput } from '../../activities/billing/types';

const h = useHarness();

// NET1 with 1-second days: no reminders, escalation one day after the due date (about 2 s after issue).
const FAST_ESCALATION: DunningInput = {
  policy: { remindBeforeDays: [], remindOnDueDate: false, overdueSteps: [], escalateAfterDays: 1 },
  dayLength: '1s',
};

const invoiceFor = async (f: Fixture, dunning?: DunningInput): Promise<WorkflowHandle> => {
  const order = await shippedOrder(h, f, [{ lines: [{ lineNo: 1, sku: 'valve', quantity: 3 }], freightCostMinor: 0 }], {
    freightTerms: 'prepaid',
  });
  return startInvoice(h, order, dunning ? { paymentTerms: 'NET1', dunning } : {});
};
const escalated = (handle: WorkflowHandle) =>
  h.waitForState(handle.workflowId, (s) => stepOf(s, 'escalate-invoice')?.status === 'completed');
const sent = (handle: WorkflowHandle) => h.waitForState(handle.workflowId, (s) => s.status === 'sent');
const payInFull = async (handle: WorkflowHandle, reference: string) => {
  const { totalMinor } = await handle.query(getInvoice);
  const res = await h.app.inject({
    method: 'POST',
    url: `/v1/invoices/${handle.workflowId}/payments`,
    payload: { amountMinor: totalMinor, receivedDate: isoDay(), reference },
  });
  expect(res.statusCode).toBe(200);
  expect(res.json().status).toBe('paid');
};
const holdOf = async (f: Fixture) => {
  const c = await h.db.customer.findUniqueOrThrow({ where: { id: f.customerId } });
  return { isOnCreditHold: c.isOnCreditHold, creditHoldSource: c.creditHoldSource };
};

describe('credit hold and settled invoices', () => {
  it('keeps a manual credit hold through a payment, an escalation and a void, while a dunning hold is lifted by payment', async () => {
    const manual = await createFixture(h.db);
    await h.db.customer.update({ where: { id: manual.customerId }, data: { isOnCreditHold: true } }); // finance, by hand
    const dunned = await createFixture(h.db);

    const [paidOnHold, escalatesOnHold, voidedOnHold, escalatesDunned] = await Promise.all([
      invoiceFor(manual),
      invoiceFor(manual, FAST_ESCALATION),
      invoiceFor(manual),
      invoiceFor(dunned, FAST_ESCALATION),
    ]);

    // A plain payment of another invoice does not lift finance's hold.
    await sent(paidOnHold);
    await payInFull(paidOnHold, 'WIRE-HOLD-1');
    expect(await holdOf(manual)).toEqual({ isOnCreditHold: true, creditHoldSource: null });

    // Escalation leaves finance's hold as it is (it does not become dunning's), so paying that invoice keeps it too.
    await escalated(escalatesOnHold);
    expect(await holdOf(manual)).toEqual({ isOnCreditHold: true, creditHoldSource: null });
    await payInFull(escalatesOnHold, 'WIRE-HOLD-2');
    expect(await holdOf(manual)).toEqual({ isOnCreditHold: true, creditHoldSource: null });

    // Nor does closing an invoice.
    await sent(voidedOnHold);
    const voided = await h.app.inject({
      method: 'POST',
      url: `/v1/invoices/${voidedOnHold.workflowId}/void`,
      payload: { reason: 'billed twice' },
    });
    expect(voided.statusCode).toBe(200);
    expect(await holdOf(manual)).toEqual({ isOnCreditHold: true, creditHoldSource: null });

    // The hold dunning set is dunning's to lift: paying the escalated invoice lifts it.
    await escalated(escalatesDunned);
    expect(await holdOf(dunned)).toEqual({ isOnCreditHold: true, creditHoldSource: 'dunning' });
    await payInFull(escalatesDunned, 'WIRE-DUNNED-1');
    expect(await holdOf(dunned)).toEqual({ isOnCreditHold: false, creditHoldSource: null });
  });
});
