/**
 * Returns test helpers: an order driven through the real workflows to delivered and invoiced (the
 * invoice issued and sent), and return workflows started on the test's queue the way the API will.
 */
import type { WorkflowHandle } from '@temporalio/client';
import type { ShipmentPicks } from '../../adapters/types';
import type { ClosedWonEvent } from '../../domain/closed-won';
import type { ReturnRequestLine } from '../../domain/returns/policy';
import type { ReturnRequestInput } from '../../activities/returns/types';
import type { returnLifecycle } from '../../workflows/returns/return-workflow';
import { returnIdFor } from '../../workflows/ids';
import type { Fixture } from '../../fixtures/master-data';
import { awaitingDelivery, deliverShipment, placeOrder } from './flows';
import type { Harness } from './harness';

/** Places the fixture's order, delivers its one shipment at `deliveredAt` and waits for its invoice to be sent. */
export async function deliveredInvoicedOrder(h: Harness, f: Fixture, deliveredAt = new Date().toISOString()) {
  const orderId = await placeOrder(h, f);
  const shipmentId = `${orderId}-S1`;
  await awaitingDelivery(h, shipmentId);
  await deliverShipment(h, shipmentId, { deliveredAt });
  await h.waitForState(orderId, (s) => s.status === 'fulfilled');
  const invoiceId = `invoice-${shipmentId}`;
  await h.waitForState(invoiceId, (s) => s.status === 'sent');
  const order = await h.db.order.findUniqueOrThrow({ where: { id: orderId } });
  const shipment = await h.db.shipment.findUniqueOrThrow({ where: { id: shipmentId } });
  const solventLots = (shipment.picks as unknown as ShipmentPicks).lines.find((l) => l.sku === f.sku.solvent)!.lots;
  return {
    orderId,
    shipmentId,
    invoiceId,
    event: order.event as unknown as ClosedWonEvent,
    warehouseId: shipment.warehouseId,
    solventLots,
  };
}

/** Starts return number `n` of the order, requested now (or at `requestedAt`). */
export async function startReturn(
  h: Harness,
  order: { orderId: string; event: ClosedWonEvent },
  lines: ReturnRequestLine[],
  options: { n?: number; requestedAt?: string } = {},
): Promise<WorkflowHandle<typeof returnLifecycle>> {
  const returnId = returnIdFor(order.orderId, options.n ?? 1);
  const input: ReturnRequestInput = {
    returnId,
    orderId: order.orderId,
    event: order.event,
    requestedAt: options.requestedAt ?? new Date().toISOString(),
    lines,
  };
  return h.temporal.workflow.start<typeof returnLifecycle>('returnLifecycle', {
    taskQueue: h.taskQueue,
    workflowId: returnId,
    args: [input],
  });
}
