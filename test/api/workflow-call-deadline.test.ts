/**
 * Every update the API sends a workflow has a deadline: with no worker to run the update, the API
 * answers 504 problem+json naming the workflow and its run (never hangs, never a 500), and the call is
 * on the ops work queue (GET /v1/timed-out-calls) until someone looks at the run.
 */
import { useHarness } from '../support/harness';
import { createFixture } from '../../fixtures/master-data';
import { shippedOrder, startInvoice } from '../../fixtures/billing';
import { problemType } from '../../api/problems';

const DEADLINE_MS = 3_000;

const h = useHarness({ workflowCallTimeoutMs: DEADLINE_MS });

describe('workflow call deadlines', () => {
  it('answers 504 with the workflow and run id when the run cannot answer a void in time, and lists the call for ops', async () => {
    const f = await createFixture(h.db);
    const order = await shippedOrder(
      h,
      f,
      [{ lines: [{ lineNo: 1, sku: 'valve', quantity: 2 }], freightCostMinor: 0 }],
      { freightTerms: 'prepaid' },
    );
    const handle = await startInvoice(h, order);
    await h.waitForState(handle.workflowId, (s) => s.status === 'sent');
    const { runId } = await handle.describe();

    await h.stopWorker();
    try {
      const res = await h.app.inject({
        method: 'POST',
        url: `/v1/invoices/${handle.workflowId}/void`,
        payload: { reason: 'entered twice' },
      });
      expect(res.statusCode).toBe(504);
      expect(res.headers['content-type']).toContain('application/problem+json');
      const body = res.json();
      expect(body).toMatchObject({
        type: problemType('gatewayTimeout'),
        status: 504,
        workflowId: handle.workflowId,
        runId,
        call: 'update',
        name: 'voidInvoice',
        deadlineMs: DEADLINE_MS,
      });
      expect(body.detail).toContain(
        `${handle.workflowId} (run ${runId}) did not answer update voidInvoice within ${DEADLINE_MS} ms`,
      );

      // Ops find the run: the call that timed out, by workflow id (and in the unfiltered queue).
      const ops = await h.apiKey('ops');
      const queue = await h.app.inject({
        method: 'GET',
        url: `/v1/timed-out-calls?workflowId=${handle.workflowId}`,
        headers: { authorization: `Bearer ${ops}` },
      });
      expect(queue.statusCode).toBe(200);
      expect(queue.json().items).toEqual([
        expect.objectContaining({
          workflowId: handle.workflowId,
          runId,
          call: 'update',
          name: 'voidInvoice',
          request: `POST /v1/invoices/${handle.workflowId}/void`,
          deadlineMs: DEADLINE_MS,
        }),
      ]);
      expect((queue.json().items[0].actor as string).startsWith('admin:')).toBe(true);
      const all = await h.app.inject({
        method: 'GET',
        url: '/v1/timed-out-calls?limit=200',
        headers: { authorization: `Bearer ${ops}` },
      });
      expect(all.json().items.map((i: { workflowId: string }) => i.workflowId)).toContain(handle.workflowId);
    } finally {
      await h.startWorker();
    }
    // The run itself is fine: once a worker is back it answers again (the void may or may not have landed).
    const state = await h.waitForState(handle.workflowId, () => true);
    expect(['sent', 'void']).toContain(state.status);
  });

  it('refuses a crm key on the work queue (ops and finance only)', async () => {
    const crm = await h.apiKey('crm');
    const res = await h.app.inject({
      method: 'GET',
      url: '/v1/timed-out-calls',
      headers: { authorization: `Bearer ${crm}` },
    });
    expect(res.statusCode).toBe(403);
  });
});
