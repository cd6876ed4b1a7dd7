/**
 * The closed-won event a CRM sends when a deal is won: the input of every order. Validated with zod at
 * the API edge; `examples/closed-won.json` is a realistic instance.
 */
import { z } from 'zod';
import { PAYMENT_TERMS_PATTERN } from './billing/payment-terms';
import { singleLineText } from './single-line-text';

/** Every free-text field of the event is printed on one line of an invoice, packing list or e-mail. */
const text = singleLineText;

const contact = z.object({
  name: text(200),
  email: z.email('must be an e-mail address'),
});

const address = z.object({
  name: text(200),
  line1: text(200),
  line2: text(200).optional(),
  city: text(100),
  region: text(100).optional(),
  postalCode: text(20),
  country: z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 country code such as US'),
});

const line = z.object({
  sku: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'must be 1-64 letters, digits, dot, dash or underscore'),
  quantity: z.number().int('must be a whole number').positive('must be > 0').max(1_000_000, 'must be at most 1000000'),
  /** Price per unit in minor units (cents), or "contract" to bill the customer's contract price. */
  unitPriceMinor: z.union([
    z
      .number()
      .int('must be a whole number of minor units')
      .nonnegative('must be >= 0')
      .max(1_000_000_000, 'is implausibly large'),
    z.literal('contract'),
  ]),
});

/**
 * Shipment workflow ids are `<orderId>-S<n>` (workflows/ids.ts), so deal `D-1-S1` would get order id
 * `order-D-1-S1`: deal D-1's first shipment (and its per-shipment invoice). New deals may not end that way;
 * ids of orders already taken stay as they are.
 */
export const SHIPMENT_SUFFIX = /-S\d+$/;

export const closedWonEventSchema = z
  .object({
    dealId: z
      .string()
      .regex(/^[A-Za-z0-9._-]{1,64}$/, 'must be 1-64 letters, digits, dot, dash or underscore')
      .refine((v) => !SHIPMENT_SUFFIX.test(v), {
        message:
          'must not end in -S followed by digits (reserved: "D-1-S1" would take the id of deal D-1\'s first shipment)',
        abort: true,
      }),
    closedAt: z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time' }).optional(),
    customer: z.object({
      id: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'must be 1-64 letters, digits, dot, dash or underscore'),
      name: text(200),
      billingContact: contact,
      shippingContact: contact,
    }),
    poNumber: text(64),
    currency: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as USD'),
    lines: z.array(line).min(1, 'must have at least one line').max(500, 'must have at most 500 lines'),
    shipTo: address,
    requestedDeliveryDate: z.iso.date('must be a date as YYYY-MM-DD'),
    /** NET30, NET60, NET90, an early-payment form such as "2/10 NET30", or "CUSTOMER_DEFAULT". */
    paymentTerms: z
      .string()
      .refine(
        (v) => v === 'CUSTOMER_DEFAULT' || PAYMENT_TERMS_PATTERN.test(v),
        'must be NETn, "d/n NETn" or CUSTOMER_DEFAULT',
      )
      .default('CUSTOMER_DEFAULT'),
    freightTerms: z.enum(['prepaid', 'collect', 'prepaid_and_add']),
    allowsPartialShipment: z.boolean().default(true),
    /** SLA profile name; the customer's default when omitted. */
    slaProfile: z
      .string()
      .regex(/^[a-z0-9-]{1,40}$/, 'must be a lower-case profile name')
      .optional(),
  })
  .superRefine((event, ctx) => {
    // Money is a JavaScript number of minor units: beyond 2^53 - 1 it is no longer exact, and every sum
    // downstream (invoice, AR, credit) would be silently wrong. Refuse such an order at the door.
    let totalMinor = 0;
    event.lines.forEach((l, i) => {
      if (typeof l.unitPriceMinor !== 'number') return; // contract prices are checked when resolved
      const lineMinor = l.quantity * l.unitPriceMinor;
      if (!Number.isSafeInteger(lineMinor)) {
        ctx.addIssue({
          code: 'custom',
          path: ['lines', i, 'unitPriceMinor'],
          message: `line total ${l.quantity} x ${l.unitPriceMinor} exceeds ${Number.MAX_SAFE_INTEGER} minor units, the largest exact amount`,
        });
      }
      totalMinor += lineMinor;
    });
    if (!Number.isSafeInteger(totalMinor)) {
      ctx.addIssue({
        code: 'custom',
        path: ['lines'],
        message: `order total of the priced lines (${totalMinor} minor units) exceeds ${Number.MAX_SAFE_INTEGER}, the largest exact amount`,
      });
    }
  });

export type ClosedWonEvent = z.infer<typeof closedWonEventSchema>;
export type ClosedWonLine = ClosedWonEvent['lines'][number];

/** Workflow id (and order id) of a deal: one order per deal, forever. */
export const orderIdForDeal = (dealId: string): string => `order-${dealId}`;
