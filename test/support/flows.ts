/** Small helpers the fulfillment tests share. */
import { orderIdForDeal } from '../../domain/closed-won';
import type { RunState } from '../../workflows/engine/state';
import type { ProofOfDelivery } from '../../activities/shipping/types';
import { recordDelivery } from '../../workflows/shipping/messages';
import type { Fixture } from '../../fixtures/master-data';
import type { Harness } from './harness';

export const stepOf = (s: RunState, name: string) => s.steps.find((st) => st.name === name);

/** Resolves once the shipment waits for its proof of delivery. */
export const awaitingDelivery = (h: Harness, shipmentId: string) =>
  h.waitForState(shipmentId, (s) => stepOf(s, 'await-delivery')?.status === 'waiting');

/** Records proof of delivery through the shipment workflow's update (signed by Luis Ortega). */
export const deliverShipment = (
  h: Harness,
  shipmentId: string,
  options: { deliveredAt?: string; exceptions?: ProofOfDelivery['exceptions'] } = {},
) =>
  h.temporal.workflow.getHandle(shipmentId).executeUpdate(recordDelivery, {
    args: [
      {
        signer: 'Luis Ortega',
        deliveredAt: options.deliveredAt ?? new Date().toISOString(),
        exceptions: options.exceptions ?? [],
      },
    ],
  });

/** Posts the fixture's order through the API (expects 202) and returns its order id. */
export async function placeOrder(
  h: Harness,
  f: Fixture,
  overrides: Parameters<Fixture['event']>[0] = {},
): Promise<string> {
  const event = f.event(overrides);
  const res = await h.app.inject({ method: 'POST', url: '/v1/events/closed-won', payload: event });
  expect(res.statusCode).toBe(202);
  return orderIdForDeal(event.dealId);
}

/** The reason a workflow gave for refusing an update (validator message included). */
export async function refusal(update: Promise<unknown>): Promise<string> {
  try {
    await update;
  } catch (error) {
    const e = error as Error & { cause?: Error };
    return `${e.message}: ${e.cause?.message ?? ''}`;
  }
  throw new Error('expected the update to be refused');
}
