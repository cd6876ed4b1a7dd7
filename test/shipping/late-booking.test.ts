/**
 * Issue 11, every effect once: a carrier booking that lands after its shipment was cancelled (an
 * attempt the server timed out, still running on a slow worker) must not stay live at the carrier.
 * The compensation may have run before the booking existed, without a tracking number to cancel; the
 * late attempt has one, so it cancels the booking itself and refuses.
 */
import { useHarness } from '../support/harness';
import { awaitingDelivery, placeOrder } from '../support/flows';
import { realActivities, realActivityDeps, type RealActivities } from '../support/real-activities';
import { createFixture } from '../../fixtures/master-data';
import { createBuiltinAdapters } from '../../adapters/builtin';
import { createLogger } from '../../lib/logger';
import { bookCarrier } from '../../activities/shipping/book-carrier';
import type { ActivityDeps } from '../../activities/deps';
import type { StepInput } from '../../activities/contract';
import { FAILURES } from '../../domain/failures';

const h = useHarness();

it('cancels a booking that lands after its shipment was cancelled, and refuses', async () => {
  const { real, mail, close } = realActivities(h);
  const { settings } = realActivityDeps(h);
  let booked: StepInput | undefined;
  await h.stopWorker();
  await h.startWorker({
    bookCarrier: (async (input: StepInput) => {
      booked = input;
      return real.bookCarrier(input as Parameters<RealActivities['bookCarrier']>[0]);
    }) as (...args: never[]) => Promise<unknown>,
  });
  try {
    const f = await createFixture(h.db);
    const orderId = await placeOrder(h, f);
    await awaitingDelivery(h, `${orderId}-S1`);
    const shipmentId = `${orderId}-S1`;
    // The shipment is cancelled; a late attempt of its booking then lands.
    await h.db.shipment.update({ where: { id: shipmentId }, data: { status: 'cancelled' } });
    const adapters = createBuiltinAdapters(h.db);
    const cancels: { trackingNumber: string | null; key: string }[] = [];
    const tms = {
      ...adapters.tms,
      cancelBooking: async (request: { shipmentId: string; trackingNumber: string | null }, key: string) => {
        cancels.push({ trackingNumber: request.trackingNumber, key });
        return adapters.tms.cancelBooking(request, key);
      },
    };
    const deps: ActivityDeps = {
      db: h.db,
      mail,
      adapters: { ...adapters, tms },
      log: createLogger('silent'),
      settings,
    };
    const late = bookCarrier(deps, booked!);
    await expect(late).rejects.toMatchObject({ type: FAILURES.EffectCompensated.type, nonRetryable: true });
    const { trackingNumber } = await h.db.shipment.findUniqueOrThrow({ where: { id: shipmentId } });
    expect(cancels).toEqual([{ trackingNumber, key: `${booked!.idempotencyKey}:cancel` }]);
    expect(trackingNumber).toBeTruthy();
  } finally {
    close();
  }
});
