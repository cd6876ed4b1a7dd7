/**
 * Master data for one test: a customer, SKUs, stock and receipts with ids unique to the test, so tests
 * run side by side in one database without seeing each other's stock. Carriers are shared (fixed ids).
 */
import { randomUUID } from 'node:crypto';
import type { Db } from '../../lib/db';
import type { ClosedWonEvent } from '../../domain/closed-won';
import { makeEvent } from './harness';

export const isoDay = (offsetDays = 0): string => new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);
const day = (offset: number) => new Date(`${isoDay(offset)}T00:00:00Z`);

export interface Fixture {
  tag: string;
  customerId: string;
  sku: { valve: string; solvent: string; gasket: string };
  warehouses: { primary: string; secondary: string };
  slaProfileId: string;
  event(overrides?: Partial<ClosedWonEvent>): ClosedWonEvent;
}

export interface FixtureOptions {
  creditLimitMinor?: number;
  openReceivablesMinor?: number;
  stock?: { primary?: Partial<Record<'valve' | 'solvent' | 'gasket', number>>; secondary?: Partial<Record<'valve' | 'solvent' | 'gasket', number>> };
  stepDurations?: Record<string, string>;
  minShelfLifeDays?: number;
}

export async function ensureCarriers(db: Db): Promise<void> {
  await db.carrier.createMany({
    data: [
      { id: 'T-PARCEL', name: 'Test Parcel', acceptedHazardClasses: [] },
      { id: 'T-FREIGHT', name: 'Test Freight', acceptedHazardClasses: [] },
      { id: 'T-HAZMAT', name: 'Test Hazmat Freight', acceptedHazardClasses: ['3', '8'] },
    ],
    skipDuplicates: true,
  });
  if ((await db.carrierRate.count({ where: { carrierId: { startsWith: 'T-' } } })) > 0) return;
  await db.carrierRate.createMany({
    data: [
      { carrierId: 'T-PARCEL', mode: 'parcel', minWeightGrams: 0, maxWeightGrams: 68_000, baseMinor: 900n, perKgMinor: 120n, transitBusinessDays: 2 },
      { carrierId: 'T-FREIGHT', mode: 'LTL', minWeightGrams: 68_001, maxWeightGrams: 9_000_000, baseMinor: 9_000n, perKgMinor: 25n, transitBusinessDays: 3 },
      { carrierId: 'T-HAZMAT', mode: 'parcel', minWeightGrams: 0, maxWeightGrams: 68_000, baseMinor: 2_500n, perKgMinor: 300n, transitBusinessDays: 3 },
      { carrierId: 'T-HAZMAT', mode: 'LTL', minWeightGrams: 68_001, maxWeightGrams: 9_000_000, baseMinor: 15_000n, perKgMinor: 45n, transitBusinessDays: 4 },
    ],
  });
}

export async function createFixture(db: Db, options: FixtureOptions = {}): Promise<Fixture> {
  const tag = randomUUID().slice(0, 8).toUpperCase();
  const customerId = `C-${tag}`;
  const slaProfileId = `sla-${tag.toLowerCase()}`;
  const sku = { valve: `VALVE-${tag}`, solvent: `SOLVENT-${tag}`, gasket: `GASKET-${tag}` };
  const warehouses = { primary: `WH-A-${tag}`, secondary: `WH-B-${tag}` };
  await ensureCarriers(db);
  await db.slaProfile.create({
    data: { id: slaProfileId, name: 'test profile', stepDurations: options.stepDurations ?? {}, handlingBusinessDays: 1, otifPenaltyBp: 200 },
  });
  await db.customer.create({
    data: {
      id: customerId,
      name: `Test Customer ${tag}`,
      currency: 'USD',
      creditLimitMinor: BigInt(options.creditLimitMinor ?? 100_000_000),
      openReceivablesMinor: BigInt(options.openReceivablesMinor ?? 0),
      paymentTerms: 'NET30',
      slaProfileId,
      minShelfLifeDays: options.minShelfLifeDays ?? 90,
      billingAddress: { name: `Test Customer ${tag} - Accounts Payable`, line1: '200 East Broad Street', city: 'Columbus', region: 'OH', postalCode: '43215', country: 'US' },
    },
  });
  await db.sku.createMany({
    data: [
      { sku: sku.valve, description: 'Brass ball valve', unitWeightGrams: 450, listPriceMinor: 2_450n, currency: 'USD', leadTimeDays: 10 },
      { sku: sku.gasket, description: 'NBR gasket', unitWeightGrams: 12, listPriceMinor: 85n, currency: 'USD', leadTimeDays: 5 },
      { sku: sku.solvent, description: 'IPA 20 L drum', unitWeightGrams: 17_000, hazardClass: '3', isLotTracked: true, listPriceMinor: 9_800n, currency: 'USD', leadTimeDays: 15 },
    ],
  });
  await db.contractPrice.createMany({
    data: [
      { customerId, sku: sku.valve, unitPriceMinor: 2_150n, currency: 'USD' },
      { customerId, sku: sku.solvent, unitPriceMinor: 9_200n, currency: 'USD' },
    ],
  });
  await db.warehouse.createMany({
    data: [
      { id: warehouses.primary, name: 'Primary', priority: 1, country: 'US' },
      { id: warehouses.secondary, name: 'Secondary', priority: 2, country: 'US' },
    ],
  });
  const stock = {
    primary: { valve: 1000, gasket: 5000, solvent: 40, ...options.stock?.primary },
    secondary: { valve: 0, gasket: 0, solvent: 0, ...options.stock?.secondary },
  };
  for (const [where, warehouseId] of [['primary', warehouses.primary], ['secondary', warehouses.secondary]] as const) {
    const s = stock[where];
    await db.stock.createMany({
      data: (['valve', 'gasket', 'solvent'] as const).map((k) => ({ warehouseId, sku: sku[k], onHand: s[k] })),
    });
    if (s.solvent > 0) {
      // Lots: one expired, one too short for a 90-day shelf-life minimum, the rest long-dated.
      const fresh = Math.max(0, s.solvent - 6);
      await db.stockLot.createMany({
        data: [
          { warehouseId, sku: sku.solvent, lotId: `LOT-EXPIRED-${tag}`, quantity: 2, expiryDate: day(-5) },
          { warehouseId, sku: sku.solvent, lotId: `LOT-SHORT-${tag}`, quantity: 4, expiryDate: day(30) },
          { warehouseId, sku: sku.solvent, lotId: `LOT-A-${tag}`, quantity: Math.floor(fresh / 2), expiryDate: day(200) },
          { warehouseId, sku: sku.solvent, lotId: `LOT-B-${tag}`, quantity: fresh - Math.floor(fresh / 2), expiryDate: day(400) },
        ],
      });
    }
  }
  return {
    tag,
    customerId,
    sku,
    warehouses,
    slaProfileId,
    event(overrides = {}) {
      const base = makeEvent();
      return {
        ...base,
        customer: { ...base.customer, id: customerId, name: `Test Customer ${tag}` },
        slaProfile: undefined,
        lines: [
          { sku: sku.valve, quantity: 240, unitPriceMinor: 'contract' },
          { sku: sku.gasket, quantity: 1200, unitPriceMinor: 85 },
          { sku: sku.solvent, quantity: 12, unitPriceMinor: 'contract' },
        ],
        ...overrides,
      };
    },
  };
}
