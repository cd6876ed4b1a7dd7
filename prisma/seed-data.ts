/**
 * The demo data set behind the built-in ERP, WMS and TMS adapters: a B2B industrial distributor with two
 * US warehouses, six customers, eleven SKUs (two lot tracked, four hazardous, one of them a class no
 * carrier takes), contract prices, stock and lots, open receipts, four carriers with rate tables and the
 * US federal holidays.
 *
 * Idempotent and safe to run while orders are in flight:
 * - master data (SLA profiles, customers, warehouses, SKUs, contract prices, carriers, carrier rates,
 *   holidays) is upserted back to the values below;
 * - stock, lots and scheduled receipts are only inserted when missing, never updated: reservations,
 *   picks and promised receipt units that orders made survive a second run.
 * Everything runs in one transaction under an advisory lock, so concurrent runs (two test files, two
 * processes) serialise instead of racing on inserts.
 *
 * Dates are relative to `options.today` (UTC) when rows are first inserted, so lots and receipts are
 * valid whenever the demo runs. Money is integer minor units.
 */
import type { Db } from '../lib/db';
import { Prisma } from '../lib/db';
import { addCalendarDays, isIsoDate } from '../domain/calendar/business-days';

export interface SeedOptions {
  /** The demo's "today", 'YYYY-MM-DD' (UTC calendar date). */
  today: string;
}

export interface SeedResult {
  /** True when at least one row was missing and got inserted (false on a re-run over a complete set). */
  created: boolean;
}

/** Arbitrary constant key of the advisory lock that serialises concurrent seed runs. */
const SEED_LOCK_KEY = 70_412_001;

// -------------------------------------------------------------------------------------------------
// Master data

export const SLA_PROFILES = [
  {
    id: 'standard',
    name: 'Standard',
    stepDurations: {
      'credit-approval': '2 days',
      'reserve-stock': '4h',
      'send-order-confirmation': '1 day',
      'pick-shipment': '2 days',
      'await-delivery': '10 days',
    },
    handlingBusinessDays: 2,
    otifPenaltyBp: 200,
  },
  {
    id: 'express',
    name: 'Express',
    stepDurations: {
      'credit-approval': '4h',
      'reserve-stock': '1h',
      'send-order-confirmation': '4h',
      'pick-shipment': '1 day',
      'await-delivery': '5 days',
    },
    handlingBusinessDays: 1,
    otifPenaltyBp: 500,
  },
  {
    id: 'economy',
    name: 'Economy',
    stepDurations: {
      'credit-approval': '3 days',
      'reserve-stock': '8h',
      'send-order-confirmation': '2 days',
      'pick-shipment': '4 days',
      'await-delivery': '15 days',
    },
    handlingBusinessDays: 3,
    otifPenaltyBp: 0,
  },
] as const;

interface CustomerRow {
  id: string;
  name: string;
  currency: string;
  creditLimitMinor: bigint;
  openReceivablesMinor: bigint;
  isOnCreditHold: boolean;
  paymentTerms: string;
  slaProfileId: string;
  minShelfLifeDays: number;
  billOn: 'ship' | 'delivery';
  /** How shipments become invoices: one each, one per order, or one per billing period. */
  invoiceGrouping: 'per-shipment' | 'per-order' | 'per-period';
  billingPeriod: 'monthly' | 'weekly';
  /** Markup on the carrier's cost under prepaid_and_add freight terms, in basis points. */
  freightMarkupBp: number;
  isTaxExempt: boolean;
  isActive: boolean;
  salesRepEmail: string | null;
  /** Accounts payable's address: the bill-to of invoices and credit memos (not the ship-to). */
  billingAddress: BillingAddress;
}

// A type, not an interface: Prisma's JSON input needs the implicit index signature.
export type BillingAddress = {
  name: string;
  line1: string;
  line2?: string;
  city: string;
  region?: string;
  postalCode: string;
  country: string;
};

