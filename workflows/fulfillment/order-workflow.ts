/**
 * One order, from closed-won to fulfilled: FULFILLMENT_STEPS on the step engine (validation, credit,
 * reservation, ERP order, confirmation), then one child workflow per shipment, and more as backorders
 * are released by arriving receipts. Workflow id `order-<dealId>`: a deal never becomes two orders.
 *
 * Billing hand-off (`billing-handoff`): per the customer's `invoiceGrouping`, one invoice child per
 * shipment as it ships or is delivered (`billOn`), one consolidated invoice once every shipment is
 * delivered, or (`period-billing`) each billable shipment queued for the customer's billing-period
 * workflow, which invoices the period when it closes (the order does not wait for that). Invoices run with parent-close policy ABANDON (dunning outlives the order); the order
 * ends `fulfilled` once they are issued, not paid.
 *
 * Answers `getState`, `decideStep`, `cancelRun` (refused once anything shipped), `creditDecision`,
 * `holdOrder` / `releaseOrder`, and the `receiptArrived` / `shipmentProgress` / `invoiceProgress` signals.
 */
import { ApplicationFailure, condition, ParentClosePolicy, patched, proxyActivities, setHandler, startChild, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError, type Duration } from '@temporalio/common';
import type { ClosedWonEvent } from '../../domain/closed-won';
import { FAILURES } from '../../domain/failures';
import type { Activities } from '../../activities/contract';
import type { CreditDecision, ShipmentPlan, ValidatedOrder } from '../../activities/fulfillment/types';
import type { RunState } from '../engine/state';
import { StepEngine } from '../engine/run-steps';
import { CustomerId } from '../shared/search-attributes';
import { shipmentFulfillment } from '../shipping/shipment-workflow';
import { invoiceLifecycle } from '../billing/invoice-workflow';
import { billingPeriodInvoicing } from '../billing/period-workflow';
import { invoiceProgress } from '../billing/messages';
import { billingPeriodIdFor, invoiceIdFor } from '../ids';
import { FULFILLMENT_STEPS } from './steps';
import { CREDIT_DECISION_INPUT } from './steps/credit-approval';
import { reserveStockStep } from './steps/reserve-stock';
import { validateOrderStep } from './steps/validate-order';
import { changeShipTo, creditDecision, holdOrder, type HoldRequest, type ShipToChange, receiptArrived, releaseOrder, shipmentProgress } from './messages';

const { releaseBackorders, getBillingSettings, replanShipments, queuePeriodBilling, claimCancellation, cancelShipmentLines } = proxyActivities<
  Pick<Activities, 'releaseBackorders' | 'getBillingSettings' | 'replanShipments' | 'queuePeriodBilling' | 'claimCancellation' | 'cancelShipmentLines'>
>({ startToCloseTimeout: '1 minute' });

/** Asks ORDER_PATCHES at the start of the run (see orderFulfillment). */
const ORDER_PATCHES_AT_START = 'order-patches-at-start';
/** The order's own patches that are asked after its start, where a transition record may precede them. */
const ORDER_PATCHES = {
  creditDecisionRefusesOnCancel: 'credit-decision-refuses-on-cancel',
  billingHandoff: 'billing-handoff',
  periodBilling: 'period-billing',
  releasedShipmentsWaitForHold: 'released-shipments-wait-for-hold',
} as const;

