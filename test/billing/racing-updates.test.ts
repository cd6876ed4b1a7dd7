/**
 * Invoice updates that race each other through the real API and worker: one wins, the other is refused
 * with a clear 409/422, and the workflow keeps running (no workflow task ever fails). Gates hold a
 * ledger activity (or the ERP post) of a chosen invoice while the other update is admitted, so the race
 * happens every time instead of by luck.
 */
import type { WorkflowHandle } from '@temporalio/client';
import { env, startHarness, type Harness } from '../support/harness';
import { splitReplayFailures, type SplitReplayFailure } from '../support/history-split';
import { createFixture, isoDay } from '../../fixtures/master-data';
import { shippedOrder, startInvoice } from '../../fixtures/billing';
import { invoiceIdFor } from '../../workflows/ids';
import { stepOf } from '../support/flows';
import { createActivities } from '../../activities';
import { createBuiltinAdapters } from '../../adapters/builtin';
import { createSmtpMailAdapter } from '../../adapters/mail/smtp';
import type { MailAdapter } from '../../adapters/mail/mail-adapter';
import { createLogger } from '../../lib/logger';
import type { CloseRecord, PaymentRecord } from '../../activities/billing/payments';
import type { CreditRecord } from '../../activities/billing/credits';
import type { StepInput } from '../../activities/contract';
import { applyCredit, getInvoice } from '../../workflows/billing/messages';
import { problemType } from '../../api/problems';
import { DEMO_SELLER } from '../../lib/config';

/** Holds the calls of chosen keys until released; everything else passes straight through. */
class Gates {
  private readonly gates = new Map<string, { entered: number; release: () => void; released: Promise<void> }>();

  hold(key: string): void {
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    this.gates.set(key, { entered: 0, release, released });
  }

  async pass(key: string): Promise<void> {
    const gate = this.gates.get(key);
    if (!gate) return;
    gate.entered += 1;
    await gate.released;
  }

  async entered(key: string): Promise<void> {
    await until(() => (this.gates.get(key)?.entered ?? 0) > 0, `${key} to be entered`);
  }

  release(key: string): void {
    this.gates.get(key)?.release();
  }
}

async function until(predicate: () => boolean | Promise<boolean>, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

type RealActivities = ReturnType<typeof createActivities>;
let real: RealActivities | undefined;
let mailForReal: MailAdapter | undefined;
const gates = new Gates();

let h: Harness;
beforeAll(async () => {
  h = await startHarness({
    activityOverrides: {
      closeInvoice: async (record: CloseRecord) => {
        await gates.pass(`close:${record.invoiceId}`);
        return real!.closeInvoice(record);
      },
      applyInvoicePayment: async (record: PaymentRecord) => {
        await gates.pass(`payment:${record.invoiceId}`);
        return real!.applyInvoicePayment(record);
      },
      applyInvoiceCredit: async (record: CreditRecord) => {
        await gates.pass(`credit:${record.invoiceId}`);
        return real!.applyInvoiceCredit(record);
      },
      postInvoiceToErp: async (input: StepInput) => {
        await gates.pass(`post:${input.run.id}`);
        return real!.postInvoiceToErp(input);
      },
    },
  });
  mailForReal = createSmtpMailAdapter(h.mail.url, 'closedloop <orders@closedloop.test>');
  const adapters = createBuiltinAdapters(h.db);
  const erp = adapters.erp;
  real = createActivities({
    db: h.db,
    mail: mailForReal,
    log: createLogger('silent'),
    // The ERP's invoice posting of a gated customer waits at the gate: the post is in flight.
    adapters: {
      ...adapters,
      erp: {
        ...erp,
        postReceivable: async (entry, key) => {
          if (entry.kind === 'invoice') await gates.pass(`erp:${entry.customerId}`);
          return erp.postReceivable!(entry, key);
        },
      },
    },
    settings: {
      opsEmail: 'ops@closedloop.test',
      financeEmail: 'finance@closedloop.test',
      publicUrl: 'http://closedloop.test',
      seller: DEMO_SELLER,
    },
  });
});
afterAll(async () => {
  mailForReal?.close();
  await h?.stop();
});

const sentInvoice = async () => {
  const f = await createFixture(h.db);
  const order = await shippedOrder(
    h,
    f,
    [{ lines: [{ lineNo: 1, sku: 'valve', quantity: 10 }], freightCostMinor: 0 }],
    { freightTerms: 'prepaid' },
  );
  const handle = await startInvoice(h, order);
  await h.waitForState(handle.workflowId, (s) => s.status === 'sent');
  return { f, handle, account: await handle.query(getInvoice) };
};

const post = (url: string, payload: object) => h.app.inject({ method: 'POST', url, payload });
const voidIt = (id: string, reason: string) => post(`/v1/invoices/${id}/void`, { reason });
const writeOff = (id: string, reason: string) => post(`/v1/invoices/${id}/write-off`, { reason });
const pay = (id: string, amountMinor: number, reference: string) =>
  post(`/v1/invoices/${id}/payments`, { amountMinor, receivedDate: isoDay(), reference });

/** Waits until `count` updates were admitted (accepted into the run's history). */
async function admitted(handle: WorkflowHandle, count: number): Promise<void> {
  await until(async () => {
    const history = await handle.fetchHistory();
    return (history.events ?? []).filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes).length >= count;
  }, `${count} admitted updates on ${handle.workflowId}`);
}