export const CUSTOMERS: readonly CustomerRow[] = [
  {
    // The customer of examples/closed-won.json: plenty of credit, strict shelf life on chemicals.
    id: 'CUST-ACME',
    name: 'Acme Industrial Supply, Inc.',
    currency: 'USD',
    creditLimitMinor: 50_000_000n,
    openReceivablesMinor: 12_000_000n,
    isOnCreditHold: false,
    paymentTerms: '2/10 NET30',
    slaProfileId: 'standard',
    minShelfLifeDays: 180,
    billOn: 'delivery',
    invoiceGrouping: 'per-shipment',
    billingPeriod: 'monthly',
    freightMarkupBp: 0,
    isTaxExempt: false,
    isActive: true,
    salesRepEmail: 'dana.kowalski@closedloop-demo.example',
    billingAddress: {
      name: 'Acme Industrial Supply, Inc. - Accounts Payable',
      line1: '200 East Broad Street',
      line2: 'Suite 1400',
      city: 'Columbus',
      region: 'OH',
      postalCode: '43215',
      country: 'US',
    },
  },
  {
    // Only $1,000.00 of headroom: almost every order goes to credit approval.
    id: 'CUST-GLOBEX',
    name: 'Globex Corporation',
    currency: 'USD',
    creditLimitMinor: 2_000_000n,
    openReceivablesMinor: 1_900_000n,
    isOnCreditHold: false,
    paymentTerms: 'NET60',
    slaProfileId: 'express',
    minShelfLifeDays: 90,
    billOn: 'ship',
    invoiceGrouping: 'per-order',
    billingPeriod: 'monthly',
    freightMarkupBp: 1000,
    isTaxExempt: false,
    isActive: true,
    salesRepEmail: 'marcus.hale@closedloop-demo.example',
    billingAddress: {
      name: 'Globex Corporation - Accounts Payable',
      line1: '1 Globex Plaza',
      city: 'Cypress Creek',
      region: 'OR',
      postalCode: '97301',
      country: 'US',
    },
  },
  {
    id: 'CUST-INITECH',
    name: 'Initech Facilities LLC',
    currency: 'USD',
    creditLimitMinor: 10_000_000n,
    openReceivablesMinor: 2_500_000n,
    isOnCreditHold: false,
    paymentTerms: 'NET90',
    slaProfileId: 'economy',
    minShelfLifeDays: 0,
    billOn: 'delivery',
    invoiceGrouping: 'per-period',
    billingPeriod: 'monthly',
    freightMarkupBp: 0,
    isTaxExempt: true,
    isActive: true,
    salesRepEmail: 'dana.kowalski@closedloop-demo.example',
    billingAddress: {
      name: 'Initech Facilities LLC - AP Department',
      line1: '4120 Freidrich Lane',
      city: 'Austin',
      region: 'TX',
      postalCode: '78744',
      country: 'US',
    },
  },
  {
    id: 'CUST-UMBRELLA',
    name: 'Umbrella Industrietechnik GmbH',
    currency: 'EUR',
    creditLimitMinor: 30_000_000n,
    openReceivablesMinor: 4_000_000n,
    isOnCreditHold: false,
    paymentTerms: 'NET30',
    slaProfileId: 'standard',
    minShelfLifeDays: 120,
    billOn: 'delivery',
    invoiceGrouping: 'per-period',
    billingPeriod: 'weekly',
    freightMarkupBp: 500,
    isTaxExempt: false,
    isActive: true,
    salesRepEmail: 'export.sales@closedloop-demo.example',
    billingAddress: {
      name: 'Umbrella Industrietechnik GmbH - Kreditorenbuchhaltung',
      line1: 'Industriestrasse 12',
      city: 'Stuttgart',
      postalCode: '70565',
      country: 'DE',
    },
  },
  {
    // Over terms (dunning set the hold): every new order goes on credit hold regardless of amount.
    id: 'CUST-HOOLI',
    name: 'Hooli Manufacturing Co.',
    currency: 'USD',
    creditLimitMinor: 20_000_000n,
    openReceivablesMinor: 18_500_000n,
    isOnCreditHold: true,
    paymentTerms: 'NET30',
    slaProfileId: 'standard',
    minShelfLifeDays: 0,
    billOn: 'delivery',
    invoiceGrouping: 'per-shipment',
    billingPeriod: 'monthly',
    freightMarkupBp: 0,
    isTaxExempt: false,
    isActive: true,
    salesRepEmail: 'marcus.hale@closedloop-demo.example',
    billingAddress: {
      name: 'Hooli Manufacturing Co. - Accounts Payable',
      line1: '1401 N Shoreline Blvd',
      city: 'Mountain View',
      region: 'CA',
      postalCode: '94043',
      country: 'US',
    },
  },
  {
    id: 'CUST-DORMANT',
    name: 'Dormant Fabrication Works',
    currency: 'USD',
    creditLimitMinor: 1_000_000n,
    openReceivablesMinor: 0n,
    isOnCreditHold: false,
    paymentTerms: 'NET30',
    slaProfileId: 'economy',
    minShelfLifeDays: 0,
    billOn: 'delivery',
    invoiceGrouping: 'per-shipment',
    billingPeriod: 'monthly',
    freightMarkupBp: 0,
    isTaxExempt: false,
    isActive: false,
    salesRepEmail: null,
    billingAddress: {
      name: 'Dormant Fabrication Works - Accounts Payable',
      line1: '1 Old Mill Road',
      city: 'Springfield',
      region: 'IL',
      postalCode: '62701',
      country: 'US',
    },
  },
];

