import { useHarness } from '../support/harness';
import { placeOrder, stepOf } from '../support/flows';
import { createFixture } from '../../fixtures/master-data';
import type { RunState } from '../../workflows/engine/state';

const h = useHarness();

const failing = (message: string) => async (): Promise<never> => {
  throw new Error(message);
};

/** The fields a screen shows of each step; times to the second (the mirror's anchor may differ by ms). */
const shown = (s: RunState['steps'][number]) => ({
  name: s.name,
  status: s.status,
  rounds: s.rounds,
  lastError: s.lastError,
  slaBreached: s.slaBreached,
  startedAt: s.startedAt?.slice(0, 19),
  hasSlaDeadline: s.slaDeadline !== undefined,
});

describe('the order page reads PostgreSQL only', () => {
  it('shows a step stuck in needs_attention with its error and attempts while no worker runs, as the workflow holds them', async () => {
    await h.stopWorker();
    await h.startWorker({ createErpOrder: failing('ERP unavailable: 503') });
    const f = await createFixture(h.db);
    const orderId = await placeOrder(h, f);
    const live = await h.waitForState(orderId, (s) => stepOf(s, 'create-erp-order')?.status === 'needs_attention', 90_000);

    // No worker: a Temporal query would wait out its deadline and the page would show no steps.
    await h.stopWorker();
    try {
      // (A Temporal query here would time out and leave `workflow` null: the state below is the mirror's.)
      const response = await h.app.inject({ method: 'GET', url: `/v1/orders/${orderId}` });
      expect(response.statusCode).toBe(200);
      const view = response.json();
      expect(view).toMatchObject({ orderId, needsAttention: true, currentStep: 'create-erp-order', status: live.status });
      expect(view.workflow).toMatchObject({ id: orderId, status: live.status, currentStep: 'create-erp-order', needsAttention: true, slaBreached: false });
      expect(stepOf(view.workflow, 'create-erp-order')).toMatchObject({ status: 'needs_attention', rounds: 1, lastError: expect.stringContaining('ERP unavailable: 503') });
      expect(view.workflow.steps.map(shown)).toEqual(live.steps.map(shown));
      // Deadlines not yet breached are computed as the engine does, from the step's anchor and duration.
      for (const step of live.steps.filter((s) => s.slaDeadline)) {
        const mirrored = stepOf(view.workflow, step.name)!;
        expect(Math.abs(Date.parse(mirrored.slaDeadline!) - Date.parse(step.slaDeadline!))).toBeLessThan(5000);
      }
      // The ops timeline reads the same mirror.
      const timeline = (await h.app.inject({ method: 'GET', url: `/v1/orders/${orderId}/timeline` })).json();
      expect(timeline.runs[0]).toMatchObject({ runId: orderId, state: { currentStep: 'create-erp-order', needsAttention: true } });
      expect(stepOf(timeline.runs[0].state, 'create-erp-order')).toMatchObject({ status: 'needs_attention', lastError: expect.stringContaining('ERP unavailable: 503') });
    } finally {
      await h.startWorker();
    }
  });
});
