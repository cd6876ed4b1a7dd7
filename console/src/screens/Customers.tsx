/**
 * Customers (ops and finance): search by name or id, with credit limit, open receivables, credit
 * hold and open counts at a glance. The search and the page cursor live in the URL.
 */
import '../finance/finance.css';
import { useState, type FormEvent } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Link, useSearchParams } from 'react-router';
import { api, type Page } from '../api';
import { Table, type Column } from '../components/Table';
import { EmptyState } from '../components/States';
import { customerPath } from '../links';
import { CursorPager } from '../finance/CursorPager';
import { Loaded } from '../finance/Loaded';
import { formatMinor } from '../finance/money';
import type { CustomerListItem } from '../finance/types';

export function CustomersScreen() {
  const [params] = useSearchParams();
  const q = params.get('q') ?? '';
  const cursor = params.get('cursor') ?? '';
  const customers = useQuery({
    queryKey: ['customers', q, cursor],
    queryFn: ({ signal }) => api<Page<CustomerListItem>>('/customers', { query: { q, cursor, limit: 50 }, signal }),
    placeholderData: keepPreviousData,
  });

  return (
    <>
      <div className="page-head">
        <h1>Customers</h1>
      </div>
      <CustomerSearch q={q} />
      <Loaded query={customers} what="customers">
        {(page) =>
          page.items.length === 0 ? (
            <EmptyState title={q ? `No customer matches "${q}".` : 'No customers yet.'}>
              {q ? 'Try part of the name or the id.' : 'Customers come from the master data seed and the CRM.'}
            </EmptyState>
          ) : (
            <>
              <Table<CustomerListItem>
                caption="Customers"
                columns={columns}
                rows={page.items}
                rowKey={(r) => r.customerId}
                rowClassName={(r) => (r.isOnCreditHold ? 'row-warn' : undefined)}
              />
              <CursorPager label="Customer pages" nextCursor={page.nextCursor} />
            </>
          )
        }
      </Loaded>
    </>
  );
}

function CustomerSearch({ q }: { q: string }) {
  const [, setParams] = useSearchParams();
  const [draft, setDraft] = useState(q);
  const search = (event: FormEvent) => {
    event.preventDefault();
    setParams(draft.trim() ? { q: draft.trim() } : {});
  };
  return (
    <form className="filters" role="search" aria-label="Customer search" onSubmit={search}>
      <div className="field">
        <label htmlFor="customer-q">Name or id</label>
        <input
          id="customer-q"
          type="search"
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
          placeholder="e.g. Acme"
        />
      </div>
      <button type="submit" className="btn btn-primary">
        Search
      </button>
    </form>
  );
}

const columns: Column<CustomerListItem>[] = [
  { key: 'name', header: 'Customer', render: (r) => <Link to={customerPath(r.customerId)}>{r.name}</Link> },
  { key: 'id', header: 'Id', render: (r) => r.customerId },
  {
    key: 'hold',
    header: 'Credit',
    render: (r) =>
      r.isOnCreditHold ? <span className="badge badge-warn">credit hold</span> : <span className="muted">ok</span>,
  },
  { key: 'limit', header: 'Credit limit', align: 'right', render: (r) => formatMinor(r.creditLimitMinor, r.currency) },
  {
    key: 'receivables',
    header: 'Open receivables',
    align: 'right',
    render: (r) => formatMinor(r.openReceivablesMinor, r.currency),
  },
  { key: 'orders', header: 'Open orders', align: 'right', render: (r) => r.openOrderCount },
  {
    key: 'invoices',
    header: 'Open invoices',
    align: 'right',
    render: (r) => `${r.openInvoiceCount} · ${formatMinor(r.openInvoiceBalanceMinor, r.currency)}`,
  },
  {
    key: 'billing',
    header: 'Billing',
    render: (r) =>
      `${r.invoiceGrouping}${r.invoiceGrouping === 'per-period' ? ` (${r.billingPeriod})` : ''}, ${r.paymentTerms}`,
  },
];