export const WAREHOUSES = [
  { id: 'WH-COLUMBUS', name: 'Columbus, OH distribution center', priority: 1, country: 'US', region: 'OH' },
  { id: 'WH-RENO', name: 'Reno, NV distribution center', priority: 2, country: 'US', region: 'NV' },
] as const;

interface SkuRow {
  sku: string;
  description: string;
  unitWeightGrams: number;
  hazardClass: string | null;
  isLotTracked: boolean;
  listPriceMinor: bigint;
  currency: string;
  leadTimeDays: number;
  isActive: boolean;
}

const sku = (
  row: Omit<SkuRow, 'currency' | 'hazardClass' | 'isLotTracked' | 'isActive'> & Partial<SkuRow>,
): SkuRow => ({
  currency: 'USD',
  hazardClass: null,
  isLotTracked: false,
  isActive: true,
  ...row,
});

export const SKUS: readonly SkuRow[] = [
  sku({
    sku: 'VALVE-BR-050',
    description: 'Brass ball valve 1/2" NPT, full port, 600 WOG',
    unitWeightGrams: 450,
    listPriceMinor: 2_450n,
    leadTimeDays: 14,
  }),
  sku({
    sku: 'GASKET-NBR-050',
    description: 'NBR (Buna-N) flange gasket 1/2", 1/16" thick',
    unitWeightGrams: 12,
    listPriceMinor: 85n,
    leadTimeDays: 10,
  }),
  sku({
    sku: 'SOLVENT-IPA-20L',
    description: 'Isopropyl alcohol 99%, 20 L steel drum (UN1219)',
    unitWeightGrams: 17_000,
    hazardClass: '3',
    isLotTracked: true,
    listPriceMinor: 9_800n,
    leadTimeDays: 21,
  }),
  sku({
    sku: 'SEALANT-PTFE-300',
    description: 'PTFE thread sealant paste, 300 mL tube',
    unitWeightGrams: 420,
    isLotTracked: true,
    listPriceMinor: 1_450n,
    leadTimeDays: 14,
  }),
  sku({
    sku: 'CLEANER-ALK-5L',
    description: 'Alkaline degreaser concentrate, 5 L jug (UN1719, corrosive)',
    unitWeightGrams: 5_600,
    hazardClass: '8',
    listPriceMinor: 3_900n,
    leadTimeDays: 10,
  }),
  sku({
    sku: 'AEROSOL-LUBE-400',
    description: 'Penetrating lubricant aerosol, 400 mL can (UN1950)',
    unitWeightGrams: 480,
    hazardClass: '2.1',
    listPriceMinor: 790n,
    leadTimeDays: 7,
  }),
  sku({
    sku: 'BEARING-6204-2RS',
    description: 'Deep groove ball bearing 6204-2RS, 20x47x14 mm, sealed',
    unitWeightGrams: 110,
    listPriceMinor: 640n,
    leadTimeDays: 7,
  }),
  sku({
    sku: 'PUMP-CF-250',
    description: 'End-suction centrifugal pump 15 hp, cast iron, skid mounted (pallet)',
    unitWeightGrams: 250_000,
    listPriceMinor: 1_285_000n,
    leadTimeDays: 45,
  }),
  // For the demo orders npm start runs on a fresh database (runtime/demo-orders.ts):
  // an oxidizer (class 5.1) that no built-in carrier is licensed to haul, so its shipment stops at
  // book-carrier until ops arrange a carrier or cancel it, and a motor stocked one at a time with a
  // four-week replenishment lead time and no receipt scheduled.
  sku({
    sku: 'OXIDIZER-H2O2-20L',
    description: 'Hydrogen peroxide 35%, 20 L vented drum (UN2014, oxidizer)',
    unitWeightGrams: 23_500,
    hazardClass: '5.1',
    listPriceMinor: 8_900n,
    leadTimeDays: 14,
  }),
  sku({
    sku: 'MOTOR-TEFC-075',
    description: 'TEFC electric motor 7.5 hp, 213T frame, 460 V',
    unitWeightGrams: 61_000,
    listPriceMinor: 98_500n,
    leadTimeDays: 28,
  }),
  sku({
    sku: 'LEGACY-PUMP-01',
    description: 'Air-operated diaphragm pump 1" (discontinued)',
    unitWeightGrams: 32_000,
    listPriceMinor: 145_000n,
    leadTimeDays: 90,
    isActive: false,
  }),
];

