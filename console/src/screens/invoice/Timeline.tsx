/** What happened to the invoice, in order: issued, e-mailed, reminders, escalation and payments. */
import { DateTime } from '../../components/Format';
import { EmptyState } from '../../components/States';
import { formatMinor } from '../../finance/money';
import type { InvoiceDetail } from '../../finance/types';

const STEP_WORDS: Record<string, string> = {
  'post-to-erp': 'Posted to the ERP',
  'send-reminder': 'Reminder sent',
  'escalate-invoice': 'Escalated to finance',
};
/** Steps whose completion the run's own status already tells (draft, issued, sent). */
const TOLD_BY_STATUS = ['draft-invoice', 'issue-invoice', 'send-invoice'];
/** Transitions that say something happened (not every pending -> running). */
const TELLING = ['completed', 'failed', 'needs_attention', 'skipped', 'cancelled'];
const RUN_WORDS: Record<string, string> = { sent: 'Invoice e-mailed to the customer (sent)' };

export function TimelineSection({ invoice }: { invoice: InvoiceDetail }) {
  const events = [
    ...invoice.timeline
      .filter(
        (e) => e.step === '*' || (TELLING.includes(e.to) && !(e.to === 'completed' && TOLD_BY_STATUS.includes(e.step))),
      )
      .map((e) => ({
        at: e.at,
        what:
          e.step === '*'
            ? (RUN_WORDS[e.to] ?? `Invoice ${e.to.replace(/_/g, ' ')}`)
            : e.to === 'completed'
              ? (STEP_WORDS[e.step] ?? `${e.step} completed`)
              : `${e.step}: ${e.to.replace(/_/g, ' ')}`,
        who: e.actor,
        note: e.reason ?? e.error,
        isError: !!e.error,
        sortKey: e.at,
      })),
    ...invoice.payments.map((p) => ({
      at: p.receivedDate,
      // A payment carries the day it was received, not an instant: it sorts after that day's events.
      sortKey: `${p.receivedDate}T99`,
      what: `Payment ${p.reference}: ${formatMinor(p.amountMinor, invoice.currency)}${p.discountAppliedMinor ? ` (discount ${formatMinor(p.discountAppliedMinor, invoice.currency)})` : ''}`,
      who: null as string | null,
      note: null as string | null,
      isError: false,
    })),
  ].sort((a, b) => a.sortKey.localeCompare(b.sortKey));
  return (
    <section aria-labelledby="timeline-heading" className="card">
      <h2 id="timeline-heading">Timeline</h2>
      {events.length === 0 ? (
        <EmptyState title="Nothing has happened yet." />
      ) : (
        <ol className="timeline" data-testid="invoice-timeline">
          {events.map((e, i) => (
            <li key={`${e.at}-${i}`} className={e.isError ? 'timeline-error' : undefined}>
              <DateTime value={e.at} /> <span className="timeline-what">{e.what}</span>
              {e.who && <span className="muted"> by {e.who}</span>}
              {e.note && <span className="timeline-note">: {e.note}</span>}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
