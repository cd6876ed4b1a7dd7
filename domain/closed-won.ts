/**
 * The closed-won event a CRM sends when a deal is won: the input of every order. Validated with zod at
 * the API edge; `examples/closed-won.json` is a realistic instance.
 */
import { z } from 'zod';
import { PAYMENT_TERMS_PATTERN } from './billing/payment-terms';

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;
const text = (max: number) =>
  z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`).refine((v) => !CONTROL.test(v), 'must not contain control characters');

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
    z.number().int('must be a whole number of minor units').nonnegative('must be >= 0').max(1_000_000_000, 'is implausibly large'),
    z.literal('contract'),
  ]),
});

export const closedWonEventSchema = z.object({
  dealId: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'must be 1-64 letters, digits, dot, dash or underscore'),
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
    .refine((v) => v === 'CUSTOMER_DEFAULT' || PAYMENT_TERMS_PATTERN.test(v), 'must be NETn, "d/n NETn" or CUSTOMER_DEFAULT')
    .default('CUSTOMER_DEFAULT'),
  freightTerms: z.enum(['prepaid', 'collect', 'prepaid_and_add']),
  allowsPartialShipment: z.boolean().default(true),
  /** SLA profile name; the customer's default when omitted. */
  slaProfile: z.string().regex(/^[a-z0-9-]{1,40}$/, 'must be a lower-case profile name').optional(),
});

export type ClosedWonEvent = z.infer<typeof closedWonEventSchema>;
export type ClosedWonLine = ClosedWonEvent['lines'][number];

/** Workflow id (and order id) of a deal: one order per deal, forever. */
export const orderIdForDeal = (dealId: string): string => `order-${dealId}`;