export const CONTRACT_PRICES = [
  { customerId: 'CUST-ACME', sku: 'VALVE-BR-050', unitPriceMinor: 2_150n, currency: 'USD' },
  { customerId: 'CUST-ACME', sku: 'GASKET-NBR-050', unitPriceMinor: 85n, currency: 'USD' },
  { customerId: 'CUST-ACME', sku: 'SOLVENT-IPA-20L', unitPriceMinor: 9_200n, currency: 'USD' },
  { customerId: 'CUST-ACME', sku: 'BEARING-6204-2RS', unitPriceMinor: 560n, currency: 'USD' },
  { customerId: 'CUST-GLOBEX', sku: 'VALVE-BR-050', unitPriceMinor: 2_300n, currency: 'USD' },
  { customerId: 'CUST-GLOBEX', sku: 'CLEANER-ALK-5L', unitPriceMinor: 3_600n, currency: 'USD' },
  { customerId: 'CUST-INITECH', sku: 'BEARING-6204-2RS', unitPriceMinor: 590n, currency: 'USD' },
  { customerId: 'CUST-INITECH', sku: 'PUMP-CF-250', unitPriceMinor: 1_199_000n, currency: 'USD' },
  { customerId: 'CUST-UMBRELLA', sku: 'VALVE-BR-050', unitPriceMinor: 2_050n, currency: 'EUR' },
  { customerId: 'CUST-UMBRELLA', sku: 'GASKET-NBR-050', unitPriceMinor: 80n, currency: 'EUR' },
  { customerId: 'CUST-UMBRELLA', sku: 'SEALANT-PTFE-300', unitPriceMinor: 1_390n, currency: 'EUR' },
  { customerId: 'CUST-UMBRELLA', sku: 'BEARING-6204-2RS', unitPriceMinor: 600n, currency: 'EUR' },
] as const;

