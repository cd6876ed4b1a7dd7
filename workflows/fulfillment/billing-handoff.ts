/**
 * The order's billing hand-off (`billing-handoff`): per the customer's `invoiceGrouping`, one invoice
 * child per shipment as it ships or is delivered (`billOn`), one consolidated invoice once every
 * shipment is delivered, or (`period-billing`) each billable shipment queued for the customer's
 * billing-period workflow, which invoices the period when it closes (the order does not wait for that).
 * Invoices and the period run with parent-close policy ABANDON (dunning outlives the order); the order
 * waits for its invoices to be issued, not paid.
 *
 * The order's run loop awaits these methods exactly where it used to run the same code inline (see
 * ShipmentPump): no await is added between two of the run's commands.
 */
import { ParentClosePolicy, patched, proxyActivities, setHandler, startChild } from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import type { Activities } from '../../activities/contract';
import type { BillingSettings } from '../../activities/billing/types';
import type { ValidatedOrder } from '../../activities/fulfillment/types';
import { invoiceLifecycle } from '../billing/invoice-workflow';
import { billingPeriodInvoicing } from '../billing/period-workflow';
import { invoiceProgress } from '../billing/messages';
import { billingPeriodIdFor, invoiceIdFor } from '../ids';
import { ORDER_PATCHES, type OrderRun } from './order-run';

const { queuePeriodBilling } = proxyActivities<Pick<Activities, 'queuePeriodBilling'>>({
  startToCloseTimeout: '1 minute',
});

const pricesOf = (order: ValidatedOrder) =>
  order.lines.map((l) => ({ lineNo: l.lineNo, sku: l.sku, unitPriceMinor: l.unitPriceMinor }));

export class BillingHandoff {
  /** Invoices started by this order, by id: 'started' until the invoice tells us it was issued (or voided). */
  private readonly invoiceStatus = new Map<string, string>();
  /** Shipments invoiced or queued for their period already. */
  private readonly invoiced = new Set<string>();
  /** Per period: the customer's billing-period run was started (or found running) by this order. */
  private isPeriodRunEnsured = false;
  private order?: ValidatedOrder;
  private settings?: BillingSettings;

  /** Registers the `invoiceProgress` signal (before the run's first await). */
  constructor(private readonly run: OrderRun) {
    setHandler(
      invoiceProgress,
      (p) => void (this.invoiceStatus.has(p.invoiceId) && this.invoiceStatus.set(p.invoiceId, p.status)),
    );
  }

  /** Bills `order` per the customer's settings; none (runs recorded before billing existed): bills nothing. */
  begin(order: ValidatedOrder, settings: BillingSettings | undefined): void {
    this.order = order;
    this.settings = settings;
  }

  get isBilling(): boolean {
    return this.settings !== undefined;
  }

  /** Every invoice this order started was issued (or voided before issue). */
  get areInvoicesIssued(): boolean {
    return [...this.invoiceStatus.values()].every((s) => s !== 'started');
  }

  /** A shipment's new status: invoices it (per shipment) or queues it for its period once it is billable. */
  async billShipment(shipmentId: string, status: string): Promise<void> {
    const billing = this.settings;
    if (!billing || billing.invoiceGrouping === 'per-order' || this.invoiced.has(shipmentId)) return;
    if (!(status === 'delivered' || (billing.billOn === 'ship' && status === 'shipped'))) return;
    // Added after orders were running: only customers switched to per-period billing reach it.
    if (billing.invoiceGrouping === 'per-period' && patched(ORDER_PATCHES.periodBilling))
      await this.queueForPeriod([shipmentId]);
    else if (billing.invoiceGrouping === 'per-shipment')
      await this.startInvoice(invoiceIdFor(shipmentId), [shipmentId]);
  }

  /**
   * Once every shipment is delivered: what the pump did not bill (per shipment), or the whole order.
   * Each is handed back for the run loop to await in turn, as it did when this code was inline.
   */
  billsForDelivered(delivered: string[]): (() => Promise<void>)[] {
    if (this.settings?.invoiceGrouping === 'per-order')
      return delivered.length > 0 ? [() => this.startInvoice(invoiceIdFor(this.run.workflowId), delivered)] : [];
    return delivered.map((id) => () => this.billShipment(id, 'delivered')); // per shipment, or queued per period
  }

  private async startInvoice(invoiceId: string, shipmentIds: string[]): Promise<void> {
    const { workflowId, event } = this.run;
    const order = this.order!;
    shipmentIds.forEach((id) => this.invoiced.add(id));
    this.invoiceStatus.set(invoiceId, 'started');
    await startChild(invoiceLifecycle, {
      workflowId: invoiceId,
      args: [
        {
          orderId: workflowId,
          event,
          shipmentIds,
          prices: pricesOf(order),
          paymentTerms: order.paymentTerms,
        },
      ],
      // Dunning runs for weeks after the order is fulfilled.
      parentClosePolicy: ParentClosePolicy.ABANDON,
    });
  }

  /** Per period: billable shipments wait in the customer's queue for the period's close. */
  private async queueForPeriod(shipmentIds: string[]): Promise<void> {
    const { workflowId, event } = this.run;
    const order = this.order!;
    const fresh = shipmentIds.filter((id) => !this.invoiced.has(id));
    if (fresh.length === 0) return;
    fresh.forEach((id) => this.invoiced.add(id));
    await queuePeriodBilling({
      customerId: event.customer.id,
      orderId: workflowId,
      event,
      prices: pricesOf(order),
      paymentTerms: order.paymentTerms,
      shipmentIds: fresh,
    });
    if (this.isPeriodRunEnsured) return;
    this.isPeriodRunEnsured = true;
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
  }
}
