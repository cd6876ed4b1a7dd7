/**
 * One invoice (finance): its figures and what is due today (with the early-payment discount while
 * its window is open), lines with freight, accessorials, deductions and tax, the timeline (issued,
 * e-mailed, reminders, payments), the PDF exactly as e-mailed shown inline, payments and credit memos.
 * Finance keys record payments, void and write off; the API's refusal is shown verbatim.
 */
import '../finance/finance.css';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { api, post, type Page } from '../api';
import { useCan, useMe, notAllowedReason } from '../auth';
import { ActionButton, reasonField } from '../components/ActionButton';
import { useAnnounce } from '../components/Announcer';
import { DateTime, StatusBadge } from '../components/Format';
import { EmptyState, ErrorState, Loading } from '../components/States';
import { customerPath, orderPath, returnPath } from '../links';
import { RefreshFailed } from '../finance/RefreshFailed';
import { formatMinor } from '../finance/money';
import { PaymentDialog } from '../finance/PaymentDialog';
import { useBlobUrl } from '../finance/documents';
import {
  overdueOf,
  PAYABLE_STATUSES,
  type ComputedInvoiceLines,
  type CreditMemo,
  type InvoiceDetail,
} from '../finance/types';

const VOIDABLE = ['issued', 'sent', 'overdue'];

export function InvoiceDetailScreen() {
  const { invoiceId = '' } = useParams();
  const path = `/invoices/${encodeURIComponent(invoiceId)}`;
  const invoice = useQuery({
    queryKey: ['invoice', invoiceId],
    queryFn: ({ signal }) => api<InvoiceDetail>(path, { signal }),
  });

  if (invoice.data === undefined)
    return (
      <>
        <h1>Invoice {invoiceId}</h1>
        {invoice.isError ? (
          <ErrorState error={invoice.error} what="the invoice" onRetry={() => void invoice.refetch()} />
        ) : (
          <Loading what="the invoice" />
        )}
      </>
    );
  return (
    <>
      {invoice.isError && <RefreshFailed error={invoice.error} what="the invoice" />}
      <InvoiceView invoice={invoice.data} />
    </>
  );
}

