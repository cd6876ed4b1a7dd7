/**
 * The catalogue a soak run builds on top of the demo master data (carriers, holidays, SLA profiles,
 * tax table): its own warehouses, SKUs of every kind (plain, scarce, lot tracked with short-dated
 * lots, hazardous, lead-time only), stock, scheduled receipts and customers covering every invoice
 * grouping, payment terms, bill-on rule, shelf-life minimum and credit situation. All ids carry the
 * run's tag, so a soak can share a database with other runs without reading their stock.
 */
import type { Db } from '../lib/db';
import type { Random } from './random';

export interface SoakSku {
  sku: string;
  kind: 'plain' | 'scarce' | 'lot' | 'hazardous' | 'lead-time';
  isLotTracked: boolean;
  unitPriceMinor: number;
  unitWeightGrams: number;
}

export interface SoakCustomer {
  id: string;
  name: string;
  currency: 'USD';
  invoiceGrouping: string;
  paymentTerms: string;
  isCreditTight: boolean;
  /** Finance never pays, voids nor writes off its invoices: some stay open, so AR aging has balances to compare. */
  isNeverPaying: boolean;
  /** Contract unit prices by SKU. */
  contractPrices: Map<string, number>;
}

export interface SoakReceipt {
  id: string;
  warehouseId: string;
  sku: string;
  quantity: number;
}

export interface Catalogue {
  tag: string;
  warehouses: { id: string; region: string }[];
  skus: SoakSku[];
  customers: SoakCustomer[];
  receipts: SoakReceipt[];
  /** Stock at creation, per `${warehouseId}|${sku}` and per `${warehouseId}|${sku}|${lotId}`. */
  initialOnHand: Map<string, number>;
  initialLots: Map<string, number>;
  /** Regions with a tax rate, where orders ship to. */
  shipToRegions: { region: string; city: string; postalCode: string }[];
}

const day = (offset: number) =>
  new Date(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate() + offset));

/**
 * Stock and receipts grow with the run (`orders`, one step per 40 orders): at a fixed size, the first
 * few dozen orders take every unit and the rest of a long run waits on backorders, so little ships and
 * the money invariants compare almost nothing. Scarce and lead-time SKUs stay scarce.
 */
export async function buildCatalogue(db: Db, random: Random, orders: number): Promise<Catalogue> {
  const tag = random.tag();
  const id = (kind: string, n: number | string) => `SK-${tag}-${kind}-${n}`;
  const ctx: Build = { db, random, tag, id, scale: Math.max(1, Math.round(orders / 40)) };
  // Order matters: every step draws from the seeded random source, so a seed rebuilds the same catalogue.
  const warehouses = await createWarehouses(ctx);
  const skus = await createSkus(ctx);
  const { initialOnHand, initialLots } = await createStock(ctx, warehouses, skus);
  const receipts = await createReceipts(ctx, warehouses, skus);
  const customers = await createCustomers(ctx, skus);
  return {
    tag,
    warehouses: warehouses.map(({ id: wid, region }) => ({ id: wid, region })),
    skus,
    customers,
    receipts,
    initialOnHand,
    initialLots,
    shipToRegions: [
      { region: 'OH', city: 'Columbus', postalCode: '43219' },
      { region: 'TX', city: 'Austin', postalCode: '73301' },
      { region: 'CA', city: 'Fresno', postalCode: '93650' },
      { region: 'NY', city: 'Albany', postalCode: '12207' },
      { region: 'IL', city: 'Peoria', postalCode: '61602' },
    ],
  };
}

/** What every building step needs: where to write, the random source and the run's tagged ids. */
interface Build {
  db: Db;
  random: Random;
  tag: string;
  id: (kind: string, n: number | string) => string;
  /** How many times the stock and receipts of a 40-order run this run needs. */
  scale: number;
}

type SoakWarehouse = { id: string; region: string; priority: number };

async function createWarehouses({ db, id }: Build): Promise<SoakWarehouse[]> {
  const warehouses = [
    { id: id('WH', 1), region: 'OH', priority: 101 },
    { id: id('WH', 2), region: 'TX', priority: 102 },
    { id: id('WH', 3), region: 'CA', priority: 103 },
  ];
  await db.warehouse.createMany({
    data: warehouses.map((w) => ({
      id: w.id,
      name: `Soak ${w.region} warehouse`,
      priority: w.priority,
      country: 'US',
      region: w.region,
    })),
  });
  return warehouses;
}

async function createSkus({ db, random, tag, id }: Build): Promise<SoakSku[]> {
  const kinds: SoakSku['kind'][] = ['plain', 'plain', 'scarce', 'scarce', 'lot', 'lot', 'hazardous', 'lead-time'];
  const skus: SoakSku[] = kinds.map((kind, i) => ({
    sku: id('SKU', `${i + 1}${kind[0]!.toUpperCase()}`),
    kind,
    isLotTracked: kind === 'lot',
    unitPriceMinor: random.int(150, 45_000),
    unitWeightGrams: kind === 'lot' || kind === 'hazardous' ? random.int(5_000, 18_000) : random.int(10, 2_500),
  }));
  await db.sku.createMany({
    data: skus.map((s, i) => ({
      sku: s.sku,
      description: `${s.kind} item ${i + 1} of soak ${tag}${random.chance(0.3) ? ', with a deliberately long description that wraps in documents' : ''}`,
      unitWeightGrams: s.unitWeightGrams,
      hazardClass: s.kind === 'hazardous' ? '8' : s.kind === 'lot' && i % 2 === 0 ? '3' : null,
      isLotTracked: s.isLotTracked,
      listPriceMinor: BigInt(s.unitPriceMinor),
      currency: 'USD',
      leadTimeDays: random.int(5, 30),
    })),
  });
  return skus;
}

