/**
 * Issue 11, every effect once: an advance ship notice whose step was cancelled before it went out must
 * not reach the customer later, when an attempt the server timed out finishes on a slow worker. The
 * compensation claims the notice's outbox key as withdrawn; the late attempt then sends nothing.
 */
import { useHarness } from '../support/harness';
import { placeOrder, stepOf } from '../support/flows';
import { realActivityDeps } from '../support/real-activities';
import { createFixture } from '../../fixtures/master-data';
import { sendAsn } from '../../activities/shipping/send-asn';
import type { StepInput } from '../../activities/contract';
import { FAILURES } from '../../domain/failures';
import { decideStep } from '../../workflows/engine/messages';

const h = useHarness();

it('withdraws a notice cancelled before it went out: a late attempt of it sends nothing', async () => {
  let asnInput: StepInput | undefined;
  await h.stopWorker();
  await h.startWorker({
    sendAsn: (async (input: StepInput) => {
      asnInput = input;
      throw new Error('mail relay down');
    }) as (...args: never[]) => Promise<unknown>,
  });
  const f = await createFixture(h.db);
  const orderId = await placeOrder(h, f);
  const shipmentId = `${orderId}-S1`;
  await h.waitForState(shipmentId, (s) => stepOf(s, 'send-asn')?.status === 'needs_attention', 90_000);

  await h.stopWorker();
  await h.startWorker({});
  await h.temporal.workflow.getHandle(shipmentId).executeUpdate(decideStep, {
    args: [{ step: 'send-asn', action: 'cancel', reason: 'customer withdrew the PO', actor: 'ops:alice' }],
  });
  const cancelled = await h.waitForState(shipmentId, (s) => s.status === 'cancelled');
  expect(stepOf(cancelled, 'send-asn')?.status).toBe('compensated');

  const deps = realActivityDeps(h);
  try {
    await expect(sendAsn(deps, asnInput!)).rejects.toMatchObject({
      type: FAILURES.EffectCompensated.type,
      nonRetryable: true,
    });
  } finally {
    deps.mail.close();
  }
  const row = await h.db.outboundEmail.findUniqueOrThrow({ where: { idempotencyKey: asnInput!.idempotencyKey } });
  expect(row.status).toBe('withdrawn');
  expect(h.mail.messages().filter((m) => m.messageId === row.messageId)).toEqual([]);
  // Nothing went out, so nobody is told to disregard it either.
  expect(await h.db.outboundEmail.count({ where: { idempotencyKey: `${asnInput!.idempotencyKey}:cancelled` } })).toBe(
    0,
  );
});
