/** The customer 360's answer: who the customer is, its credit, billing set-up, counts and recent activity. */
import { z } from 'zod';
import { invoiceListItemSchema } from '../../views/invoice-overdue';

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
  orders: z
    .array(
      z.object({
        orderId: z.string(),
        dealId: z.string(),
        poNumber: z.string(),
        status: z.string(),
        currency: z.string(),
        totalMinor: z.number().int(),
        currentStep: z.string().nullable(),
        needsAttention: z.boolean(),
        slaBreached: z.boolean(),
        createdAt: z.string(),
      }),
    )
    .describe('The 10 most recent'),
  shipments: z
    .array(
      z.object({
        shipmentId: z.string(),
        orderId: z.string(),
        warehouseId: z.string(),
        status: z.string(),
        carrierId: z.string().nullable(),
        mode: z.string().nullable(),
        trackingNumber: z.string().nullable(),
        promisedShipDate: z.string().nullable(),
        promisedDeliveryDate: z.string().nullable(),
        shippedAt: z.string().nullable(),
        deliveredAt: z.string().nullable(),
        createdAt: z.string(),
      }),
    )
    .describe('The 10 most recent'),
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