function InvoiceView({ invoice }: { invoice: InvoiceDetail }) {
  const can = useCan();
  const me = useMe();
  const client = useQueryClient();
  const announce = useAnnounce();
  const path = `/invoices/${encodeURIComponent(invoice.invoiceId)}`;
  const name = invoice.invoiceNumber ?? invoice.invoiceId;
  const { overdue, daysOverdue } = overdueOf(invoice);
  const refresh = () => client.invalidateQueries({ queryKey: ['invoice', invoice.invoiceId] });
  const money = (minor: number) => formatMinor(minor, invoice.currency);

  const isPayable = PAYABLE_STATUSES.includes(invoice.status) && invoice.amountDueMinor > 0;
  const mayPay = can('POST /v1/invoices/:invoiceId/payments');
  const mayVoid = can('POST /v1/invoices/:invoiceId/void');
  const mayWriteOff = can('POST /v1/invoices/:invoiceId/write-off');

  return (
    <>
      <div className="page-head">
        <h1>
          Invoice {name} <StatusBadge status={invoice.status} />
          {invoice.isEscalated && (
            <>
              {' '}
              <span className="badge badge-bad">escalated</span>
            </>
          )}
        </h1>
        <p className="muted">
          <Link to={customerPath(invoice.customerId)}>{invoice.customerId}</Link>
          {' · '}
          {invoice.orderIds.length === 1 ? (
            <>
              order <Link to={orderPath(invoice.orderId)}>{invoice.orderId}</Link>
            </>
          ) : (
            <>
              {invoice.orderIds.length} orders{invoice.billingPeriod ? ` (period ${invoice.billingPeriod})` : ''}
            </>
          )}
          {' · '}terms {invoice.paymentTerms}
        </p>
      </div>

      <section aria-labelledby="actions-heading" className="actions">
        <h2 id="actions-heading" className="visually-hidden">
          Actions
        </h2>
        {isPayable &&
          (mayPay ? (
            <PaymentDialog
              invoice={invoice}
              onDone={(r) => {
                announce(
                  r.duplicate
                    ? `Payment already recorded: invoice ${name} is ${r.status}`
                    : `Payment recorded: invoice ${name} is ${r.status.replace(/_/g, ' ')}`,
                );
                void refresh();
              }}
            />
          ) : (
            <span className="disabled-reason">{notAllowedReason(me, 'record payments')}</span>
          ))}
        {VOIDABLE.includes(invoice.status) && invoice.paidMinor === 0 && mayVoid && (
          <ActionButton
            label="Void"
            tone="danger"
            title={`Void invoice ${name}`}
            description="Cancels the invoice: nothing is owed on it any more. Only an invoice nothing was paid on can be voided."
            fields={[reasonField(true)]}
            confirmLabel="Void invoice"
            onSubmit={(v) => post(`${path}/void`, { reason: v.reason })}
            onDone={() => {
              announce(`Invoice ${name} voided`);
              void refresh();
            }}
          />
        )}
        {PAYABLE_STATUSES.includes(invoice.status) && invoice.balanceMinor > 0 && mayWriteOff && (
          <ActionButton
            label="Write off"
            tone="danger"
            title={`Write off ${money(invoice.balanceMinor)} on ${name}`}
            description="Closes the open balance as uncollectable. Payments already received stay."
            fields={[reasonField(true)]}
            confirmLabel="Write off"
            onSubmit={(v) => post(`${path}/write-off`, { reason: v.reason })}
            onDone={() => {
              announce(`Invoice ${name} written off`);
              void refresh();
            }}
          />
        )}
      </section>

      <section aria-labelledby="figures-heading" className="card">
        <h2 id="figures-heading">Figures</h2>
        <dl className="facts">
          <div>
            <dt>Issued</dt>
            <dd>
              <DateTime value={invoice.issueDate} empty="not yet" />
            </dd>
          </div>
          <div>
            <dt>Due</dt>
            <dd>
              <DateTime value={invoice.dueDate} />
              {overdue && <span className="overdue-flag"> overdue{daysOverdue > 0 ? ` ${daysOverdue} days` : ''}</span>}
            </dd>
          </div>
          <div>
            <dt>E-mailed</dt>
            <dd>
              <DateTime value={invoice.sentAt} empty="not yet" />
            </dd>
          </div>
          <div>
            <dt>Posted to ERP</dt>
            <dd>
              <DateTime value={invoice.erpPostedAt} empty="not yet" />
            </dd>
          </div>
          <div>
            <dt>Total</dt>
            <dd className="num">{money(invoice.totalMinor)}</dd>
          </div>
          <div>
            <dt>Paid</dt>
            <dd className="num">{money(invoice.paidMinor)}</dd>
          </div>
          <div>
            <dt>Discount taken</dt>
            <dd className="num">{money(invoice.discountTakenMinor)}</dd>
          </div>
          <div>
            <dt>Credited</dt>
            <dd className="num">{money(invoice.creditedMinor)}</dd>
          </div>
          <div>
            <dt>Balance</dt>
            <dd className="num" data-testid="invoice-balance">
              {money(invoice.balanceMinor)}
            </dd>
          </div>
          <div>
            <dt>Amount due today</dt>
            <dd className="num" data-testid="invoice-amount-due">
              {money(invoice.amountDueMinor)}
            </dd>
          </div>
          {invoice.amountDueWithDiscountMinor !== undefined && (
            <div>
              <dt>With early-payment discount</dt>
              <dd className="num">
                {money(invoice.amountDueWithDiscountMinor)} if received by <DateTime value={invoice.discountDeadline} />
              </dd>
            </div>
          )}
        </dl>
      </section>

      <LinesSection invoice={invoice} />
      <TimelineSection invoice={invoice} />
      <PaymentsSection invoice={invoice} />
      {can('GET /v1/credit-memos') && <CreditMemosSection invoice={invoice} />}
      <PdfSection invoice={invoice} />
    </>
  );
}