export const PARCEL_MAX_GRAMS = 68_000;
export const LTL_MAX_GRAMS = 9_000_000;
/** One truck's legal payload (about 48,500 lb); heavier shipments have no rate. */
export const FTL_MAX_GRAMS = 22_000_000;

const PARCEL = { mode: 'parcel', minWeightGrams: 0, maxWeightGrams: PARCEL_MAX_GRAMS } as const;
const LTL = { mode: 'LTL', minWeightGrams: PARCEL_MAX_GRAMS + 1, maxWeightGrams: LTL_MAX_GRAMS } as const;
const FTL = { mode: 'FTL', minWeightGrams: LTL_MAX_GRAMS + 1, maxWeightGrams: FTL_MAX_GRAMS } as const;

export const CARRIERS = [
  {
    id: 'UPX',
    name: 'UPX Parcel',
    acceptedHazardClasses: [] as string[],
    rates: [{ ...PARCEL, baseMinor: 1_250n, perKgMinor: 95n, transitBusinessDays: 3 }],
  },
  {
    id: 'FREIGHTLINE',
    name: 'Freightline LTL & Truckload',
    acceptedHazardClasses: ['3', '8'],
    rates: [
      { ...LTL, baseMinor: 14_500n, perKgMinor: 18n, transitBusinessDays: 4 },
      { ...FTL, baseMinor: 240_000n, perKgMinor: 4n, transitBusinessDays: 3 },
    ],
  },
  {
    id: 'HAZEXPRESS',
    name: 'HazExpress Dangerous Goods',
    acceptedHazardClasses: ['2.1', '3', '8', '9'],
    rates: [
      { ...PARCEL, baseMinor: 4_500n, perKgMinor: 260n, transitBusinessDays: 2 },
      { ...LTL, baseMinor: 32_000n, perKgMinor: 35n, transitBusinessDays: 3 },
    ],
  },
  {
    id: 'ROADRUNNER',
    name: 'Roadrunner Freight',
    acceptedHazardClasses: [] as string[],
    rates: [
      { ...LTL, baseMinor: 11_000n, perKgMinor: 14n, transitBusinessDays: 5 },
      { ...FTL, baseMinor: 195_000n, perKgMinor: 3n, transitBusinessDays: 4 },
    ],
  },
] as const;

// -------------------------------------------------------------------------------------------------
// Stock, lots and receipts (days relative to today)

interface LotSpec {
  lotId: string;
  quantity: number;
  /** Days from today to expiry; negative = already expired. */
  expiresInDays: number;
}

interface StockSpec {
  warehouseId: string;
  sku: string;
  /** Plain on-hand for SKUs that are not lot tracked. */
  onHand?: number;
  /** Lots for lot-tracked SKUs; on-hand is their sum. */
  lots?: readonly LotSpec[];
}

