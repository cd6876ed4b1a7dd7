/**
 * Invoices (finance): filter by status, customer, due range and overdue; overdue rows are marked in
 * words as well as colour. Filters and the page cursor live in the URL, so a view can be bookmarked
 * and the browser's back button returns to the previous page.
 */
import '../finance/finance.css';
import { useState, type FormEvent } from 'react';
import { useQuery, keepPreviousData } from '@tanstack/react-query';
import { Link, useSearchParams } from 'react-router';
import { api, type Page } from '../api';
import { DateTime, StatusBadge } from '../components/Format';
import { Table, type Column } from '../components/Table';
import { EmptyState } from '../components/States';
import { customerPath, invoicePath } from '../links';
import { CursorPager } from '../finance/CursorPager';
import { Loaded } from '../finance/Loaded';
import { formatMinor } from '../finance/money';
import { INVOICE_STATUSES, overdueOf, type CustomerListItem, type InvoiceSummary } from '../finance/types';
import { useCan } from '../auth';

const FILTERS = ['status', 'customerId', 'dueFrom', 'dueTo', 'overdue'] as const;
const PAGE_SIZE = 50;
const pageSize = (text: string | null) =>
  text && /^\d{1,3}$/.test(text) && Number(text) >= 1 && Number(text) <= 200 ? Number(text) : PAGE_SIZE;

export function InvoicesScreen() {
  const [params, setParams] = useSearchParams();
  const filters = Object.fromEntries(FILTERS.map((f) => [f, params.get(f) ?? ''])) as Record<
    (typeof FILTERS)[number],
    string
  >;
  const cursor = params.get('cursor') ?? '';
  const limit = pageSize(params.get('limit'));
  const query = { ...filters, overdue: filters.overdue === 'true' ? 'true' : '', cursor, limit };

  const invoices = useQuery({
    queryKey: ['invoices', query],
    queryFn: ({ signal }) => api<Page<InvoiceSummary>>('/invoices', { query, signal }),
    placeholderData: keepPreviousData,
  });

  const apply = (next: Partial<Record<(typeof FILTERS)[number], string>>) => {
    const merged = new URLSearchParams();
    for (const f of FILTERS) {
      const value = (next[f] ?? filters[f]).trim();
      if (value) merged.set(f, value);
    }
    if (params.get('limit')) merged.set('limit', String(limit));
    setParams(merged); // a new filter starts at the first page
  };

  return (
    <>
      <div className="page-head">
        <h1>Invoices</h1>
        <p className="muted">Newest first. Refreshes by itself.</p>
      </div>
      <InvoiceFilters filters={filters} onApply={apply} />
      <Loaded query={invoices} what="invoices">
        {(page) => {
          // Client-side: when the API has no overdue filter yet, the flag still narrows what is shown.
          const rows = page.items.filter((i) => filters.overdue !== 'true' || overdueOf(i).overdue);
          return rows.length === 0 ? (
            <NoInvoices isFiltered={FILTERS.some((f) => filters[f])} onClear={() => setParams(new URLSearchParams())} />
          ) : (
            <>
              <Table<InvoiceSummary>
                caption="Invoices"
                columns={columns}
                rows={rows}
                rowKey={(r) => r.invoiceId}
                rowClassName={(r) => (overdueOf(r).overdue ? 'row-overdue' : undefined)}
              />
              <CursorPager label="Invoice pages" nextCursor={page.nextCursor} />
            </>
          );
        }}
      </Loaded>
    </>
  );
}

function NoInvoices({ isFiltered, onClear }: { isFiltered: boolean; onClear: () => void }) {
  return (
    <EmptyState title={isFiltered ? 'No invoice matches these filters.' : 'No invoices yet.'}>
      {isFiltered ? (
        <button type="button" className="btn" onClick={onClear}>
          Clear filters
        </button>
      ) : (
        'Invoices appear here once a shipment is billed.'
      )}
    </EmptyState>
  );
}

