/** The customer 360's answer: who the customer is, its credit, billing set-up, counts and recent activity. */
import { z } from 'zod';
import { invoiceListItemSchema } from '../../views/invoice-overdue';
import { orderSummarySchema } from '../../views/order-schemas';
import { shipmentViewSchema } from '../../views/shipment-view';

/** A recent order: the order list's figures and progress, without its customer and documents. */
const recentOrderSchema = orderSummarySchema.pick({
  orderId: true,
  dealId: true,
  poNumber: true,
  status: true,
  currency: true,
  totalMinor: true,
  currentStep: true,
  needsAttention: true,
  slaBreached: true,
  createdAt: true,
});

/** A recent shipment: the order page's shipment without its lines, with its order and when it was planned. */
const { shipmentId, ...shipmentFields } = shipmentViewSchema.omit({ lines: true }).shape;
const recentShipmentSchema = z.object({ shipmentId, orderId: z.string(), ...shipmentFields, createdAt: z.string() });

export const customer360Schema = z.object({
  customer: z.object({
    customerId: z.string(),
    name: z.string(),
    currency: z.string(),
    isActive: z.boolean(),
    paymentTerms: z.string(),
    slaProfileId: z.string(),
    billOn: z.string(),
    isTaxExempt: z.boolean(),
    minShelfLifeDays: z.number().int(),
    salesRepEmail: z.string().nullable(),
    billingAddress: z.unknown(),
  }),
  credit: z.object({
    creditLimitMinor: z.number().int(),
    openReceivablesMinor: z
      .number()
      .int()
      .describe("The ERP's open receivables: what the credit check adds a new order to"),
    exposureMinor: z
      .number()
      .int()
      .describe(
        'Open receivables, as the credit check counts them (a new order is approved while exposure + its value <= limit)',
      ),
    availableCreditMinor: z.number().int().describe('creditLimitMinor - exposureMinor (negative when over the limit)'),
    openInvoiceBalanceMinor: z.number().int().describe('Sum of the open balances of every open invoice'),
    isOnCreditHold: z.boolean(),
    creditHoldSource: z
      .string()
      .nullable()
      .describe("'dunning' (lifted when the escalated invoice is settled) or a manual hold"),
    ordersOnCreditHold: z.number().int().describe('Orders waiting for a credit decision'),
  }),
  billing: z.object({
    invoiceGrouping: z.string(),
    billingPeriod: z.string(),
    paymentTerms: z.string(),
    billOn: z.string(),
    freightMarkupBp: z.number().int(),
  }),
  counts: z.object({
    orders: z.number().int(),
    openOrders: z.number().int(),
    shipments: z.number().int(),
    openInvoices: z.number().int(),
    overdueInvoices: z.number().int(),
    returns: z.number().int(),
    openReturns: z.number().int(),
  }),
  orders: z.array(recentOrderSchema).describe('The 10 most recent'),
  shipments: z.array(recentShipmentSchema).describe('The 10 most recent'),
  openInvoices: z
    .array(invoiceListItemSchema)
    .describe('Open (payable) invoices, oldest due first, at most 100 (counts.openInvoices is the true number)'),
  returns: z
    .array(
      z.object({
        returnId: z.string(),
        orderId: z.string(),
        status: z.string(),
        valueMinor: z.number().int(),
        currency: z.string(),
        requestedAt: z.string(),
      }),
    )
    .describe('The 10 most recent'),
});
