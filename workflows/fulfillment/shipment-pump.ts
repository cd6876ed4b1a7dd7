/**
 * The order's shipments once its steps are done: one child workflow per planned shipment (parent-close
 * policy REQUEST_CANCEL), more as arriving receipts release backorders, and the pump that turns the
 * shipments' progress signals into the order's status and hands billable shipments to billing. A
 * shipment that ends cancelled or rejected on its own gives its lines back instead of leaving the order
 * to end fulfilled.
 *
 * The order's run loop (shipAndBill) awaits these methods exactly where it used to run the same code
 * inline: the number of awaits between two commands decides their order when two parts of the run wake
 * in one activation, so none is added.
 */
import { ParentClosePolicy, patched, proxyActivities, setHandler, startChild } from '@temporalio/workflow';
import type { Activities } from '../../activities/contract';
import type { ShipmentPlan, ValidatedOrder } from '../../activities/fulfillment/types';
import { validateOrderStep } from './steps/validate-order';
import type { RunState } from '../engine/state';
import { shipmentFulfillment } from '../shipping/shipment-workflow';
import { receiptArrived, shipmentProgress } from './messages';
import { ORDER_PATCHES, type OrderRun } from './order-run';

const { releaseBackorders, cancelShipmentLines } = proxyActivities<
  Pick<Activities, 'releaseBackorders' | 'cancelShipmentLines'>
>({ startToCloseTimeout: '1 minute' });

/** Hands a shipment's new status to billing (it decides whether that makes the shipment billable). */
export type BillShipment = (shipmentId: string, status: string) => Promise<void>;

/** A plan as its shipment child was started with it. */
type StartedShipment = ShipmentPlan & { shipmentId: string; minShelfLifeDays: ValidatedOrder['minShelfLifeDays'] };

export class ShipmentPump {
  private readonly progress: { shipmentId: string; status: string }[] = [];
  private receiptsSeen = 0;
  /** Every started shipment's end, its lines given back first when it ended without delivering. */
  private readonly children: Promise<RunState>[] = [];
  private readonly finalStatus = new Map<string, string>();
  /** Shipments cancelled (or rejected) on their own while the order went on: their lines are cancelled. */
  readonly cancelledShipments: string[] = [];
  private started = 0;
  /** Backorders still waiting for a receipt. */
  private waiting = 0;
  private allDone = false;
  private order?: ValidatedOrder;

  /** Registers the `receiptArrived` and `shipmentProgress` signals (before the run's first await). */
  constructor(
    private readonly run: OrderRun,
    /** Each shipment's last reported status; the order's cancel and ship-to checks read it too. */
    private readonly shipmentStatus: Map<string, string>,
    private readonly bill: BillShipment,
    /** patched('cancelled-shipment-cancels-lines'), decided at the run's start. */
    private readonly cancelsLinesOfCancelledShipments: boolean,
  ) {
    setHandler(receiptArrived, () => void (this.receiptsSeen += 1));
    setHandler(shipmentProgress, (p) => void this.progress.push(p));
  }

  /** The validated order the shipments are started for. */
  begin(order: ValidatedOrder): void {
    this.order = order;
  }

  async startShipment(plan: ShipmentPlan): Promise<void> {
    const { workflowId, event } = this.run;
    const order = this.order!;
    this.started += 1;
    const shipmentId = `${workflowId}-S${this.started}`;
    this.shipmentStatus.set(shipmentId, 'planned');
    const handle = await startChild(shipmentFulfillment, {
      workflowId: shipmentId,
      args: [{ orderId: workflowId, event, plan: { ...plan, shipmentId, minShelfLifeDays: order.minShelfLifeDays } }],
      parentClosePolicy: ParentClosePolicy.REQUEST_CANCEL,
    });
    const shipment: StartedShipment = { ...plan, shipmentId, minShelfLifeDays: order.minShelfLifeDays };
    this.children.push(handle.result().then((s) => this.shipmentEnded(shipment, s)));
  }

