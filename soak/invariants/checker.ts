/**
 * What every invariant family shares: the inputs it reads, the checker it reports to and the shapes of
 * the JSON columns it looks inside.
 */
import type { Client } from '@temporalio/client';
import type { Db } from '../../lib/db';
import type { CapturedMail } from '../../runtime/mail-capture';
import type { Catalogue } from '../catalogue';

export interface InvariantResult {
  name: string;
  checked: number;
  held: boolean;
  broken: unknown[];
}

export interface InvariantInputs {
  db: Db;
  temporal: Client;
  catalogue: Catalogue;
  mail: CapturedMail[];
  workerKills: number;
  /** The AR aging report as the API answered it. */
  aging: { rows: { customerId: string; currency: string; totalMinor: number }[] } | undefined;
}

/** A report keeps this many broken rows per invariant: enough to diagnose, small enough to read. */
const MAX_ROWS = 25;

export class Checker {
  readonly results: InvariantResult[] = [];
  /** Activity attempts beyond the first (adapter faults, kills, timeouts), read from the histories. */
  activityRetries = 0;
  check(name: string, items: number, broken: unknown[]): void {
    this.results.push({ name, checked: items, held: broken.length === 0, broken: broken.slice(0, MAX_ROWS) });
  }
}

/** The `picks` JSON of a shipment. */
export type Picks = {
  lines: { lineNo: number; sku: string; quantity: number; lots: { lotId: string; quantity: number }[] }[];
};

/** The `lines` JSON of an invoice: the computed invoice. */
export type ComputedInvoice = {
  lines: { sku: string; quantity: number; amountMinor: number; taxMinor: number }[];
  freightMinor: number;
  freightTaxMinor: number;
  accessorials: { amountMinor: number; taxMinor: number }[];
  deductions: { amountMinor: number }[];
  subtotalMinor: number;
  taxMinor: number;
  totalMinor: number;
};

export const add = (map: Map<string, number>, key: string, by: number) => map.set(key, (map.get(key) ?? 0) + by);

/** Every row a soak creates carries its tag: orders `order-SOAK-<tag>-…`, customers and SKUs `SK-<tag>-…`. */
export const orderPrefix = (tag: string) => `order-SOAK-${tag}-`;
export const customerPrefix = (tag: string) => `SK-${tag}-`;
