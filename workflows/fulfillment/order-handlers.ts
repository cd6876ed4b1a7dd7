/**
 * The order's updates from people: finance's credit decision, ops' hold and release, and a ship-to
 * change before the warehouse starts picking; and the rule that refuses a cancel. Each validator
 * refuses what the run cannot take; a handler refuses only with an ApplicationFailure.
 */
import { ApplicationFailure, condition, patched, proxyActivities, setHandler } from '@temporalio/workflow';
import type { Activities } from '../../activities/contract';
import type { CreditDecision } from '../../activities/fulfillment/types';
import { FAILURES } from '../../domain/failures';
import type { StepEngine } from '../engine/run-steps';
import { CREDIT_DECISION_INPUT } from './steps/credit-approval';
import { reserveStockStep } from './steps/reserve-stock';
import { validateOrderStep } from './steps/validate-order';
import { changeShipTo, creditDecision, holdOrder, type HoldRequest, type ShipToChange, releaseOrder } from './messages';
import { ORDER_PATCHES, type OrderRun } from './order-run';

const { replanShipments } = proxyActivities<Pick<Activities, 'replanShipments'>>({ startToCloseTimeout: '1 minute' });

/** Why the order cannot be cancelled now, if it cannot: something shipped, or a credit decision is being applied. */
export function cancellationRefusal(
  engine: StepEngine,
  shipmentStatus: ReadonlyMap<string, string>,
): string | undefined {
  if ([...shipmentStatus.values()].some((s) => s === 'shipped' || s === 'delivered'))
    return 'order has shipped: create a return instead of cancelling';
  // One wins: a decision being applied finishes first (its answer is then the order's state).
  const approval = engine.state.steps.find((s) => s.name === 'credit-approval');
  if (approval?.status === 'running' || (approval?.status === 'waiting' && engine.hasInput(CREDIT_DECISION_INPUT)))
    return 'a credit decision is being applied: cancel once it is done';
  return undefined;
}

/** `creditDecision`: finance approves or rejects an order waiting on credit hold; answered once it is applied. */
export function handleCreditDecision({ engine, workflowId }: OrderRun): void {
  setHandler(
    creditDecision,
    async (decision: CreditDecision) => {
      engine.provideInput(CREDIT_DECISION_INPUT, decision);
      const approval = () => engine.state.steps.find((s) => s.name === 'credit-approval');
      const isSettled = () => !['waiting', 'running'].includes(approval()?.status ?? 'waiting');
      // Only an ApplicationFailure may refuse: the engine's own wait threw its internal error when the
      // order was cancelled meanwhile, which failed the workflow task on every replay. Behind patched:
      // runs recorded before answered through that wait.
      if (!patched(ORDER_PATCHES.creditDecisionRefusesOnCancel)) {
        await engine.waitUntil(isSettled);
        return engine.state;
      }
      await condition(() => isSettled() || engine.isCancelling || engine.isFinished);
      if (['completed', 'failed'].includes(approval()?.status ?? '')) return engine.state; // applied: approved, or rejected
      throw ApplicationFailure.create({
        nonRetryable: true,
        message: `order ${workflowId} is being cancelled (${engine.cancellationReason ?? engine.state.status}): the credit decision was not applied`,
      });
    },
    {
      validator: (decision: CreditDecision) => {
        if (engine.isCancelPending)
          throw new Error(
            `order is being cancelled (${engine.cancellationReason ?? 'checking'}): no credit decision is taken any more`,
          );
        if (!engine.waitingFor(CREDIT_DECISION_INPUT))
          throw new Error(`order is ${engine.state.status}, not waiting for a credit decision`);
        if (!['approve', 'reject'].includes(decision.decision)) throw new Error('decision must be approve or reject');
        if (!decision.reason?.trim()) throw new Error('reason is required');
      },
    },
  );
}

/** `holdOrder` / `releaseOrder`: ops stop the order before its next step, and let it go on. */
export function handleHolds({ engine }: OrderRun): void {
  setHandler(
    holdOrder,
    async (request: HoldRequest) => {
      await engine.hold(request.reason, request.actor);
      return engine.state;
    },
    {
      validator: (request: HoldRequest) => {
        if (!request.reason?.trim()) throw new Error('reason is required to hold an order');
        if (engine.state.hold) throw new Error('order is already on hold');
        if (['fulfilled', 'cancelled', 'rejected'].includes(engine.state.status))
          throw new Error(`order is ${engine.state.status}`);
      },
    },
  );
  setHandler(
    releaseOrder,
    async (request: { actor: string; reason?: string }) => {
      await engine.release(request.actor, request.reason);
      return engine.state;
    },
    {
      validator: (_request: { actor: string; reason?: string }) => {
        if (!engine.state.hold) throw new Error('order is not on hold');
      },
    },
  );
}

/** `changeShipTo`: a new delivery address until shipments are released to the warehouse; a reservation is re-planned. */
export function handleShipToChange({ engine, event }: OrderRun, shipmentStatus: ReadonlyMap<string, string>): void {
  setHandler(
    changeShipTo,
    async (change: ShipToChange) => {
      event.shipTo = change.shipTo; // later steps and shipments read the order's event
      await engine.note('ship_to_changed', change.actor, change.reason);
      if (engine.state.results['reserve-stock'])
        engine.state.results['reserve-stock'] = await replanShipments(
          engine.inputFor('replan-shipments', [validateOrderStep, reserveStockStep]),
        );
      return engine.state;
    },
    {
      validator: (change: ShipToChange) => {
        if (!change.reason?.trim()) throw new Error('reason is required to change the ship-to address');
        if (['fulfilled', 'cancelled', 'rejected'].includes(engine.state.status))
          throw new Error(`order is ${engine.state.status}`);
        if (shipmentStatus.size > 0) {
          throw ApplicationFailure.create({
            type: FAILURES.BusinessRule.type,
            nonRetryable: true,
            message:
              'shipments are already released to the warehouse for picking: the ship-to can only change before that (hold the order first)',
          });
        }
      },
    },
  );
}