async function createStock(ctx: Build, warehouses: SoakWarehouse[], skus: SoakSku[]) {
  const { db, random, scale } = ctx;
  const initialOnHand = new Map<string, number>();
  const initialLots = new Map<string, number>();
  for (const w of warehouses) {
    for (const s of skus) {
      const onHand =
        s.kind === 'plain'
          ? random.int(200, 2_000) * scale
          : s.kind === 'scarce'
            ? random.int(0, 12)
            : s.kind === 'lead-time'
              ? 0
              : random.int(10, 120) * scale;
      if (s.isLotTracked && onHand > 0) {
        for (const l of await createLots(ctx, w.id, s.sku, onHand))
          initialLots.set(`${w.id}|${s.sku}|${l.lotId}`, l.quantity);
      }
      await db.stock.create({ data: { warehouseId: w.id, sku: s.sku, onHand } });
      initialOnHand.set(`${w.id}|${s.sku}`, onHand);
    }
  }
  return { initialOnHand, initialLots };
}

/** Lots of every shelf-life situation: expired, short-dated, long-dated. */
async function createLots({ db, random, tag }: Build, warehouseId: string, sku: string, onHand: number) {
  const expired = Math.min(onHand, random.int(0, 4));
  const short = Math.min(onHand - expired, random.int(0, 10));
  const rest = onHand - expired - short;
  const lots = [
    { lotId: `L-${tag}-X`, quantity: expired, expiry: day(-3) },
    { lotId: `L-${tag}-S`, quantity: short, expiry: day(40) },
    { lotId: `L-${tag}-A`, quantity: Math.floor(rest / 2), expiry: day(300) },
    { lotId: `L-${tag}-B`, quantity: rest - Math.floor(rest / 2), expiry: day(700) },
  ].filter((l) => l.quantity > 0);
  await db.stockLot.createMany({
    data: lots.map((l) => ({ warehouseId, sku, lotId: l.lotId, quantity: l.quantity, expiryDate: l.expiry })),
  });
  return lots;
}

async function createReceipts(
  { db, random, tag, id, scale }: Build,
  warehouses: SoakWarehouse[],
  skus: SoakSku[],
): Promise<SoakReceipt[]> {
  const receipts: SoakReceipt[] = [];
  let n = 0;
  for (const s of skus.filter((k) => k.kind === 'scarce' || k.kind === 'lot')) {
    for (let i = 0; i < random.int(1, 2); i += 1) {
      n += 1;
      const w = random.pick(warehouses);
      const receipt = { id: id('RCPT', n), warehouseId: w.id, sku: s.sku, quantity: random.int(5, 60) * scale };
      receipts.push(receipt);
      await db.scheduledReceipt.create({
        data: {
          id: receipt.id,
          warehouseId: receipt.warehouseId,
          sku: receipt.sku,
          kind: 'purchase',
          quantity: receipt.quantity,
          dueDate: day(random.int(3, 20)),
          ...(s.isLotTracked ? { lotId: `L-${tag}-R${n}`, expiryDate: day(800) } : {}),
        },
      });
    }
  }
  return receipts;
}

/**
 * One customer per invoice grouping, payment terms, bill-on rule, shelf-life minimum and credit
 * situation, and one that never pays.
 */
const CUSTOMER_SPECS = [
  { grouping: 'per-shipment', terms: '2/10 NET30', billOn: 'delivery', shelf: 180, tight: false, period: 'monthly' },
  { grouping: 'per-shipment', terms: 'NET30', billOn: 'ship', shelf: 0, tight: false, period: 'monthly' },
  { grouping: 'per-order', terms: 'NET60', billOn: 'ship', shelf: 90, tight: true, period: 'monthly' },
  { grouping: 'per-period', terms: 'NET90', billOn: 'delivery', shelf: 0, tight: false, period: 'monthly' },
  { grouping: 'per-period', terms: '1/15 NET45', billOn: 'delivery', shelf: 120, tight: false, period: 'weekly' },
  { grouping: 'per-shipment', terms: 'NET30', billOn: 'ship', shelf: 0, tight: false, period: 'monthly', never: true },
];

async function createCustomers({ db, random, id }: Build, skus: SoakSku[]): Promise<SoakCustomer[]> {
  const customers: SoakCustomer[] = [];
  for (const [i, spec] of CUSTOMER_SPECS.entries()) {
    const contractPrices = new Map(
      random.sample(skus, 3).map((s) => [s.sku, Math.max(1, Math.round(s.unitPriceMinor * 0.9))]),
    );
    const customer = {
      id: id('CUST', i + 1),
      name: `Soak Customer ${i + 1} (${spec.grouping}, ${spec.terms})`,
      currency: 'USD' as const,
      invoiceGrouping: spec.grouping,
      paymentTerms: spec.terms,
      isCreditTight: spec.tight,
      isNeverPaying: spec.never === true,
      contractPrices,
    };
    customers.push(customer);
    await db.customer.create({
      data: {
        id: customer.id,
        name: customer.name,
        currency: 'USD',
        creditLimitMinor: spec.tight ? 5_000_000n : 5_000_000_000n,
        openReceivablesMinor: spec.tight ? 4_000_000n : 0n,
        paymentTerms: spec.terms,
        slaProfileId: random.pick(['standard', 'express', 'economy']),
        minShelfLifeDays: spec.shelf,
        billOn: spec.billOn,
        invoiceGrouping: spec.grouping,
        billingPeriod: spec.period,
        isTaxExempt: i === 1 && random.chance(0.5),
      },
    });
    await db.contractPrice.createMany({
      data: [...contractPrices].map(([sku, price]) => ({
        customerId: customer.id,
        sku,
        unitPriceMinor: BigInt(price),
        currency: 'USD',
      })),
    });
  }
  return customers;
}
