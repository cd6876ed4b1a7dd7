/** Sections about business objects: credit holds, late backorders, returns, escalated invoices, CRM webhooks. */
import type { Db } from '../../../lib/db';
import { ITEM_CAP, linkTo, money, opt, sectionOf, type Section } from './section';
import { OPEN_INVOICE_STATUSES } from '../../../domain/statuses';

/** Orders on credit hold, oldest first: finance decides them. */
export async function creditHold(db: Db): Promise<Section> {
  return sectionOf(
    db.$queryRaw<
      {
        id: string;
        customer_id: string;
        customer_name: string;
        total_minor: bigint;
        currency: string;
        updated_at: Date;
        total: bigint;
      }[]
    >`
      SELECT id, customer_id, customer_name, total_minor, currency, updated_at, count(*) OVER () AS total
      FROM "order" WHERE status = 'credit_hold' ORDER BY updated_at ASC, id ASC LIMIT ${ITEM_CAP}`,
    (r) => ({
      ...linkTo('order', r.id, r.id, r.customer_id),
      title: `${r.id} on credit hold`,
      detail: `${r.customer_name}: ${money(r.total_minor, r.currency)} waiting for a credit decision`,
      at: r.updated_at.toISOString(),
    }),
  );
}

/** One item per order: its waiting backorder lines whose available (promised) date has passed. */
export async function backordersLate(db: Db): Promise<Section> {
  return sectionOf(
    db.$queryRaw<
      {
        order_id: string;
        customer_id: string;
        customer_name: string;
        lines: bigint;
        units: bigint;
        promised: Date;
        skus: string[];
        total: bigint;
      }[]
    >`
      SELECT b.order_id, o.customer_id, o.customer_name, count(*) AS lines, sum(b.quantity) AS units, min(b.available_date) AS promised,
             array_agg(DISTINCT b.sku) AS skus, count(*) OVER () AS total
      FROM backorder b JOIN "order" o ON o.id = b.order_id
      WHERE b.status = 'waiting' AND b.available_date < (now() AT TIME ZONE 'UTC')::date
      GROUP BY b.order_id, o.customer_id, o.customer_name
      ORDER BY promised ASC, b.order_id ASC LIMIT ${ITEM_CAP}`,
    (r) => ({
      ...linkTo('order', r.order_id, r.order_id, r.customer_id),
      title: `${r.order_id}: backorder past its promised date`,
      detail: `${r.customer_name}: ${Number(r.units)} units of ${r.skus.join(', ')} promised ${r.promised.toISOString().slice(0, 10)}`,
      at: r.promised.toISOString(),
    }),
  );
}

/** Returns waiting for ops: approval, or inspection once received. */
export async function returnsAwaiting(db: Db): Promise<Section> {
  return sectionOf(
    db.$queryRaw<
      {
        id: string;
        order_id: string;
        customer_id: string;
        status: string;
        value_minor: bigint;
        currency: string;
        updated_at: Date;
        total: bigint;
      }[]
    >`
      SELECT id, order_id, customer_id, status, value_minor, currency, updated_at, count(*) OVER () AS total
      FROM return_request WHERE status IN ('pending_approval', 'received') ORDER BY updated_at ASC, id ASC LIMIT ${ITEM_CAP}`,
    (r) => ({
      ...linkTo('return', r.id, r.order_id, r.customer_id),
      title: `${r.id} awaiting ${r.status === 'received' ? 'inspection' : 'approval'}`,
      detail: `${money(r.value_minor, r.currency)} at invoiced prices`,
      at: r.updated_at.toISOString(),
    }),
  );
}

/** Open invoices dunning escalated, earliest due first. */
export async function invoicesEscalated(db: Db): Promise<Section> {
  return sectionOf(
    db.$queryRaw<
      {
        id: string;
        invoice_number: string | null;
        order_id: string;
        customer_id: string;
        status: string;
        currency: string;
        due_date: Date | null;
        balance: bigint;
        updated_at: Date;
        total: bigint;
      }[]
    >`
      SELECT id, invoice_number, order_id, customer_id, status, currency, due_date, updated_at,
             total_minor - paid_minor - discount_taken_minor - credited_minor AS balance, count(*) OVER () AS total
      FROM invoice WHERE is_escalated AND status = ANY(${[...OPEN_INVOICE_STATUSES]})
      ORDER BY due_date ASC NULLS LAST, id ASC LIMIT ${ITEM_CAP}`,
    (r) => ({
      ...linkTo('invoice', r.id, r.order_id, r.customer_id),
      title: `${r.invoice_number ?? r.id} escalated`,
      detail: `${r.status}, ${money(r.balance, r.currency)} open${r.due_date ? `, due ${r.due_date.toISOString().slice(0, 10)}` : ''}`,
      at: r.updated_at.toISOString(),
    }),
  );
}

/** Milestones not delivered after at least one attempt, with the last attempt's outcome. */
export async function webhooksFailed(db: Db): Promise<Section> {
  return sectionOf(
    db.$queryRaw<
      {
        idempotency_key: string;
        order_id: string;
        milestone: string;
        attempts: number;
        next_attempt_at: Date;
        customer_id: string | null;
        status_code: number | null;
        error: string | null;
        attempted_at: Date | null;
        total: bigint;
      }[]
    >`
      SELECT m.idempotency_key, m.order_id, m.milestone, m.attempts, m.next_attempt_at, o.customer_id, d.status_code, d.error, d.attempted_at,
             count(*) OVER () AS total
      FROM crm_milestone m
      LEFT JOIN "order" o ON o.id = m.order_id
      LEFT JOIN LATERAL (SELECT status_code, error, attempted_at FROM webhook_delivery w WHERE w.milestone_key = m.idempotency_key ORDER BY w.id DESC LIMIT 1) d ON true
      WHERE m.delivered_at IS NULL AND m.attempts > 0
      ORDER BY m.created_at ASC, m.idempotency_key ASC LIMIT ${ITEM_CAP}`,
    (r) => ({
      ...linkTo('webhook', r.idempotency_key, r.order_id, opt(r.customer_id)),
      title: `${r.order_id}: CRM milestone ${r.milestone} not delivered`,
      detail: `${r.attempts} attempt(s); last: ${r.status_code !== null ? `HTTP ${r.status_code}` : (r.error ?? 'no answer')}; next try ${r.next_attempt_at.toISOString()}`,
      at: (r.attempted_at ?? r.next_attempt_at).toISOString(),
    }),
  );
}
