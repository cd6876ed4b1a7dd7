/** What every work-queue section is made of: its items, how they link, and the helpers that word them. */
import { z } from 'zod';

export const ITEM_CAP = 50;

export const itemSchema = z.object({
  objectType: z.enum(['order', 'invoice', 'return', 'webhook']),
  objectId: z
    .string()
    .describe('The id to link to: order, invoice, return id, or the milestone idempotency key of a webhook'),
  orderId: z.string().optional(),
  customerId: z.string().optional(),
  title: z.string(),
  detail: z.string(),
  at: z.string().describe('When it started needing attention (or the deadline, for SLA sections)'),
});
export type Item = z.infer<typeof itemSchema>;
export type Section = { count: number; items: Item[] };

/** Step statuses after which a step no longer runs, waits or can breach. */
export const STEP_DONE = ['completed', 'skipped', 'not_required', 'failed', 'compensated', 'cancelled'];

/** A shipment's steps belong to its order on screen; invoices and returns have their own pages. */
export const objectOf = (runKind: string, runId: string, orderId: string): Pick<Item, 'objectType' | 'objectId'> =>
  runKind === 'invoice'
    ? { objectType: 'invoice', objectId: runId }
    : runKind === 'return'
      ? { objectType: 'return', objectId: runId }
      : { objectType: 'order', objectId: orderId };

export const opt = (value: string | null | undefined) => (value ? value : undefined);
export const money = (minor: bigint | number, currency: string) => `${currency} ${(Number(minor) / 100).toFixed(2)}`;
/** The `count(*) OVER ()` every section's query carries: the true number of matches beyond the cap. */
export const total = (rows: { total: bigint }[]) => Number(rows[0]?.total ?? 0);

/** What an item links to: its object's page, and the order and customer it belongs to. */
export const linkTo = (
  objectType: Item['objectType'],
  objectId: string,
  orderId: string,
  customerId: string | undefined,
): Pick<Item, 'objectType' | 'objectId' | 'orderId' | 'customerId'> => ({ objectType, objectId, orderId, customerId });

/** A section from its query (which carries `count(*) OVER () AS total`), each row worded as an item. */
export async function sectionOf<R extends { total: bigint }>(
  query: Promise<R[]>,
  toItem: (row: R) => Item,
): Promise<Section> {
  const rows = await query;
  return { count: total(rows), items: rows.map(toItem) };
}
