/**
 * Billing test helpers: shipments written straight into the database (shipped, with carrier cost and
 * OTIF), so invoice tests control every figure, and invoice workflows started on the test's queue.
 */
import { randomUUID } from 'node:crypto';
import type { WorkflowHandle } from '@temporalio/client';
import type { Fixture } from './fixtures';
import type { Harness } from './harness';
import type { ClosedWonEvent } from '../../domain/closed-won';
import type { DunningInput, InvoiceRequest } from '../../activities/billing/types';
import { invoiceIdFor } from '../../workflows/ids';
import type { invoiceLifecycle } from '../../workflows/billing/invoice-workflow';

export const PRICES = { valve: 2_150, gasket: 85, solvent: 9_200 } as const;

export interface ShipmentSpec {
  lines: { lineNo: number; sku: 'valve' | 'gasket' | 'solvent'; quantity: number }[];
  freightCostMinor: number;
  /** Delivered lines' OTIF; omitted lines are on time and in full. */
  missedOtif?: { lineNo: number; isOnTime: boolean; isInFull: boolean; goodQuantity?: number }[];
}

export async function shippedOrder(h: Harness, f: Fixture, shipments: ShipmentSpec[], eventOverrides: Partial<ClosedWonEvent> = {}) {
  const orderId = `order-BILL-${randomUUID().slice(0, 8)}`;
  const event = f.event(eventOverrides);
  const today = new Date(`${new Date().toISOString().slice(0, 10)}T00:00:00Z`);
  const shipmentIds: string[] = [];
  for (const [i, spec] of shipments.entries()) {
    const id = `${orderId}-S${i + 1}`;
    shipmentIds.push(id);
    const lines = spec.lines.map((l) => ({ lineNo: l.lineNo, sku: f.sku[l.sku], quantity: l.quantity }));
    await h.db.shipment.create({
      data: {
        id, orderId, warehouseId: f.warehouses.primary, status: 'delivered', lines,
        picks: { lines: lines.map((l) => ({ ...l, lots: [] })) },
        carrierId: 'T-FREIGHT', mode: 'LTL', freightCostMinor: BigInt(spec.freightCostMinor), shippedAt: new Date(), deliveredAt: new Date(),
      },
    });
    await h.db.lineOtif.createMany({
      data: lines.map((l) => {
        const missed = spec.missedOtif?.find((m) => m.lineNo === l.lineNo);
        return {
          shipmentId: id, lineNo: l.lineNo, orderId, sku: l.sku, quantity: l.quantity, goodQuantity: missed?.goodQuantity ?? l.quantity,
          promisedDate: today, deliveredDate: today, isOnTime: missed?.isOnTime ?? true, isInFull: missed?.isInFull ?? true,
        };
      }),
    });
  }
  const prices = [
    { lineNo: 1, sku: f.sku.valve, unitPriceMinor: PRICES.valve },
    { lineNo: 2, sku: f.sku.gasket, unitPriceMinor: PRICES.gasket },
    { lineNo: 3, sku: f.sku.solvent, unitPriceMinor: PRICES.solvent },
  ];
  return { orderId, event, shipmentIds, prices };
}

export async function startInvoice(
  h: Harness,
  order: Awaited<ReturnType<typeof shippedOrder>>,
  options: { paymentTerms?: string; dunning?: DunningInput; shipmentIds?: string[] } = {},
): Promise<WorkflowHandle<typeof invoiceLifecycle>> {
  const request: InvoiceRequest = {
    orderId: order.orderId,
    event: order.event,
    shipmentIds: options.shipmentIds ?? order.shipmentIds,
    prices: order.prices,
    paymentTerms: options.paymentTerms ?? 'NET30',
    dunning: options.dunning,
  };
  const workflowId = invoiceIdFor(request.shipmentIds.length === 1 ? request.shipmentIds[0]! : order.orderId);
  return h.temporal.workflow.start<typeof invoiceLifecycle>('invoiceLifecycle', { taskQueue: h.taskQueue, workflowId, args: [request] });
}
