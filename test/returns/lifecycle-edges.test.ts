import { Worker } from '@temporalio/worker';
import { temporal } from '@temporalio/proto';
import { env, useHarness } from '../support/harness';
import { splitTaskAfterFirstLocalActivity } from '../support/history-split';
import { createFixture } from '../../fixtures/master-data';
import { refusal, stepOf } from '../support/flows';
import { deliveredInvoicedOrder, startReturn } from '../support/returns';
import { inspectReturn, receiveReturn } from '../../workflows/returns/messages';
import { cancelRun, getState } from '../../workflows/engine/messages';

const h = useHarness();

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('returns: SLA, cancellation and concurrent requests', () => {
  it('tells ops once when an inspection misses its SLA, and still credits the return once it is inspected', async () => {
    // The customer's SLA profile gives inspection 2 s instead of 5 days.
    const f = await createFixture(h.db, { stepDurations: { 'inspect-return': '2s' } });
    const order = await deliveredInvoicedOrder(h, f);
    const handle = await startReturn(h, order, [{ sku: f.sku.valve, quantity: 2, reasonCode: 'DAMAGED' }]);
    const returnId = handle.workflowId;
    await h.waitForState(returnId, (s) => stepOf(s, 'await-receipt')?.status === 'waiting');
    await handle.executeUpdate(receiveReturn, {
      args: [{ warehouseId: order.warehouseId, receivedAt: new Date().toISOString() }],
    });

    const breached = await h.waitForState(returnId, (s) => stepOf(s, 'inspect-return')?.slaBreached === true, 15_000);
    expect(stepOf(breached, 'inspect-return')?.status).toBe('waiting');
    expect(breached.slaBreached).toBe(true);
    const [mail] = await h.mail.waitFor(
      (m) => m.subject === `SLA breached: ${returnId} (order ${order.orderId}) step inspect-return`,
    );
    expect(mail!.text).toContain(`/v1/returns/${returnId}`);
    expect(await h.db.slaBreach.findMany({ where: { runId: returnId } })).toEqual([
      expect.objectContaining({
        runKind: 'return',
        step: 'inspect-return',
        action: 'notify-ops',
        orderId: order.orderId,
      }),
    ]);

    await handle.executeUpdate(inspectReturn, {
      args: [{ actor: 'ops:kim', lines: [{ lineNo: 1, restock: 2, scrap: 0 }] }],
    });
    const done = await handle.result();
    expect(done.status).toBe('completed');
    expect(stepOf(done, 'inspect-return')).toMatchObject({ status: 'completed', slaBreached: true });
    await sleep(500);
    expect(
      await h.db.outboundEmail.count({ where: { orderId: order.orderId, template: 'sla-breach-notify-ops' } }),
    ).toBe(1);
  });

  it('cancels a return before the goods arrive: nothing was credited and the quantity is returnable again', async () => {
    const f = await createFixture(h.db);
    const order = await deliveredInvoicedOrder(h, f);
    const first = await startReturn(h, order, [{ sku: f.sku.valve, quantity: 10, reasonCode: 'NOT_NEEDED' }], { n: 1 });
    await h.waitForState(first.workflowId, (s) => stepOf(s, 'await-receipt')?.status === 'waiting');
    expect(await refusal(first.executeUpdate(cancelRun, { args: [{ reason: ' ', actor: 'ops:kim' }] }))).toContain(
      'reason',
    );
    const cancelled = await first.executeUpdate(cancelRun, {
      args: [{ reason: 'customer keeps the valves', actor: 'ops:kim' }],
    });
    expect(['cancelling', 'cancelled']).toContain(cancelled.status);
    const final = await first.result();
    expect(final.status).toBe('cancelled');
    expect(stepOf(final, 'inspect-return')?.status).not.toBe('completed');
    expect(await h.db.creditMemo.count({ where: { returnId: first.workflowId } })).toBe(0);
    expect((await h.db.returnRequest.findUniqueOrThrow({ where: { id: first.workflowId } })).status).toBe('cancelled');

    // The cancelled return no longer counts: all 240 valves can be returned again.
    const again = await startReturn(h, order, [{ sku: f.sku.valve, quantity: 20, reasonCode: 'NOT_NEEDED' }], { n: 2 });
    const checked = await h.waitForState(again.workflowId, (s) =>
      ['completed', 'failed'].includes(stepOf(s, 'check-return')?.status ?? ''),
    );
    expect(stepOf(checked, 'check-return')?.status).toBe('completed');

    // The order's unified view (and the customer's) shows both returns with their status.
    const view = (await h.app.inject({ method: 'GET', url: `/v1/orders/${order.orderId}` })).json();
    expect(view.returns.map((r: { returnId: string; status: string }) => [r.returnId, r.status])).toEqual([
      [first.workflowId, 'cancelled'],
      [again.workflowId, expect.any(String)],
    ]);
    expect(view.returns[0]).toMatchObject({
      lines: [{ sku: f.sku.valve, quantity: 10, reasonCode: 'NOT_NEEDED', lotId: null }],
      creditMemo: null,
    });
    const customer = (await h.app.inject({ method: 'GET', url: `/v1/customers/${f.customerId}/orders` })).json();
    expect(customer.items[0].returns.map((r: { returnId: string }) => r.returnId)).toEqual([
      first.workflowId,
      again.workflowId,
    ]);
    await again.executeUpdate(cancelRun, { args: [{ reason: 'test done', actor: 'ops:kim' }] });
  });

  it('never accepts two simultaneous returns that together exceed what was delivered', async () => {
    const f = await createFixture(h.db);
    const order = await deliveredInvoicedOrder(h, f);
    // 240 valves delivered; two requests for 200 each arrive at the same moment.
    const [a, b] = await Promise.all([
      startReturn(h, order, [{ sku: f.sku.valve, quantity: 200, reasonCode: 'WRONG_ITEM' }], { n: 1 }),
      startReturn(h, order, [{ sku: f.sku.valve, quantity: 200, reasonCode: 'WRONG_ITEM' }], { n: 2 }),
    ]);
    // A refused request's reason is set as its run ends rejected, just after the step reads failed.
    const checked = (id: string) =>
      h.waitForState(id, (s) => stepOf(s, 'check-return')?.status === 'completed' || s.status === 'rejected');
    const outcomes = await Promise.all([checked(a.workflowId), checked(b.workflowId)]);
    const accepted = outcomes.filter((s) => stepOf(s, 'check-return')?.status === 'completed');
    // Checks of one order run one at a time: exactly one passes, the other is refused with the reason.
    expect(accepted).toHaveLength(1);
    const refused = outcomes.filter((s) => s.status === 'rejected');
    expect(refused).toHaveLength(1);
    expect(stepOf(refused[0]!, 'check-return')?.status).toBe('failed');
    expect(refused[0]!.cancelReason).toContain(
      'quantity 200 exceeds the 40 returnable (240 delivered, 200 already returned)',
    );
    const rows = await h.db.returnLine.findMany({
      where: { returnRequest: { orderId: order.orderId, status: { notIn: ['rejected', 'cancelled'] } } },
    });
    expect(rows.reduce((sum, r) => sum + r.quantity, 0)).toBeLessThanOrEqual(240);

    // Never stuck: a refused return has ended rejected and still answers queries once closed (a replay).
    // A query answered while a run's first transition record finished used to make its replays fail
    // ("stuck at requested"); the split history replays that layout whatever the timing was here.
    for (const handle of [a, b]) {
      if (outcomes.find((s) => s.id === handle.workflowId)!.status === 'rejected') {
        expect((await handle.result()).status).toBe('rejected');
        expect((await handle.query(getState)).status).toBe('rejected');
      }
      const history = await handle.fetchHistory();
      for (const replayed of [
        history,
        temporal.api.history.v1.History.fromObject(splitTaskAfterFirstLocalActivity(history)),
      ]) {
        const results = Worker.runReplayHistories(
          { workflowBundle: { codePath: env('CLOSEDLOOP_TEST_WORKFLOW_BUNDLE') } },
          [{ workflowId: handle.workflowId, history: replayed }],
        );
        for await (const result of results) expect(result.error).toBeUndefined();
      }
    }
    for (const s of accepted)
      await h.temporal.workflow
        .getHandle(s.id)
        .executeUpdate(cancelRun, { args: [{ reason: 'test done', actor: 'ops:kim' }] })
        .catch(() => undefined);
  });
});
