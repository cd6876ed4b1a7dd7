/** The shapes of a run's state, an order in a list and the order page, as the API answers them. */
import { z } from 'zod';
import { shipmentDetailSchema, shipmentViewSchema } from './shipment-view';
import { invoiceSummarySchema } from './invoice-view';
import { returnSummarySchema } from './return-view';

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

const backorderSchema = z.object({
  lineNo: z.number().int(),
  sku: z.string(),
  warehouseId: z.string(),
  quantity: z.number().int(),
  availableDate: z.string().describe("when the units are promised: the receipt's date or the SKU's lead time"),
  receiptId: z.string().nullable().describe('the scheduled receipt they wait on; null on lead time'),
  status: z.string().describe('waiting | received | released | cancelled'),
});

/** An order in a list: the order page without its shipments' lots and notices and the workflow state (lists never read those). */
export const orderSummarySchema = z.object({
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
  shipments: z
    .array(shipmentViewSchema)
    .describe('per warehouse and backorder release: carrier, tracking, promised dates'),
  invoices: z.array(invoiceSummarySchema).describe('with balance and due date'),
  returns: z.array(returnSummarySchema).describe('return requests (RMA) with their status, tracking and credit memo'),
  backorders: z
    .array(backorderSchema)
    .describe('units waiting on a scheduled receipt or on lead time, per line and source'),
});
export type OrderSummary = z.infer<typeof orderSummarySchema>;

/** The order page. Keys keep the summary's order: extend puts a redefined key (shipments) where it was. */
export const orderViewSchema = orderSummarySchema.extend({
  needsAttention: z.boolean().describe('a step of the order or of one of its shipments waits for ops'),
  shipments: z
    .array(shipmentDetailSchema)
    .describe(
      'per warehouse and backorder release: lines with their picked lots, carrier, tracking, promised dates, advance ship notice',
    ),
  workflow: runStateSchema
    .nullable()
    .describe(
      "the run's state as its step events mirror it (results is empty: the outputs live in shipments, invoices...); null before its first transition",
    ),
});

export type OrderView = z.infer<typeof orderViewSchema>;
