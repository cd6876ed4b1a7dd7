import { useHarness } from '../support/harness';
import { createFixture } from '../../fixtures/master-data';
import { refusal, stepOf } from '../support/flows';
import { deliveredInvoicedOrder, startReturn } from '../support/returns';
import { approveReturn, receiveReturn } from '../../workflows/returns/messages';

const h = useHarness();

const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString();

describe('return requests the policy refuses, and returns that need ops', () => {
  it('refuses a return requested after the 30-day window, naming the dates and the last day', async () => {
    const f = await createFixture(h.db);
    const order = await deliveredInvoicedOrder(h, f, daysAgo(40));
    const handle = await startReturn(h, order, [{ sku: f.sku.valve, quantity: 1, reasonCode: 'NOT_NEEDED' }]);
    const final = await handle.result();
    expect(final.status).toBe('rejected');
    const delivered = daysAgo(40).slice(0, 10);
    expect(final.cancelReason).toContain(`is 40 days after delivery on ${delivered}; the return window is 30 days`);
    expect(stepOf(final, 'check-return')).toMatchObject({ status: 'failed' });
    expect(stepOf(final, 'book-return-label')?.status).toBe('cancelled');
    const row = await h.db.returnRequest.findUniqueOrThrow({ where: { id: handle.workflowId } });
    expect(row).toMatchObject({ status: 'rejected', decision: 'refused' });
    expect(row.rejectionErrors).toEqual([expect.objectContaining({ line: null, field: 'requestedDate' })]);
  });

  it('waits for ops above the auto-approval limit, counts it as returned meanwhile, and proceeds after approveReturn', async () => {
    const f = await createFixture(h.db);
    const order = await deliveredInvoicedOrder(h, f);
    // 200 valves x 21.50 = 4 300.00 > 500.00: needs approval.
    const big = await startReturn(h, order, [{ sku: f.sku.valve, quantity: 200, reasonCode: 'WRONG_ITEM' }], { n: 1 });
    const waiting = await h.waitForState(big.workflowId, (s) => stepOf(s, 'approve-return')?.status === 'waiting');
    expect(waiting.status).toBe('pending_approval');
    expect(stepOf(waiting, 'approve-return')?.slaDeadline).toBeDefined();
    expect(
      await refusal(
        big.executeUpdate(receiveReturn, {
          args: [{ warehouseId: order.warehouseId, receivedAt: new Date().toISOString() }],
        }),
      ),
    ).toContain('not awaiting receipt');

    // 240 delivered, 200 claimed by the pending return: 50 more is refused, naming the figures.
    const more = await startReturn(h, order, [{ sku: f.sku.valve, quantity: 50, reasonCode: 'NOT_NEEDED' }], { n: 2 });
    const refused = await more.result();
    expect(refused.status).toBe('rejected');
    expect(refused.cancelReason).toContain('line 1');
    expect(refused.cancelReason).toContain(
      'quantity 50 exceeds the 40 returnable (240 delivered, 200 already returned)',
    );

    expect(
      await refusal(
        big.executeUpdate(approveReturn, { args: [{ decision: 'approve', reason: ' ', actor: 'ops:kim' }] }),
      ),
    ).toContain('reason is required');
    const approved = await big.executeUpdate(approveReturn, {
      args: [{ decision: 'approve', reason: 'shipped the wrong valve size', actor: 'ops:kim' }],
    });
    expect(stepOf(approved, 'approve-return')?.status).toBe('completed');
    const labelled = await h.waitForState(big.workflowId, (s) => stepOf(s, 'await-receipt')?.status === 'waiting');
    expect(labelled.status).toBe('label_booked');
    expect(await h.db.returnRequest.findUniqueOrThrow({ where: { id: big.workflowId } })).toMatchObject({
      decision: 'approved',
      decidedBy: 'ops:kim',
      decisionReason: 'shipped the wrong valve size',
    });
  });

  it('ends rejected when ops reject a return that needed approval', async () => {
    const f = await createFixture(h.db);
    const order = await deliveredInvoicedOrder(h, f);
    const handle = await startReturn(h, order, [{ sku: f.sku.valve, quantity: 100, reasonCode: 'NOT_NEEDED' }]);
    await h.waitForState(handle.workflowId, (s) => stepOf(s, 'approve-return')?.status === 'waiting');
    await handle.executeUpdate(approveReturn, {
      args: [{ decision: 'reject', reason: 'custom configuration, not returnable', actor: 'ops:kim' }],
    });
    const final = await handle.result();
    expect(final.status).toBe('rejected');
    expect(final.cancelReason).toBe(
      `return ${handle.workflowId} rejected by ops:kim: custom configuration, not returnable`,
    );
  });
});
