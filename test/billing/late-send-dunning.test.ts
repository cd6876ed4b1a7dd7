/**
 * Dunning counts from when the invoice was actually sent. E-mailing the invoice hangs for several
 * (1-second) days, past its due date: the reminders meant for before and on the due date are skipped as
 * stale with the reason recorded, and the overdue reminder and the escalation follow the policy's
 * cadence from the send instead of all firing at once the moment the invoice goes out.
 */
import { startHarness, type Harness } from '../support/harness';
import { realActivities, type RealActivities } from '../support/real-activities';
import { createFixture } from '../../fixtures/master-data';
import { stepOf } from '../support/flows';
import { shippedOrder, startInvoice } from '../../fixtures/billing';
import type { MailAdapter } from '../../adapters/mail/mail-adapter';
import type { StepInput } from '../../activities/contract';

const DAY_MS = 1_000;

let real: RealActivities | undefined;
let mailForReal: MailAdapter | undefined;
/** Invoices whose e-mail hangs until released. */
const hanging = new Map<string, { isEntered: boolean; release: () => void; released: Promise<void> }>();

let h: Harness;
beforeAll(async () => {
  h = await startHarness({
    activityOverrides: {
      sendInvoice: async (input: StepInput) => {
        const gate = hanging.get(input.run.id);
        if (gate) {
          gate.isEntered = true;
          await gate.released;
        }
        return real!.sendInvoice(input);
      },
    },
  });
  ({ real, mail: mailForReal } = realActivities(h));
});
afterAll(async () => {
  mailForReal?.close();
  await h?.stop();
});

const until = async (predicate: () => boolean, what: string) => {
  const deadline = Date.now() + 60_000;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
};

describe('dunning after a late send', () => {
  it('skips the reminders whose time passed before the invoice was sent, with the reason, and spaces the rest from the send', async () => {
    const f = await createFixture(h.db);
    const order = await shippedOrder(
      h,
      f,
      [{ lines: [{ lineNo: 1, sku: 'valve', quantity: 4 }], freightCostMinor: 0 }],
      { freightTerms: 'prepaid' },
    );
    const invoiceId = `invoice-${order.shipmentIds[0]}`;
    let release!: () => void;
    hanging.set(invoiceId, {
      isEntered: false,
      release: () => release(),
      released: new Promise<void>((r) => (release = r)),
    });

    // NET2: before-due-1 on day 1, on-due on day 2, overdue+2 on day 4, escalation+4 on day 6 after issue.
    const handle = await startInvoice(h, order, {
      paymentTerms: 'NET2',
      dunning: {
        policy: { remindBeforeDays: [1], remindOnDueDate: true, overdueSteps: [2], escalateAfterDays: 4 },
        dayLength: `${DAY_MS}ms`,
      },
    });
    expect(handle.workflowId).toBe(invoiceId);
    await until(() => hanging.get(invoiceId)!.isEntered, 'send-invoice to hang');
    await new Promise((r) => setTimeout(r, 6 * DAY_MS)); // stuck past the due date and past overdue+2
    hanging.get(invoiceId)!.release();

    const done = await h.waitForState(invoiceId, (s) => stepOf(s, 'escalate-invoice')?.status === 'completed', 90_000);
    expect(done.steps.map((s) => [s.name, s.status])).toEqual([
      ['draft-invoice', 'completed'],
      ['issue-invoice', 'completed'],
      ['post-to-erp', 'completed'],
      ['send-invoice', 'completed'],
      ['remind-before-due-1', 'skipped'],
      ['remind-on-due', 'skipped'],
      ['remind-overdue-2', 'completed'],
      ['escalate-invoice', 'completed'],
    ]);
    expect(stepOf(done, 'remind-before-due-1')!.skippedReason).toMatch(
      /^stale: meant for 1 day before the due date \d{4}-\d\d-\d\d \(.+\), but the invoice was only sent at .+$/,
    );
    expect(stepOf(done, 'remind-on-due')!.skippedReason).toMatch(/^stale: meant for the due date /);

    // The reasons are in the invoice's timeline, and no stale reminder was e-mailed.
    const events = await h.db.stepEvent.findMany({ where: { workflowId: invoiceId }, orderBy: { seq: 'asc' } });
    expect(
      events.filter((e) => e.toStatus === 'skipped').map((e) => [e.step, e.actor, e.reason?.startsWith('stale: ')]),
    ).toEqual([
      ['remind-before-due-1', 'system', true],
      ['remind-on-due', 'system', true],
    ]);
    const templates = (
      await h.db.outboundEmail.findMany({ where: { orderId: order.orderId }, orderBy: { createdAt: 'asc' } })
    ).map((m) => m.template);
    expect(templates).toEqual(['invoice', 'dunning-overdue', 'dunning-escalation']);

    // Counted from the send (timers never fire early): overdue+2 two days after it, escalation four.
    const at = (step: string, to: string) =>
      events.find((e) => e.step === step && e.toStatus === to)!.occurredAt.getTime();
    const sentAt = at('send-invoice', 'completed');
    expect(at('remind-overdue-2', 'running') - sentAt).toBeGreaterThanOrEqual(2 * DAY_MS);
    expect(at('escalate-invoice', 'running') - sentAt).toBeGreaterThanOrEqual(4 * DAY_MS);
  });
});