export const STOCK: readonly StockSpec[] = [
  // WH-COLUMBUS (priority 1): ships examples/closed-won.json (240 valves, 1200 gaskets, 12 drums) complete,
  // about 25 times over (test suites send it often); 300 drums have the 180 days of shelf life ACME needs.
  { warehouseId: 'WH-COLUMBUS', sku: 'VALVE-BR-050', onHand: 6_000 },
  { warehouseId: 'WH-COLUMBUS', sku: 'GASKET-NBR-050', onHand: 60_000 },
  {
    warehouseId: 'WH-COLUMBUS',
    sku: 'SOLVENT-IPA-20L',
    lots: [
      { lotId: 'IPA-L01', quantity: 6, expiresInDays: -20 },
      { lotId: 'IPA-L02', quantity: 10, expiresInDays: 60 },
      { lotId: 'IPA-L03', quantity: 120, expiresInDays: 400 },
      { lotId: 'IPA-L04', quantity: 180, expiresInDays: 640 },
    ],
  },
  {
    warehouseId: 'WH-COLUMBUS',
    sku: 'SEALANT-PTFE-300',
    lots: [
      { lotId: 'PTFE-L01', quantity: 12, expiresInDays: -5 },
      { lotId: 'PTFE-L02', quantity: 40, expiresInDays: 45 },
      { lotId: 'PTFE-L03', quantity: 150, expiresInDays: 365 },
    ],
  },
  { warehouseId: 'WH-COLUMBUS', sku: 'CLEANER-ALK-5L', onHand: 80 },
  { warehouseId: 'WH-COLUMBUS', sku: 'AEROSOL-LUBE-400', onHand: 240 },
  { warehouseId: 'WH-COLUMBUS', sku: 'BEARING-6204-2RS', onHand: 1_500 },
  { warehouseId: 'WH-COLUMBUS', sku: 'PUMP-CF-250', onHand: 2 },
  { warehouseId: 'WH-COLUMBUS', sku: 'OXIDIZER-H2O2-20L', onHand: 24 },
  { warehouseId: 'WH-COLUMBUS', sku: 'MOTOR-TEFC-075', onHand: 1 },
  // WH-RENO (priority 2): no corrosives storage, so no CLEANER-ALK-5L; the last legacy pumps sit here.
  { warehouseId: 'WH-RENO', sku: 'VALVE-BR-050', onHand: 150 },
  { warehouseId: 'WH-RENO', sku: 'GASKET-NBR-050', onHand: 2_000 },
  {
    warehouseId: 'WH-RENO',
    sku: 'SOLVENT-IPA-20L',
    lots: [
      { lotId: 'IPA-R01', quantity: 8, expiresInDays: 75 },
      { lotId: 'IPA-R02', quantity: 16, expiresInDays: 540 },
    ],
  },
  {
    warehouseId: 'WH-RENO',
    sku: 'SEALANT-PTFE-300',
    lots: [
      { lotId: 'PTFE-R01', quantity: 20, expiresInDays: 80 },
      { lotId: 'PTFE-R02', quantity: 60, expiresInDays: 420 },
    ],
  },
  { warehouseId: 'WH-RENO', sku: 'AEROSOL-LUBE-400', onHand: 60 },
  { warehouseId: 'WH-RENO', sku: 'BEARING-6204-2RS', onHand: 800 },
  { warehouseId: 'WH-RENO', sku: 'PUMP-CF-250', onHand: 1 },
  { warehouseId: 'WH-RENO', sku: 'LEGACY-PUMP-01', onHand: 3 },
];

export const SCHEDULED_RECEIPTS = [
  {
    id: 'PO-RCPT-1001',
    warehouseId: 'WH-COLUMBUS',
    sku: 'VALVE-BR-050',
    kind: 'purchase',
    quantity: 400,
    dueInDays: 7,
  },
  {
    id: 'PO-RCPT-1002',
    warehouseId: 'WH-COLUMBUS',
    sku: 'SOLVENT-IPA-20L',
    kind: 'purchase',
    quantity: 40,
    dueInDays: 12,
    lotId: 'IPA-L05',
    expiresInDays: 730,
  },
  {
    id: 'PO-RCPT-1003',
    warehouseId: 'WH-RENO',
    sku: 'SEALANT-PTFE-300',
    kind: 'purchase',
    quantity: 100,
    dueInDays: 18,
    lotId: 'PTFE-R03',
    expiresInDays: 545,
  },
  {
    id: 'PROD-RCPT-2001',
    warehouseId: 'WH-COLUMBUS',
    sku: 'PUMP-CF-250',
    kind: 'production',
    quantity: 4,
    dueInDays: 15,
  },
] as const;

// -------------------------------------------------------------------------------------------------
// US federal holidays

