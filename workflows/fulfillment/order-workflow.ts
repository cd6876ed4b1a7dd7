/**
 * One order, from closed-won to fulfilled: FULFILLMENT_STEPS on the step engine (validation, credit,
 * reservation, ERP order, confirmation), then one child workflow per shipment, and more as backorders
 * are released by arriving receipts (shipment-pump.ts). Workflow id `order-<dealId>`: a deal never
 * becomes two orders.
 *
 * Billing hand-off (billing-handoff.ts): per the customer's `invoiceGrouping`, one invoice child per
 * shipment as it ships or is delivered, one consolidated invoice once every shipment is delivered, or
 * each billable shipment queued for the customer's billing-period workflow. Invoices run with
 * parent-close policy ABANDON (dunning outlives the order); the order ends `fulfilled` once they are
 * issued, not paid.
 *
 * Answers `getState`, `decideStep`, `cancelRun` (refused once anything shipped), `creditDecision`,
 * `holdOrder` / `releaseOrder`, `changeShipTo` (order-handlers.ts), and the `receiptArrived` /
 * `shipmentProgress` / `invoiceProgress` signals.
 */
import { patched, proxyActivities, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { Duration } from '@temporalio/common';
import type { ClosedWonEvent } from '../../domain/closed-won';
import type { Activities } from '../../activities/contract';
import type { RunState } from '../engine/state';
import { StepEngine } from '../engine/run-steps';
import { CustomerId } from '../shared/search-attributes';
import { BillingHandoff } from './billing-handoff';
import { cancellationRefusal, handleCreditDecision, handleHolds, handleShipToChange } from './order-handlers';
import { ORDER_PATCHES, ORDER_PATCHES_AT_START, type OrderRun } from './order-run';
import { ShipmentPump } from './shipment-pump';
import { FULFILLMENT_STEPS } from './steps';
import { reserveStockStep } from './steps/reserve-stock';
import { validateOrderStep } from './steps/validate-order';

const { getBillingSettings, claimCancellation } = proxyActivities<
  Pick<Activities, 'getBillingSettings' | 'claimCancellation'>
>({ startToCloseTimeout: '1 minute' });

export async function orderFulfillment(event: ClosedWonEvent): Promise<RunState> {
  const { workflowId, startTime } = workflowInfo();
  upsertSearchAttributes([{ key: CustomerId, value: event.customer.id }]);
  // Decided at the start, not where it is used (after a child ends): see StepEngine's patches. Runs
  // recorded before ignored a shipment that ended cancelled and went on to fulfilled.
  const cancelsLinesOfCancelledShipments = patched('cancelled-shipment-cancels-lines');
  // Likewise: runs recorded before compensated the order's steps while shipments were still being cancelled.
  const cancelWaitsForShipments = patched('cancel-waits-for-shipments');
  // Every patch asked further down is asked here first, before any transition record (StepEngine's
  // PATCHES_AT_FIRST_RECORD explains the hazard): 'billing-handoff' was first asked right after the last
  // step's record, and a run whose task a query ended at that record failed to replay. Runs started
  // before this patch ask each where it is used, as before.
  if (patched(ORDER_PATCHES_AT_START)) for (const name of Object.values(ORDER_PATCHES)) patched(name);
  const shipmentStatus = new Map<string, string>();
  const engine: StepEngine = new StepEngine({
    context: { kind: 'order', id: workflowId, orderId: workflowId, event, createdAt: startTime.toISOString() },
    steps: FULFILLMENT_STEPS,
    slaOverrides: (): Record<string, Duration | undefined> =>
      (engine.resultOf(validateOrderStep)?.stepDurations as Record<string, Duration> | undefined) ?? {},
    cancellationRefusal: () => cancellationRefusal(engine, shipmentStatus),
    // The stored shipments know before the workflow does (confirm-shipment marks one shipped, then fails on the e-mail).
    cancellationCheck: () => claimCancellation({ orderId: workflowId }),
  });
  const run: OrderRun = { workflowId, event, engine };

  // Every handler is registered before the first await, in this order (buffered messages are
  // delivered as each is registered).
  handleCreditDecision(run);
  handleHolds(run);
  handleShipToChange(run, shipmentStatus);
  const shipments = new ShipmentPump(
    run,
    shipmentStatus,
    (id, status) => billing.billShipment(id, status),
    cancelsLinesOfCancelledShipments,
  );
  const billing = new BillingHandoff(run);

  const outcome = await engine.run(
    patched('fulfillment-shipments') ? () => shipAndBill(run, shipments, billing, cancelWaitsForShipments) : undefined,
  );
  // An order some of whose lines were cancelled with their shipment is not fulfilled: it says how it ended.
  if (outcome === 'completed') await engine.setStatus(shipments.fulfillmentStatus());
  return engine.state;
}

/**
 * The order's run loop after its steps: start the planned shipments, pump their progress and release
 * backorders until every shipment ended, then bill what is left and wait for the invoices to be issued.
 * Every await of the run's commands sits here or in a method awaited here, as when this was one closure.
 */
async function shipAndBill(
  run: OrderRun,
  shipments: ShipmentPump,
  billing: BillingHandoff,
  cancelWaitsForShipments: boolean,
): Promise<void> {
  const { engine, event } = run;
  const reservation = engine.resultOf(reserveStockStep)!;
  const order = engine.resultOf(validateOrderStep)!;
  // Added after orders were running: orders recorded before billing existed replay without it.
  billing.begin(order, patched(ORDER_PATCHES.billingHandoff) ? await getBillingSettings(event.customer.id) : undefined);
  shipments.begin(order);
  for (const plan of reservation.shipments) await shipments.startShipment(plan);
  await engine.setStatus(reservation.backorders.length > 0 ? 'partially_released' : 'in_fulfillment');

  try {
    await shipments.untilAllEnded(reservation.backorders.length);
  } catch (error) {
    // The order's compensations (release the reservation) must not race a shipment still picking
    // against it: every started shipment is being cancelled too, and ends first.
    if (cancelWaitsForShipments) await shipments.allSettled();
    throw error;
  }
  if (shipments.cancelledShipments.length === 0) await engine.setStatus('delivered');
  if (billing.isBilling) {
    // Everything is delivered: bill what the pump did not get to (per shipment), or the whole order.
    for (const bill of billing.billsForDelivered(shipments.deliveredIds())) await bill();
    await engine.waitUntil(() => billing.areInvoicesIssued);
  }
}