const columns: Column<InvoiceSummary>[] = [
  {
    key: 'invoice',
    header: 'Invoice',
    render: (r) => <Link to={invoicePath(r.invoiceId)}>{r.invoiceNumber ?? r.invoiceId}</Link>,
  },
  { key: 'customer', header: 'Customer', render: (r) => <Link to={customerPath(r.customerId)}>{r.customerId}</Link> },
  {
    key: 'status',
    header: 'Status',
    render: (r) => (
      <>
        <StatusBadge status={r.status} />
        {r.isEscalated && (
          <>
            {' '}
            <span className="badge badge-bad">escalated</span>
          </>
        )}
      </>
    ),
  },
  { key: 'issued', header: 'Issued', render: (r) => <DateTime value={r.issueDate} /> },
  {
    key: 'due',
    header: 'Due',
    render: (r) => {
      const { overdue, daysOverdue } = overdueOf(r);
      return (
        <>
          <DateTime value={r.dueDate} />
          {overdue && <span className="overdue-flag"> overdue{daysOverdue > 0 ? ` ${daysOverdue} d` : ''}</span>}
        </>
      );
    },
  },
  { key: 'total', header: 'Total', align: 'right', render: (r) => formatMinor(r.totalMinor, r.currency) },
  { key: 'balance', header: 'Balance', align: 'right', render: (r) => formatMinor(r.balanceMinor, r.currency) },
];

function InvoiceFilters({
  filters,
  onApply,
}: {
  filters: Record<(typeof FILTERS)[number], string>;
  onApply: (f: Partial<Record<(typeof FILTERS)[number], string>>) => void;
}) {
  // Typed text stays local until applied: a background refresh never clears it.
  const [draft, setDraft] = useState(filters);
  const [lastApplied, setLastApplied] = useState(filters);
  if (FILTERS.some((f) => filters[f] !== lastApplied[f])) {
    setLastApplied(filters);
    setDraft(filters);
  }
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onApply(draft);
  };
  const set = (name: (typeof FILTERS)[number], value: string) => setDraft((d) => ({ ...d, [name]: value }));
  return (
    <form className="filters" onSubmit={submit} aria-label="Invoice filters" role="search">
      <div className="field">
        <label htmlFor="f-status">Status</label>
        <select
          id="f-status"
          value={draft.status}
          onChange={(e) => {
            set('status', e.target.value);
            onApply({ ...draft, status: e.target.value });
          }}
        >
          <option value="">Any</option>
          {INVOICE_STATUSES.map((s) => (
            <option key={s} value={s}>
              {s.replace(/_/g, ' ')}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="f-customer">Customer id</label>
        <input
          id="f-customer"
          value={draft.customerId}
          onChange={(e) => set('customerId', e.target.value)}
          placeholder="name or id"
          list="f-customer-options"
          autoComplete="off"
        />
        <CustomerOptions id="f-customer-options" typed={draft.customerId} />
      </div>
      <div className="field">
        <label htmlFor="f-due-from">Due from</label>
        <input id="f-due-from" type="date" value={draft.dueFrom} onChange={(e) => set('dueFrom', e.target.value)} />
      </div>
      <div className="field">
        <label htmlFor="f-due-to">Due to</label>
        <input id="f-due-to" type="date" value={draft.dueTo} onChange={(e) => set('dueTo', e.target.value)} />
      </div>
      <div className="field field-check">
        <input
          id="f-overdue"
          type="checkbox"
          checked={draft.overdue === 'true'}
          onChange={(e) => {
            const v = e.target.checked ? 'true' : '';
            set('overdue', v);
            onApply({ ...draft, overdue: v });
          }}
        />
        <label htmlFor="f-overdue">Overdue only</label>
      </div>
      <button type="submit" className="btn btn-primary">
        Apply filters
      </button>
    </form>
  );
}

/** Customers whose name or id contains what is typed, offered as the id (keys that may list customers). */
function CustomerOptions({ id, typed }: { id: string; typed: string }) {
  const can = useCan();
  const q = typed.trim();
  const options = useQuery({
    queryKey: ['customer-options', q],
    queryFn: ({ signal }) => api<Page<CustomerListItem>>('/customers', { query: { q, limit: 10 }, signal }),
    enabled: q.length >= 2 && can('GET /v1/customers'),
    refetchInterval: false,
    staleTime: 60_000,
  });
  return (
    <datalist id={id}>
      {options.data?.items.map((c) => (
        <option key={c.customerId} value={c.customerId}>
          {c.name}
        </option>
      ))}
    </datalist>
  );
}