const dateOnly = (iso: string): Date => new Date(`${iso}T00:00:00Z`);
const iso = (year: number, month: number, day: number): string =>
  new Date(Date.UTC(year, month, day)).toISOString().slice(0, 10);

/** The n-th (1-based) given weekday (0 = Sunday) of a month (0-based). */
function nthWeekday(year: number, month: number, weekday: number, n: number): string {
  const first = new Date(Date.UTC(year, month, 1)).getUTCDay();
  return iso(year, month, 1 + ((weekday - first + 7) % 7) + 7 * (n - 1));
}

/** The last given weekday (0 = Sunday) of a month (0-based). */
function lastWeekday(year: number, month: number, weekday: number): string {
  const lastDay = new Date(Date.UTC(year, month + 1, 0));
  return iso(year, month, lastDay.getUTCDate() - ((lastDay.getUTCDay() - weekday + 7) % 7));
}

/**
 * US federal holidays of a year as exact dates; a fixed-date holiday on a weekend also gets its observed
 * weekday (Saturday -> Friday before, Sunday -> Monday after), the day warehouses and carriers close.
 */
export function usFederalHolidays(year: number): { date: string; name: string }[] {
  const fixed = (month: number, day: number, name: string): { date: string; name: string }[] => {
    const date = iso(year, month, day);
    const weekday = dateOnly(date).getUTCDay();
    if (weekday === 6)
      return [
        { date, name },
        { date: addCalendarDays(date, -1), name: `${name} (observed)` },
      ];
    if (weekday === 0)
      return [
        { date, name },
        { date: addCalendarDays(date, 1), name: `${name} (observed)` },
      ];
    return [{ date, name }];
  };
  return [
    ...fixed(0, 1, "New Year's Day"),
    { date: nthWeekday(year, 0, 1, 3), name: 'Birthday of Martin Luther King, Jr.' },
    { date: nthWeekday(year, 1, 1, 3), name: "Washington's Birthday" },
    { date: lastWeekday(year, 4, 1), name: 'Memorial Day' },
    ...fixed(5, 19, 'Juneteenth National Independence Day'),
    ...fixed(6, 4, 'Independence Day'),
    { date: nthWeekday(year, 8, 1, 1), name: 'Labor Day' },
    { date: nthWeekday(year, 9, 1, 2), name: 'Columbus Day' },
    ...fixed(10, 11, 'Veterans Day'),
    { date: nthWeekday(year, 10, 4, 4), name: 'Thanksgiving Day' },
    ...fixed(11, 25, 'Christmas Day'),
  ].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}

// -------------------------------------------------------------------------------------------------

/**
 * Loads the demo data set. Needs a migrated database and `today` as 'YYYY-MM-DD' (throws a RangeError
 * otherwise). Promises: afterwards every row above exists; master data equals the values above; stock,
 * lots and receipts that already existed are untouched. `created` is true when any row was inserted.
 */
