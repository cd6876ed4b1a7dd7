import { Context } from '@temporalio/activity';
import { useHarness } from '../support/harness';
import { createFixture } from '../../fixtures/master-data';
import { orderIdForDeal } from '../../domain/closed-won';

const h = useHarness();

describe('worker restart mid-workflow', () => {
  it('completes the order once (one row, one e-mail) when the worker stops in the middle of a step', async () => {
    await h.stopWorker();
    let signalStarted: () => void = () => undefined;
    const stepStarted = new Promise<void>((resolve) => (signalStarted = resolve));
    // The first worker hangs inside the e-mail step until it is shut down, like a worker that dies there.
    await h.startWorker({
      sendOrderReceivedEmail: async () => {
        signalStarted();
        await Context.current().cancelled;
        return {};
      },
    });

    const event = (await createFixture(h.db)).event();
    const orderId = orderIdForDeal(event.dealId);
    expect((await h.app.inject({ method: 'POST', url: '/v1/events/closed-won', payload: event })).statusCode).toBe(202);
    await stepStarted;
    expect(await h.db.order.count({ where: { id: orderId } })).toBe(1);

    await h.stopWorker();
    await h.startWorker({}); // a fresh worker with the real activities picks the workflow up from its history

    const state = await h.waitForState(orderId, (s) => s.status === 'shipped');
    expect(state.steps.find((s) => s.name === 'send-order-received')).toMatchObject({ status: 'completed', rounds: 1 });
    expect(await h.db.order.count({ where: { dealId: event.dealId } })).toBe(1);
    const receivedMail = (m: { subject?: string }) =>
      m.subject?.startsWith('We received your order') === true && m.subject.includes(orderId);
    await h.mail.waitFor(receivedMail);
    await new Promise((r) => setTimeout(r, 1000));
    expect(h.mail.messages().filter(receivedMail)).toHaveLength(1);
    expect(await h.db.outboundEmail.count({ where: { orderId, template: 'order-received' } })).toBe(1);
  });
});
