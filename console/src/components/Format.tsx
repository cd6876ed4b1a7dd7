/** Money in minor units, dates and statuses, formatted the same way on every screen. */

import { formatMinor } from '../finance/money';

/** Exact: formats the decimal string of the minor units, never a float division. */
export function formatMoney(amountMinor: number, currency: string): string {
  return formatMinor(amountMinor, currency);
}

export function Money({ minor, currency, className }: { minor: number; currency: string; className?: string }) {
  return <span className={`money ${className ?? ''}`}>{formatMoney(minor, currency)}</span>;
}

const dateTimeFormat = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short' });
const dateFormat = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeZone: 'UTC' });

export function formatDateTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dateTimeFormat.format(date);
}

/** An instant (ISO date-time) or a calendar day (YYYY-MM-DD, shown as that day). */
export function DateTime({ value, empty = '—' }: { value: string | null | undefined; empty?: string }) {
  if (!value) return <span className="muted">{empty}</span>;
  const isDay = /^\d{4}-\d{2}-\d{2}$/.test(value);
  const text = isDay ? dateFormat.format(new Date(`${value}T00:00:00Z`)) : formatDateTime(value);
  return (
    <time dateTime={value} title={value}>
      {text}
    </time>
  );
}

const TONES: Record<string, string> = {
  needs_attention: 'bad',
  failed: 'bad',
  sla_breached: 'bad',
  rejected: 'bad',
  cancelled: 'muted',
  canceled: 'muted',
  overdue: 'bad',
  escalated: 'bad',
  credit_hold: 'warn',
  on_hold: 'warn',
  held: 'warn',
  backordered: 'warn',
  pending: 'muted',
  waiting: 'warn',
  running: 'info',
  in_progress: 'info',
  started: 'info',
  compensating: 'warn',
  completed: 'good',
  done: 'good',
  skipped: 'muted',
  shipped: 'good',
  delivered: 'good',
  paid: 'good',
  closed: 'good',
  issued: 'info',
  sent: 'info',
  partially_paid: 'warn',
  void: 'muted',
  written_off: 'muted',
  credited: 'muted',
};

export function StatusBadge({ status }: { status: string | null | undefined }) {
  if (!status) return <span className="muted">—</span>;
  const tone = TONES[status] ?? 'info';
  return <span className={`badge badge-${tone}`}>{status.replace(/_/g, ' ')}</span>;
}

/** Now as "2026-11-28T14:05" in the browser's time zone: the value a datetime-local input takes. */
export function localNow(): string {
  const d = new Date();
  d.setMinutes(d.getMinutes() - d.getTimezoneOffset());
  return d.toISOString().slice(0, 16);
}