export async function seedDemoData(db: Db, options: SeedOptions): Promise<SeedResult> {
  const { today } = options;
  if (!isIsoDate(today)) throw new RangeError(`today must be a calendar date as YYYY-MM-DD (got "${today}")`);
  const inDays = (days: number): Date => dateOnly(addCalendarDays(today, days));
  const year = Number(today.slice(0, 4));
  const holidays = [...usFederalHolidays(year), ...usFederalHolidays(year + 1)];

  return db.$transaction(
    async (tx) => {
      await tx.$queryRaw(Prisma.sql`SELECT pg_advisory_xact_lock(${SEED_LOCK_KEY}::bigint)::text AS locked`);
      let inserted = 0;

      // Master data: insert what is missing (ON CONFLICT DO NOTHING), then bring every row to its values.
      const slaProfiles = SLA_PROFILES.map((p) => ({ ...p, stepDurations: { ...p.stepDurations } }));
      inserted += (await tx.slaProfile.createMany({ data: slaProfiles, skipDuplicates: true })).count;
      for (const { id, ...data } of slaProfiles) await tx.slaProfile.update({ where: { id }, data });

      inserted += (await tx.customer.createMany({ data: [...CUSTOMERS], skipDuplicates: true })).count;
      for (const { id, ...data } of CUSTOMERS) await tx.customer.update({ where: { id }, data });

      inserted += (await tx.warehouse.createMany({ data: [...WAREHOUSES], skipDuplicates: true })).count;
      for (const { id, ...data } of WAREHOUSES) await tx.warehouse.update({ where: { id }, data });

      inserted += (await tx.sku.createMany({ data: [...SKUS], skipDuplicates: true })).count;
      for (const { sku: id, ...data } of SKUS) await tx.sku.update({ where: { sku: id }, data });

      inserted += (await tx.contractPrice.createMany({ data: [...CONTRACT_PRICES], skipDuplicates: true })).count;
      for (const { customerId, sku: id, ...data } of CONTRACT_PRICES) {
        await tx.contractPrice.update({ where: { customerId_sku: { customerId, sku: id } }, data });
      }

      for (const { rates, ...carrier } of CARRIERS) {
        const data = { name: carrier.name, acceptedHazardClasses: [...carrier.acceptedHazardClasses] };
        const existing = await tx.carrier.findUnique({ where: { id: carrier.id } });
        if (existing) await tx.carrier.update({ where: { id: carrier.id }, data });
        else {
          await tx.carrier.create({ data: { id: carrier.id, ...data } });
          inserted += 1;
        }
        // Carrier rates have a surrogate key: (carrier, mode) identifies a demo rate.
        for (const rate of rates) {
          const found = await tx.carrierRate.findFirst({
            where: { carrierId: carrier.id, mode: rate.mode },
            orderBy: { id: 'asc' },
          });
          if (found) await tx.carrierRate.update({ where: { id: found.id }, data: { ...rate } });
          else {
            await tx.carrierRate.create({ data: { carrierId: carrier.id, ...rate } });
            inserted += 1;
          }
        }
      }

      const holidayRows = holidays.map((h) => ({ date: dateOnly(h.date), name: h.name }));
      inserted += (await tx.holiday.createMany({ data: holidayRows, skipDuplicates: true })).count;
      for (const { date, name } of holidayRows) await tx.holiday.update({ where: { date }, data: { name } });

      // Stock, lots, receipts: insert only when missing, so nothing orders reserved or picked is reset.
      inserted += (
        await tx.stock.createMany({
          data: STOCK.map((s) => ({
            warehouseId: s.warehouseId,
            sku: s.sku,
            onHand: s.lots ? s.lots.reduce((sum, lot) => sum + lot.quantity, 0) : (s.onHand ?? 0),
          })),
          skipDuplicates: true,
        })
      ).count;
      inserted += (
        await tx.stockLot.createMany({
          data: STOCK.flatMap((s) =>
            (s.lots ?? []).map((lot) => ({
              warehouseId: s.warehouseId,
              sku: s.sku,
              lotId: lot.lotId,
              quantity: lot.quantity,
              expiryDate: inDays(lot.expiresInDays),
            })),
          ),
          skipDuplicates: true,
        })
      ).count;
      inserted += (
        await tx.scheduledReceipt.createMany({
          data: SCHEDULED_RECEIPTS.map((r) => ({
            id: r.id,
            warehouseId: r.warehouseId,
            sku: r.sku,
            kind: r.kind,
            quantity: r.quantity,
            dueDate: inDays(r.dueInDays),
            lotId: 'lotId' in r ? r.lotId : null,
            expiryDate: 'expiresInDays' in r ? inDays(r.expiresInDays) : null,
          })),
          skipDuplicates: true,
        })
      ).count;

      return { created: inserted > 0 };
    },
    { timeout: 60_000, maxWait: 60_000 },
  );
}