  /** Pumps progress and releases backorders until every shipment, including later releases, ended. */
  untilAllEnded(backorders: number): Promise<[void, void]> {
    this.waiting = backorders;
    return Promise.all([this.pumpStatuses(), this.releases()]);
  }

  /** Every started shipment settled (they are being cancelled with the order). */
  allSettled(): Promise<PromiseSettledResult<RunState>[]> {
    return Promise.allSettled(this.children);
  }

  /** The delivered shipments, in the order they were started. */
  deliveredIds(): string[] {
    return [...this.finalStatus]
      .filter(([, status]) => status === 'delivered')
      .map(([id]) => id)
      .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  }

  /** How a completed order ended: some of its lines cancelled with their shipment make it not fulfilled. */
  fulfillmentStatus(): 'fulfilled' | 'partially_fulfilled' | 'unfulfilled' {
    if (this.cancelledShipments.length === 0) return 'fulfilled';
    return [...this.finalStatus.values()].some((s) => s === 'delivered') ? 'partially_fulfilled' : 'unfulfilled';
  }

  private async shipmentEnded(shipment: StartedShipment, s: RunState): Promise<RunState> {
    const { engine } = this.run;
    const { shipmentId } = shipment;
    this.finalStatus.set(shipmentId, s.status);
    // A shipment that ends without delivering gives its lines back (cancelled with the reason,
    // stock released, customer and CRM told) instead of leaving the order to end fulfilled.
    if (this.cancelsLinesOfCancelledShipments && ['cancelled', 'rejected'].includes(s.status) && !engine.isCancelling) {
      const reason = s.cancelReason ?? `shipment ${shipmentId} was ${s.status}`;
      await cancelShipmentLines({
        ...engine.inputFor(`cancel-lines-${shipmentId}`),
        input: { plan: shipment, reason },
      });
      this.cancelledShipments.push(shipmentId);
      await engine.note('shipment_lines_cancelled', 'system', `${shipmentId}: ${reason}`);
    }
    return s;
  }

  private async pumpStatuses(): Promise<void> {
    const { engine } = this.run;
    while (!this.allDone) {
      await engine.waitUntil(() => this.progress.length > 0 || this.allDone);
      for (const p of this.progress.splice(0)) {
        this.shipmentStatus.set(p.shipmentId, p.status);
        await this.bill(p.shipmentId, p.status);
      }
      const statuses = [...this.shipmentStatus.values()];
      const count = (s: string) => statuses.filter((x) => x === s).length;
      if (count('delivered') === statuses.length && this.waiting === 0) continue; // final status is set by the run loop
      if (count('delivered') > 0) await engine.setStatus('partially_delivered');
      else if (count('shipped') > 0)
        await engine.setStatus(
          count('shipped') === statuses.length && this.waiting === 0 ? 'shipped' : 'partially_shipped',
        );
    }
  }

  private async releases(): Promise<void> {
    const { engine } = this.run;
    let handled = 0;
    while (this.waiting > 0) {
      await engine.waitUntil(() => this.receiptsSeen > handled);
      handled = this.receiptsSeen;
      const released = await releaseBackorders(engine.inputFor('release-backorders', [validateOrderStep]));
      // An order on hold keeps what was released reserved, but nothing goes to the warehouse until
      // ops release it. Added after orders were running: older runs started these shipments at once.
      if (released.shipments.length > 0 && engine.state.hold && patched(ORDER_PATCHES.releasedShipmentsWaitForHold)) {
        await engine.waitUntil(() => !engine.state.hold);
      }
      for (const plan of released.shipments) await this.startShipment(plan);
      this.waiting = released.backorders.length;
    }
    // Children started by later releases are awaited too.
    for (let i = 0; i < this.children.length; i += 1) await this.children[i];
    this.allDone = true;
  }
}