function isComputed(lines: unknown): lines is ComputedInvoiceLines {
  return typeof lines === 'object' && lines !== null && Array.isArray((lines as ComputedInvoiceLines).lines);
}

function LinesSection({ invoice }: { invoice: InvoiceDetail }) {
  const money = (minor: number) => formatMinor(minor, invoice.currency);
  const c = invoice.lines;
  return (
    <section aria-labelledby="lines-heading" className="card">
      <h2 id="lines-heading">Lines</h2>
      {!isComputed(c) ? (
        <EmptyState title="No lines yet.">The invoice is drafted from its shipments.</EmptyState>
      ) : (
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">
              Invoice lines, freight, accessorial charges, deductions and tax
            </caption>
            <thead>
              <tr>
                <th scope="col">SKU</th>
                <th scope="col">Description</th>
                <th scope="col" className="num">
                  Quantity
                </th>
                <th scope="col" className="num">
                  Unit price
                </th>
                <th scope="col" className="num">
                  Amount
                </th>
                <th scope="col" className="num">
                  Tax
                </th>
              </tr>
            </thead>
            <tbody>
              {c.lines.map((l) => (
                <tr key={l.ref}>
                  <td>{l.sku}</td>
                  <td>{l.description}</td>
                  <td className="num">{l.quantity}</td>
                  <td className="num">{money(l.unitPriceMinor)}</td>
                  <td className="num">{money(l.amountMinor)}</td>
                  <td className="num">{money(l.taxMinor)}</td>
                </tr>
              ))}
              {c.freightMinor !== 0 && (
                <tr>
                  <td colSpan={2}>Freight</td>
                  <td />
                  <td />
                  <td className="num">{money(c.freightMinor)}</td>
                  <td className="num">{money(c.freightTaxMinor)}</td>
                </tr>
              )}
              {c.accessorials.map((a) => (
                <tr key={`acc-${a.code}`}>
                  <td>{a.code}</td>
                  <td>{a.description}</td>
                  <td className="num">{a.quantity}</td>
                  <td />
                  <td className="num">{money(a.amountMinor)}</td>
                  <td className="num">{money(a.taxMinor)}</td>
                </tr>
              ))}
              {c.deductions.map((d, i) => (
                <tr key={`ded-${i}`} className="row-deduction">
                  <td>Deduction</td>
                  <td>
                    {d.reason} (line {d.lineRef}, {(d.penaltyBp / 100).toFixed(2)}%)
                  </td>
                  <td />
                  <td />
                  <td className="num">{money(d.amountMinor)}</td>
                  <td />
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row" colSpan={4}>
                  Subtotal
                </th>
                <td className="num">{money(c.subtotalMinor)}</td>
                <td />
              </tr>
              <tr>
                <th scope="row" colSpan={4}>
                  Tax
                </th>
                <td />
                <td className="num">{money(c.taxMinor)}</td>
              </tr>
              <tr>
                <th scope="row" colSpan={4}>
                  Total
                </th>
                <td className="num">
                  <strong>{money(c.totalMinor)}</strong>
                </td>
                <td />
              </tr>
            </tfoot>
          </table>
        </div>
      )}
    </section>
  );
}

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

function TimelineSection({ invoice }: { invoice: InvoiceDetail }) {
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

function PaymentsSection({ invoice }: { invoice: InvoiceDetail }) {
  return (
    <section aria-labelledby="payments-heading" className="card">
      <h2 id="payments-heading">Payments</h2>
      {invoice.payments.length === 0 ? (
        <EmptyState title="No payment received yet." />
      ) : (
        <div className="table-wrap">
          <table data-testid="invoice-payments">
            <caption className="visually-hidden">Payments received</caption>
            <thead>
              <tr>
                <th scope="col">Reference</th>
                <th scope="col">Received</th>
                <th scope="col" className="num">
                  Amount
                </th>
                <th scope="col" className="num">
                  Discount applied
                </th>
              </tr>
            </thead>
            <tbody>
              {invoice.payments.map((p) => (
                <tr key={p.reference}>
                  <td>{p.reference}</td>
                  <td>
                    <DateTime value={p.receivedDate} />
                  </td>
                  <td className="num">{formatMinor(p.amountMinor, invoice.currency)}</td>
                  <td className="num">{formatMinor(p.discountAppliedMinor, invoice.currency)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

interface Application {
  invoiceId: string;
  invoiceNumber?: string;
  appliedMinor: number;
  balanceAfterMinor?: number;
}

function CreditMemosSection({ invoice }: { invoice: InvoiceDetail }) {
  const orderIds = invoice.orderIds.slice(0, 20);
  const memos = useQuery({
    queryKey: ['credit-memos', 'orders', orderIds],
    queryFn: async ({ signal }) =>
      (
        await Promise.all(
          orderIds.map((orderId) => api<Page<CreditMemo>>('/credit-memos', { query: { orderId }, signal })),
        )
      ).flatMap((p) => p.items),
  });
  const appliedHere = (m: CreditMemo) =>
    (Array.isArray(m.applications) ? (m.applications as Application[]) : [])
      .filter((a) => a.invoiceId === invoice.invoiceId)
      .reduce((s, a) => s + a.appliedMinor, 0);
  return (
    <section aria-labelledby="memos-heading" className="card">
      <h2 id="memos-heading">Credit memos</h2>
      {memos.isPending ? (
        <Loading what="credit memos" />
      ) : memos.isError ? (
        <ErrorState error={memos.error} what="credit memos" onRetry={() => void memos.refetch()} />
      ) : memos.data.length === 0 ? (
        <EmptyState title="No credit memo for this invoice's orders." />
      ) : (
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">Credit memos from returns of this invoice's orders</caption>
            <thead>
              <tr>
                <th scope="col">Memo</th>
                <th scope="col">Return</th>
                <th scope="col">Status</th>
                <th scope="col" className="num">
                  Total
                </th>
                <th scope="col" className="num">
                  Applied to this invoice
                </th>
                <th scope="col" className="num">
                  Refunded
                </th>
              </tr>
            </thead>
            <tbody>
              {memos.data.map((m) => (
                <tr key={m.creditMemoNumber}>
                  <td>{m.creditMemoNumber}</td>
                  <td>
                    <Link to={returnPath(m.returnId)}>{m.returnId}</Link>
                  </td>
                  <td>
                    <StatusBadge status={m.status} />
                  </td>
                  <td className="num">{formatMinor(m.totalMinor, m.currency)}</td>
                  <td className="num">{formatMinor(appliedHere(m), m.currency)}</td>
                  <td className="num">{formatMinor(m.refundMinor, m.currency)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function PdfSection({ invoice }: { invoice: InvoiceDetail }) {
  // Drafts have no PDF yet; once issued the document does not change, so it is fetched once.
  const hasPdf = invoice.status !== 'draft';
  const pdf = useBlobUrl(hasPdf ? `/invoices/${encodeURIComponent(invoice.invoiceId)}/pdf` : null);
  const name = invoice.invoiceNumber ?? invoice.invoiceId;
  return (
    <section aria-labelledby="pdf-heading" className="card">
      <h2 id="pdf-heading">PDF</h2>
      {!hasPdf ? (
        <EmptyState title="No PDF yet: the invoice is still a draft." />
      ) : pdf.status === 'loading' ? (
        <Loading what="the PDF" />
      ) : pdf.status === 'error' ? (
        <ErrorState error={pdf.error} what="the PDF" />
      ) : (
        <>
          <iframe className="pdf-frame" src={pdf.url} title={`Invoice ${name} PDF`} data-testid="invoice-pdf" />
          <p>
            <a href={pdf.url} download={`${name}.pdf`}>
              Download {name}.pdf
            </a>{' '}
            ({Math.round(pdf.size / 1024)} kB)
          </p>
        </>
      )}
    </section>
  );
}
