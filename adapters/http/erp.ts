/**
 * The ERP over HTTP. Bodies are JSON and mirror the types in adapters/types.ts field for field; money
 * is integer minor units, dates are ISO `YYYY-MM-DD`. Every request carries `User-Agent: closedloop`,
 * `Accept: application/json` and the configured `Authorization`; every POST carries `Idempotency-Key`
 * (same key, same effect: answer a repeat with the first result).
 *
 *   GET  /customers/{customerId}                     → CustomerAccount        404: no such customer
 *   GET  /sla-profiles/{profileId}                   → SlaProfile             404: no such profile
 *   GET  /skus?sku={sku}&sku={sku}...                → SkuRecord[]            unknown SKUs are left out
 *   GET  /customers/{customerId}/prices?sku={sku}... → PriceRecord[]          SKUs without a contract price are left out
 *   POST /sales-orders                               → { erpOrderNumber }     body { orderId, customerId, poNumber, currency, lines: SalesOrderLine[] }
 *   POST /sales-orders/{orderId}/cancel              → 2xx, body ignored      no body; 404 (never created) counts as cancelled
 *   POST /receivables                                → { erpDocumentNumber }  body ReceivableEntry { customerId, invoiceNumber,
 *                                                                            kind: invoice|payment|discount|void|write_off,
 *                                                                            amountMinor (signed), currency }
 *                                                                            (kind credit: a credit memo applied to the invoice)
 *   POST /refunds                                    → { refundReference }    body RefundRequest { customerId, creditMemoNumber,
 *                                                                            amountMinor (> 0, paid to the customer), currency }
 *
 * SKU lists go in the query in chunks of at most 100, so an order with many lines stays within common
 * URL limits; an empty list asks nothing (a filter-less GET /skus could mean "all SKUs").
 *
 * A cancellation closes its order for good (adapters/types.ts; the built-in does it in
 * adapters/fence.ts). A `POST /sales-orders` closedloop gave up on may reach the ERP after
 * `POST /sales-orders/{orderId}/cancel` did: the ERP must then refuse to create that order (or create
 * it cancelled), also when the cancel answered 404. The cancel carries the create's key plus `:cancel`,
 * and both name the order id. closedloop assumes no particular refusal (it does not see a late
 * request's answer); an ERP that cannot do this leaves the gap open.
 */
import { z } from 'zod';
import type { CustomerAccount, ErpAdapter, PriceRecord, SkuRecord, SlaProfile } from '../types';
import { createJsonClient, fields, segment, type HttpOptions } from './http-client';

const SKUS_PER_REQUEST = 100;

const customerAccount = z.object({
  id: z.string(),
  name: z.string(),
  currency: z.string(),
  creditLimitMinor: z.number().int(),
  openReceivablesMinor: z.number().int(),
  isOnCreditHold: z.boolean(),
  paymentTerms: z.string(),
  slaProfileId: z.string(),
  minShelfLifeDays: z.number().int(),
  billOn: z.enum(['ship', 'delivery']),
  isTaxExempt: z.boolean(),
  isActive: z.boolean(),
  salesRepEmail: z.string().nullable(),
}) satisfies z.ZodType<CustomerAccount>;

const slaProfile = z.object({
  id: z.string(),
  name: z.string(),
  stepDurations: z.record(z.string(), z.string()),
  handlingBusinessDays: z.number().int(),
  otifPenaltyBp: z.number().int(),
}) satisfies z.ZodType<SlaProfile>;

const skuRecord = z.object({
  sku: z.string(),
  description: z.string(),
  unitWeightGrams: z.number().int(),
  hazardClass: z.string().nullable(),
  isLotTracked: z.boolean(),
  listPriceMinor: z.number().int(),
  currency: z.string(),
  leadTimeDays: z.number().int(),
  isActive: z.boolean(),
}) satisfies z.ZodType<SkuRecord>;

const priceRecord = z.object({
  sku: z.string(),
  unitPriceMinor: z.number().int(),
  currency: z.string(),
}) satisfies z.ZodType<PriceRecord>;

const createdSalesOrder = z.object({ erpOrderNumber: z.string().min(1) });
const postedReceivable = z.object({ erpDocumentNumber: z.string().min(1) });
const issuedRefund = z.object({ refundReference: z.string().min(1) });

export function createHttpErp(options: HttpOptions): ErpAdapter {
  const http = createJsonClient('ERP', options);
  return {
    getCustomer: (customerId) =>
      http.requestOrUndefined({ method: 'GET', path: `/customers/${segment(customerId)}`, response: customerAccount }),

    getSlaProfile: (profileId) =>
      http.requestOrUndefined({ method: 'GET', path: `/sla-profiles/${segment(profileId)}`, response: slaProfile }),

    getSkus: (skus) =>
      inChunks(skus, (sku) =>
        http.request({ method: 'GET', path: '/skus', query: { sku }, response: z.array(skuRecord) }),
      ),

    getContractPrices: (customerId, skus) =>
      inChunks(skus, (sku) =>
        http.request({
          method: 'GET',
          path: `/customers/${segment(customerId)}/prices`,
          query: { sku },
          response: z.array(priceRecord),
        }),
      ),

    createSalesOrder: (order, idempotencyKey) =>
      http.request({
        method: 'POST',
        path: '/sales-orders',
        body: fields(order, 'orderId', 'customerId', 'poNumber', 'currency', 'lines'),
        idempotencyKey,
        response: createdSalesOrder,
      }),

    async cancelSalesOrder(orderId, idempotencyKey) {
      // A compensation: an order the ERP never created is as cancelled as it gets.
      await http.requestOrUndefined({
        method: 'POST',
        path: `/sales-orders/${segment(orderId)}/cancel`,
        idempotencyKey,
      });
    },

    postReceivable: (entry, idempotencyKey) =>
      http.request({
        method: 'POST',
        path: '/receivables',
        body: {
          customerId: entry.customerId,
          invoiceNumber: entry.invoiceNumber,
          kind: entry.kind,
          amountMinor: entry.amountMinor,
          currency: entry.currency,
        },
        idempotencyKey,
        response: postedReceivable,
      }),

    issueRefund: (refund, idempotencyKey) =>
      http.request({
        method: 'POST',
        path: '/refunds',
        body: {
          customerId: refund.customerId,
          creditMemoNumber: refund.creditMemoNumber,
          amountMinor: refund.amountMinor,
          currency: refund.currency,
        },
        idempotencyKey,
        response: issuedRefund,
      }),
  };
}

async function inChunks<T>(skus: string[], fetchChunk: (chunk: string[]) => Promise<T[]>): Promise<T[]> {
  const unique = [...new Set(skus)];
  const chunks: string[][] = [];
  for (let i = 0; i < unique.length; i += SKUS_PER_REQUEST) chunks.push(unique.slice(i, i + SKUS_PER_REQUEST));
  return (await Promise.all(chunks.map(fetchChunk))).flat();
}