/**
 * The loser of a race asked its patch ('refuse-racing-updates', 'apply-credit') right after the winner's
 * transition record: a query answered during that record put the patch in the next workflow task, and
 * the run could no longer be replayed (queried, or moved on after a cache eviction). Replays the run
 * split after each of its records (test/support/history-split.ts); the invoice asks them at its start.
 */
async function splitReplayFailuresOf(handle: WorkflowHandle): Promise<SplitReplayFailure[]> {
  return splitReplayFailures(handle.workflowId, await handle.fetchHistory(), env('CLOSEDLOOP_TEST_WORKFLOW_BUNDLE'));
}

async function failedWorkflowTasks(handle: WorkflowHandle): Promise<string[]> {
  const history = await handle.fetchHistory();
  return (history.events ?? [])
    .filter((e) => e.workflowTaskFailedEventAttributes)
    .map((e) => e.workflowTaskFailedEventAttributes!.failure?.message ?? '?');
}

describe('racing invoice updates', () => {
  it('two voids at once: one voids, the other is refused 409 with the reason, and the run ends void', async () => {
    const { handle, account } = await sentInvoice();
    gates.hold(`close:${handle.workflowId}`);
    const first = voidIt(handle.workflowId, 'duplicate invoice');
    await gates.entered(`close:${handle.workflowId}`);
    const second = voidIt(handle.workflowId, 'entered twice by finance');
    await admitted(handle, 2); // both passed their validators: the second waits for the ledger
    gates.release(`close:${handle.workflowId}`);

    const [won, lost] = await Promise.all([first, second]);
    expect(won.statusCode).toBe(200);
    expect(won.json()).toMatchObject({ status: 'void', balanceMinor: 0 });
    expect(lost.statusCode).toBe(409);
    expect(lost.json()).toMatchObject({
      type: problemType('conflict'),
      detail: `invoice ${account.invoiceNumber} is already void`,
    });
    expect((await handle.result()).status).toBe('void');
    expect(await failedWorkflowTasks(handle)).toEqual([]);
    expect(await splitReplayFailuresOf(handle)).toEqual([]);
    expect((await h.db.invoice.findUniqueOrThrow({ where: { id: handle.workflowId } })).status).toBe('void');
  });

  it('a payment racing a write-off: the write-off wins, the payment is refused 409 and nothing is applied', async () => {
    const { handle, account } = await sentInvoice();
    gates.hold(`close:${handle.workflowId}`);
    const writingOff = writeOff(handle.workflowId, 'customer insolvent');
    await gates.entered(`close:${handle.workflowId}`);
    const paying = pay(handle.workflowId, account.totalMinor, 'WIRE-RACE-1');
    await admitted(handle, 2);
    gates.release(`close:${handle.workflowId}`);

    const [closed, refused] = await Promise.all([writingOff, paying]);
    expect(closed.statusCode).toBe(200);
    expect(closed.json()).toMatchObject({ status: 'written_off' });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().detail).toBe(
      `invoice ${account.invoiceNumber} was written off: apply the payment as unapplied cash`,
    );
    expect((await handle.result()).status).toBe('written_off');
    expect(await failedWorkflowTasks(handle)).toEqual([]);
    expect(await h.db.payment.count({ where: { invoiceId: handle.workflowId } })).toBe(0);
  });

  it('a write-off racing a payment in full: the payment wins, the write-off is refused 409', async () => {
    const { handle, account } = await sentInvoice();
    gates.hold(`payment:${handle.workflowId}`);
    const paying = pay(handle.workflowId, account.totalMinor, 'WIRE-RACE-2');
    await gates.entered(`payment:${handle.workflowId}`);
    const writingOff = writeOff(handle.workflowId, 'looked unpaid');
    await admitted(handle, 2);
    gates.release(`payment:${handle.workflowId}`);

    const [paid, refused] = await Promise.all([paying, writingOff]);
    expect(paid.statusCode).toBe(200);
    expect(paid.json()).toMatchObject({ status: 'paid', balanceMinor: 0 });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().detail).toBe(`invoice ${account.invoiceNumber} is already paid`);
    expect((await handle.result()).status).toBe('paid');
    expect(await failedWorkflowTasks(handle)).toEqual([]);
  });

  it('a credit memo racing a payment in full: the payment wins, the credit is refused with its type and the run ends paid', async () => {
    const { handle, account } = await sentInvoice();
    gates.hold(`payment:${handle.workflowId}`);
    const paying = pay(handle.workflowId, account.totalMinor, 'WIRE-RACE-3');
    await gates.entered(`payment:${handle.workflowId}`);
    const crediting = handle.executeUpdate(applyCredit, {
      args: [{ creditMemoNumber: 'CM-RACE-1', amountMinor: 1_000 }],
    });
    const creditOutcome = crediting.then(
      () => 'applied',
      (e: Error & { cause?: Error & { type?: string } }) => `${e.cause?.type}: ${e.cause?.message}`,
    );
    await admitted(handle, 2);
    gates.release(`payment:${handle.workflowId}`);

    const paid = await paying;
    expect(paid.statusCode).toBe(200);
    expect(paid.json()).toMatchObject({ status: 'paid' });
    expect(await creditOutcome).toBe(
      `InvoiceClosed: invoice ${account.invoiceNumber} is paid: no balance left to credit`,
    );
    expect((await handle.result()).status).toBe('paid');
    expect(await failedWorkflowTasks(handle)).toEqual([]);
    expect(await splitReplayFailuresOf(handle)).toEqual([]);
    expect(await h.db.invoiceCredit.count({ where: { invoiceId: handle.workflowId } })).toBe(0);
  });

  it('a void while post-to-erp is in flight: the ERP gets the invoice and its reversal, each exactly once', async () => {
    const f = await createFixture(h.db);
    const order = await shippedOrder(
      h,
      f,
      [{ lines: [{ lineNo: 1, sku: 'valve', quantity: 10 }], freightCostMinor: 0 }],
      { freightTerms: 'prepaid' },
    );
    gates.hold(`erp:${f.customerId}`);
    const handle = await startInvoice(h, order);
    await gates.entered(`erp:${f.customerId}`); // the ERP post is in flight
    expect(stepOf(await h.waitForState(handle.workflowId, () => true), 'post-to-erp')?.status).toBe('running');

    const voided = await voidIt(handle.workflowId, 'wrong customer');
    expect(voided.statusCode).toBe(200);
    gates.release(`erp:${f.customerId}`);

    const final = await handle.result();
    expect(final.status).toBe('void');
    expect(stepOf(final, 'post-to-erp')?.status).toBe('completed');
    const { invoiceNumber, totalMinor } = await handle.query(getInvoice);
    const ledger = await h.db.erpReceivable.findMany({
      where: { invoiceNumber: invoiceNumber! },
      orderBy: { postedAt: 'asc' },
    });
    expect(ledger.map((e) => [e.kind, Number(e.amountMinor)])).toEqual([
      ['invoice', totalMinor],
      ['void', -totalMinor],
    ]);
    expect(await failedWorkflowTasks(handle)).toEqual([]);
  });

  it('a payment and a write-off before post-to-erp runs: the ERP gets the invoice too, and its balance is zero', async () => {
    const f = await createFixture(h.db);
    const order = await shippedOrder(
      h,
      f,
      [{ lines: [{ lineNo: 1, sku: 'valve', quantity: 10 }], freightCostMinor: 0 }],
      { freightTerms: 'prepaid' },
    );
    const invoiceId = invoiceIdFor(order.shipmentIds[0]!);
    gates.hold(`post:${invoiceId}`);
    const handle = await startInvoice(h, order);
    await gates.entered(`post:${invoiceId}`); // issued, not yet posted
    const { invoiceNumber, totalMinor } = await handle.query(getInvoice);
    expect((await pay(invoiceId, 1000, `WIRE-${f.tag}-early`)).statusCode).toBe(200);
    expect((await writeOff(invoiceId, 'customer insolvent')).statusCode).toBe(200);
    gates.release(`post:${invoiceId}`);

    const final = await handle.result();
    expect(final.status).toBe('written_off');
    expect(stepOf(final, 'post-to-erp')?.status).toBe('completed');
    const ledger = await h.db.erpReceivable.findMany({ where: { invoiceNumber: invoiceNumber! } });
    expect(ledger.map((e) => [e.kind, Number(e.amountMinor)]).sort()).toEqual(
      [
        ['invoice', totalMinor],
        ['payment', -1000],
        ['write_off', -(totalMinor - 1000)],
      ].sort(),
    );
    expect(ledger.reduce((sum, e) => sum + Number(e.amountMinor), 0)).toBe(0);
    expect(await failedWorkflowTasks(handle)).toEqual([]);
  });
});