const pricesOf = (order: ValidatedOrder) => order.lines.map((l) => ({ lineNo: l.lineNo, sku: l.sku, unitPriceMinor: l.unitPriceMinor }));

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
    slaOverrides: (): Record<string, Duration | undefined> => (engine.resultOf(validateOrderStep)?.stepDurations as Record<string, Duration> | undefined) ?? {},
    cancellationRefusal: () => {
      if ([...shipmentStatus.values()].some((s) => s === 'shipped' || s === 'delivered')) return 'order has shipped: create a return instead of cancelling';
      // One wins: a decision being applied finishes first (its answer is then the order's state).
      const approval = engine.state.steps.find((s) => s.name === 'credit-approval');
      if (approval?.status === 'running' || (approval?.status === 'waiting' && engine.hasInput(CREDIT_DECISION_INPUT))) return 'a credit decision is being applied: cancel once it is done';
      return undefined;
    },
    // The stored shipments know before the workflow does (confirm-shipment marks one shipped, then fails on the e-mail).
    cancellationCheck: () => claimCancellation({ orderId: workflowId }),
  });

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
        if (engine.isCancelPending) throw new Error(`order is being cancelled (${engine.cancellationReason ?? 'checking'}): no credit decision is taken any more`);
        if (!engine.waitingFor(CREDIT_DECISION_INPUT)) throw new Error(`order is ${engine.state.status}, not waiting for a credit decision`);
        if (!['approve', 'reject'].includes(decision.decision)) throw new Error('decision must be approve or reject');
        if (!decision.reason?.trim()) throw new Error('reason is required');
      },
    },
  );
  setHandler(holdOrder, async (request: HoldRequest) => {
    await engine.hold(request.reason, request.actor);
    return engine.state;
  }, {
    validator: (request: HoldRequest) => {
      if (!request.reason?.trim()) throw new Error('reason is required to hold an order');
      if (engine.state.hold) throw new Error('order is already on hold');
      if (['fulfilled', 'cancelled', 'rejected'].includes(engine.state.status)) throw new Error(`order is ${engine.state.status}`);
    },
  });
  setHandler(releaseOrder, async (request: { actor: string; reason?: string }) => {
    await engine.release(request.actor, request.reason);
    return engine.state;
  }, {
    validator: (_request: { actor: string; reason?: string }) => {
      if (!engine.state.hold) throw new Error('order is not on hold');
    },
  });

  setHandler(
    changeShipTo,
    async (change: ShipToChange) => {
      event.shipTo = change.shipTo; // later steps and shipments read the order's event
      await engine.note('ship_to_changed', change.actor, change.reason);
      if (engine.state.results['reserve-stock']) engine.state.results['reserve-stock'] = await replanShipments(engine.inputFor('replan-shipments', [validateOrderStep, reserveStockStep]));
      return engine.state;
    },
    {
      validator: (change: ShipToChange) => {
        if (!change.reason?.trim()) throw new Error('reason is required to change the ship-to address');
        if (['fulfilled', 'cancelled', 'rejected'].includes(engine.state.status)) throw new Error(`order is ${engine.state.status}`);
        if (shipmentStatus.size > 0) {
          throw ApplicationFailure.create({
            type: FAILURES.BusinessRule.type,
            nonRetryable: true,
            message: 'shipments are already released to the warehouse for picking: the ship-to can only change before that (hold the order first)',
          });
        }
      },
    },
  );

  let receiptsSeen = 0;
  setHandler(receiptArrived, () => void (receiptsSeen += 1));
  const progress: { shipmentId: string; status: string }[] = [];
  setHandler(shipmentProgress, (p) => void progress.push(p));
  // Invoices started by this order, by id: 'started' until the invoice tells us it was issued (or voided).
  const invoiceStatus = new Map<string, string>();
  setHandler(invoiceProgress, (p) => void (invoiceStatus.has(p.invoiceId) && invoiceStatus.set(p.invoiceId, p.status)));

  // Shipments cancelled (or rejected) on their own while the order went on: their lines are cancelled.
  const cancelledShipments: string[] = [];
  let deliveredShipments = 0;

  const shipAll = async () => {
    const reservation = engine.resultOf(reserveStockStep)!;
    const order = engine.resultOf(validateOrderStep)!;
    const children: Promise<RunState>[] = [];
    const finalStatus = new Map<string, string>();
    // Added after orders were running: orders recorded before billing existed replay without it.
    const billing = patched(ORDER_PATCHES.billingHandoff) ? await getBillingSettings(event.customer.id) : undefined;
    const invoiced = new Set<string>();
    const startInvoice = async (invoiceId: string, shipmentIds: string[]) => {
      shipmentIds.forEach((id) => invoiced.add(id));
      invoiceStatus.set(invoiceId, 'started');
      await startChild(invoiceLifecycle, {
        workflowId: invoiceId,
        args: [{
          orderId: workflowId,
          event,
          shipmentIds,
          prices: pricesOf(order),
          paymentTerms: order.paymentTerms,
        }],
        // Dunning runs for weeks after the order is fulfilled.
        parentClosePolicy: ParentClosePolicy.ABANDON,
      });
    };
    // Per period: billable shipments wait in the customer's queue for the period's close.
    let isPeriodRunEnsured = false;
    const queueForPeriod = async (shipmentIds: string[]) => {
      const fresh = shipmentIds.filter((id) => !invoiced.has(id));
      if (fresh.length === 0) return;
      fresh.forEach((id) => invoiced.add(id));
      await queuePeriodBilling({ customerId: event.customer.id, orderId: workflowId, event, prices: pricesOf(order), paymentTerms: order.paymentTerms, shipmentIds: fresh });
      if (isPeriodRunEnsured) return;
      isPeriodRunEnsured = true;
      try {
        await startChild(billingPeriodInvoicing, {
          workflowId: billingPeriodIdFor(event.customer.id),
          args: [{ customerId: event.customer.id }],
          // The period outlives this order and bills the customer's later ones too.
          parentClosePolicy: ParentClosePolicy.ABANDON,
        });
      } catch (error) {
        if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error; // running: it will claim the queue
      }
    };
    const billShipment = async (shipmentId: string, status: string) => {
      if (!billing || billing.invoiceGrouping === 'per-order' || invoiced.has(shipmentId)) return;
      if (!(status === 'delivered' || (billing.billOn === 'ship' && status === 'shipped'))) return;
      // Added after orders were running: only customers switched to per-period billing reach it.
      if (billing.invoiceGrouping === 'per-period' && patched(ORDER_PATCHES.periodBilling)) await queueForPeriod([shipmentId]);
      else if (billing.invoiceGrouping === 'per-shipment') await startInvoice(invoiceIdFor(shipmentId), [shipmentId]);
    };
    let started = 0;
    const startShipment = async (plan: ShipmentPlan) => {
      started += 1;
      const shipmentId = `${workflowId}-S${started}`;
      shipmentStatus.set(shipmentId, 'planned');
      const handle = await startChild(shipmentFulfillment, {
        workflowId: shipmentId,
        args: [{ orderId: workflowId, event, plan: { ...plan, shipmentId, minShelfLifeDays: order.minShelfLifeDays } }],
        parentClosePolicy: ParentClosePolicy.REQUEST_CANCEL,
      });
      const shipment = { ...plan, shipmentId, minShelfLifeDays: order.minShelfLifeDays };
      children.push(handle.result().then(async (s) => {
        finalStatus.set(shipmentId, s.status);
        // A shipment that ends without delivering gives its lines back (cancelled with the reason,
        // stock released, customer and CRM told) instead of leaving the order to end fulfilled.
        if (cancelsLinesOfCancelledShipments && ['cancelled', 'rejected'].includes(s.status) && !engine.isCancelling) {
          const reason = s.cancelReason ?? `shipment ${shipmentId} was ${s.status}`;
          await cancelShipmentLines({ ...engine.inputFor(`cancel-lines-${shipmentId}`), input: { plan: shipment, reason } });
          cancelledShipments.push(shipmentId);
          await engine.note('shipment_lines_cancelled', 'system', `${shipmentId}: ${reason}`);
        }
        return s;
      }));
    };
    for (const plan of reservation.shipments) await startShipment(plan);
    await engine.setStatus(reservation.backorders.length > 0 ? 'partially_released' : 'in_fulfillment');

    let waiting = reservation.backorders.length;
    let allDone = false;
    const statusPump = async () => {
      while (!allDone) {
        await engine.waitUntil(() => progress.length > 0 || allDone);
        for (const p of progress.splice(0)) {
          shipmentStatus.set(p.shipmentId, p.status);
          await billShipment(p.shipmentId, p.status);
        }
        const statuses = [...shipmentStatus.values()];
        const count = (s: string) => statuses.filter((x) => x === s).length;
        if (count('delivered') === statuses.length && waiting === 0) continue; // final status is set below
        if (count('delivered') > 0) await engine.setStatus('partially_delivered');
        else if (count('shipped') > 0) await engine.setStatus(count('shipped') === statuses.length && waiting === 0 ? 'shipped' : 'partially_shipped');
      }
    };
    const releases = async () => {
      let handled = 0;
      while (waiting > 0) {
        await engine.waitUntil(() => receiptsSeen > handled);
        handled = receiptsSeen;
        const released = await releaseBackorders(engine.inputFor('release-backorders', [validateOrderStep]));
        // An order on hold keeps what was released reserved, but nothing goes to the warehouse until
        // ops release it. Added after orders were running: older runs started these shipments at once.
        if (released.shipments.length > 0 && engine.state.hold && patched(ORDER_PATCHES.releasedShipmentsWaitForHold)) {
          await engine.waitUntil(() => !engine.state.hold);
        }
        for (const plan of released.shipments) await startShipment(plan);
        waiting = released.backorders.length;
      }
      // Children started by later releases are awaited too.
      for (let i = 0; i < children.length; i += 1) await children[i];
      allDone = true;
    };
    try {
      await Promise.all([statusPump(), releases()]);
    } catch (error) {
      // The order's compensations (release the reservation) must not race a shipment still picking
      // against it: every started shipment is being cancelled too, and ends first.
      if (cancelWaitsForShipments) await Promise.allSettled(children);
      throw error;
    }
    deliveredShipments = [...finalStatus.values()].filter((s) => s === 'delivered').length;
    if (cancelledShipments.length === 0) await engine.setStatus('delivered');
    if (billing) {
      // Everything is delivered: bill what the pump did not get to (per shipment), or the whole order.
      const delivered = [...finalStatus].filter(([, status]) => status === 'delivered').map(([id]) => id).sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
      if (billing.invoiceGrouping === 'per-order') {
        if (delivered.length > 0) await startInvoice(invoiceIdFor(workflowId), delivered);
      } else {
        for (const id of delivered) await billShipment(id, 'delivered'); // per shipment, or queued per period
      }
      await engine.waitUntil(() => [...invoiceStatus.values()].every((s) => s !== 'started'));
    }
  };

  const outcome = await engine.run(patched('fulfillment-shipments') ? shipAll : undefined);
  // An order some of whose lines were cancelled with their shipment is not fulfilled: it says how it ended.
  if (outcome === 'completed') await engine.setStatus(cancelledShipments.length === 0 ? 'fulfilled' : deliveredShipments > 0 ? 'partially_fulfilled' : 'unfulfilled');
  return engine.state;
}
