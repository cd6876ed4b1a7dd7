/**
 * The order as integrators and ops read it: the stored row (what lists and filters use) joined with the
 * workflow's live state (steps, SLA deadlines, errors). Either may be missing: the workflow may be
 * unreachable, or the event may still sit in the inbox.
 */
import { z } from 'zod';
import type { Client } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/client';
import type { Db } from '../../lib/db';
import { getState } from '../../workflows/engine/messages';
import type { RunState } from '../../workflows/engine/state';
import { CLOSED_WON } from '../intake/closed-won';
import { loadShipments, shipmentViewSchema } from './shipment-view';
import { invoiceSummarySchema, loadInvoices } from './invoice-view';
import { loadReturns, returnSummarySchema } from './return-view';

const stepSchema = z.object({
  name: z.string(),
  status: z.string(),
  rounds: z.number(),
  lastError: z.string().optional(),
  startedAt: z.string().optional(),
  finishedAt: z.string().optional(),
  slaDeadline: z.string().optional(),
  slaBreached: z.boolean(),
  breachedAt: z.string().optional(),
  skippedReason: z.string().optional(),
});

export const runStateSchema = z.object({
  id: z.string(),
  status: z.string(),
  currentStep: z.string().optional(),
  needsAttention: z.boolean(),
  slaBreached: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
  steps: z.array(stepSchema),
  results: z.record(z.string(), z.unknown()),
  cancelReason: z.string().optional(),
  hold: z.object({ reason: z.string(), actor: z.string(), since: z.string() }).optional(),
});

export const orderViewSchema = z.object({
  orderId: z.string(),
  dealId: z.string(),
  status: z.string(),
  customer: z.object({ id: z.string(), name: z.string() }),
  poNumber: z.string(),
  currency: z.string(),
  totalMinor: z.number().int().describe('order value in minor units (cents) at the prices sent'),
  currentStep: z.string().nullable(),
  needsAttention: z.boolean(),
  slaBreached: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
  shipments: z.array(shipmentViewSchema).describe('per warehouse and backorder release: carrier, tracking, promised dates'),
  invoices: z.array(invoiceSummarySchema).describe('with balance and due date'),
  returns: z.array(returnSummarySchema).describe('return requests (RMA) with their status, tracking and credit memo'),
  workflow: runStateSchema.nullable().describe('live state from the workflow; null when it cannot be reached right now'),
});

export type OrderView = z.infer<typeof orderViewSchema>;

export async function queryRunState(temporal: Client, workflowId: string): Promise<RunState | null | 'not-found'> {
  try {
    return await temporal.withDeadline(Date.now() + 5000, () => temporal.workflow.getHandle(workflowId).query(getState));
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return 'not-found';
    return null;
  }
}

export async function loadOrderView(db: Db, temporal: Client, orderId: string): Promise<OrderView | undefined> {
  const [row, live, shipmentsByOrder, invoicesByOrder, returnsByOrder] = await Promise.all([
    db.order.findUnique({ where: { id: orderId } }),
    queryRunState(temporal, orderId),
    loadShipments(db, [orderId]),
    loadInvoices(db, [orderId]),
    loadReturns(db, [orderId]),
  ]);
  const shipments = shipmentsByOrder.get(orderId) ?? [];
  const invoices = invoicesByOrder.get(orderId) ?? [];
  const returns = returnsByOrder.get(orderId) ?? [];
  const workflow = live === 'not-found' ? null : live;
  if (row) {
    return {
      orderId: row.id,
      dealId: row.dealId,
      status: workflow?.status ?? row.status,
      customer: { id: row.customerId, name: row.customerName },
      poNumber: row.poNumber,
      currency: row.currency,
      totalMinor: Number(row.totalMinor),
      currentStep: workflow ? (workflow.currentStep ?? null) : row.currentStep,
      needsAttention: workflow?.needsAttention ?? row.needsAttention,
      slaBreached: workflow?.slaBreached ?? row.slaBreached,
      createdAt: row.createdAt.toISOString(),
      updatedAt: row.updatedAt.toISOString(),
      shipments,
      invoices,
      returns,
      workflow,
    };
  }
  // Accepted but not written yet (workflow starting, or Temporal was down): answer from the inbox.
  const inbox = await db.inboundEvent.findFirst({ where: { kind: CLOSED_WON, workflowId: orderId } });
  if (!inbox) return undefined;
  const event = inbox.payload as { dealId: string; customer: { id: string; name: string }; poNumber: string; currency: string };
  return {
    orderId,
    dealId: event.dealId,
    status: workflow?.status ?? (inbox.startedAt ? 'starting' : 'accepted'),
    customer: { id: event.customer.id, name: event.customer.name },
    poNumber: event.poNumber,
    currency: event.currency,
    totalMinor: 0,
    currentStep: workflow?.currentStep ?? null,
    needsAttention: workflow?.needsAttention ?? false,
    slaBreached: workflow?.slaBreached ?? false,
    createdAt: inbox.receivedAt.toISOString(),
    updatedAt: inbox.receivedAt.toISOString(),
    shipments,
    invoices,
    returns,
    workflow,
  };
}
