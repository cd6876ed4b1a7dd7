/**
 * Orders: filters, sort and the page cursor all live in the URL (a link or a reload shows the same
 * list); the filter form is local state until applied, so polling never overwrites what is typed.
 */
import { useState, type FormEvent } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Link, useLocation, useNavigate, useSearchParams } from 'react-router';
import { api, type Page } from '../api';
import type { OrderSummary } from '../types';
import { Table, type Column } from '../components/Table';
import { DateTime, Money, StatusBadge } from '../components/Format';
import { EmptyState, ErrorState, Loading } from '../components/States';
import { customerPath, orderPath } from '../links';
import { ORDER_STATUSES, ORDER_STEPS } from '../steps';

const FILTERS = ['q', 'status', 'step', 'customerId', 'from', 'to', 'needsAttention', 'slaBreached'] as const;
type FilterName = (typeof FILTERS)[number];
const PAGE_SIZE = 25;

export function OrdersScreen() {
  const list = useOrderList();
  const { filters, sort, cursor, orders } = list;
  return (
    <>
      <div className="page-head">
        <h1>Orders</h1>
      </div>
      <FilterForm key={list.params.toString()} initial={filters} onApply={list.apply} />
      {orders.isPending ? (
        <Loading what="orders" />
      ) : orders.isError ? (
        <ErrorState error={orders.error} what="orders" onRetry={() => void orders.refetch()} />
      ) : orders.data.items.length === 0 ? (
        <EmptyState title={cursor ? 'No more orders on this page.' : 'No orders match these filters.'}>
          <Link to="/orders">Clear all filters</Link>
        </EmptyState>
      ) : (
        <>
          <Table
            caption="Orders"
            columns={columns}
            rows={orders.data.items}
            rowKey={(o) => o.orderId}
            sort={sort}
            onSort={(s) => list.apply({ sort: s })}
            rowClassName={(o) => (o.needsAttention ? 'row-attention' : undefined)}
          />
          <Pager list={list} nextCursor={orders.data.nextCursor} isFetching={orders.isFetching} />
        </>
      )}
    </>
  );
}

/** The list as the URL describes it (filters, sort, cursor, page number), its query, and moves to another. */
function useOrderList() {
  const [params, setParams] = useSearchParams();
  const navigate = useNavigate();
  const location = useLocation();
  const filters = Object.fromEntries(FILTERS.map((f) => [f, params.get(f) ?? ''])) as Record<FilterName, string>;
  const sort = params.get('sort') ?? '-createdAt';
  const cursor = params.get('cursor') ?? '';
  const pageNo = Number(params.get('page') ?? '1') || 1;

  const query = {
    ...filters,
    sort,
    cursor,
    limit: PAGE_SIZE,
    needsAttention: filters.needsAttention === 'true' ? 'true' : '',
    slaBreached: filters.slaBreached === 'true' ? 'true' : '',
  };
  const orders = useQuery({
    queryKey: ['orders', query],
    queryFn: ({ signal }) => api<Page<OrderSummary>>('/orders', { query, signal }),
    placeholderData: keepPreviousData,
  });

  /** New filters or sort start again from the first page. */
  const apply = (next: Partial<Record<FilterName | 'sort', string>>) => {
    const merged = new URLSearchParams();
    for (const [name, value] of Object.entries({ ...filters, sort, ...next }))
      if (value && !(name === 'sort' && value === '-createdAt')) merged.set(name, value);
    setParams(merged);
  };
  const nextPage = (nextCursor: string) => {
    const p = new URLSearchParams(params);
    p.set('cursor', nextCursor);
    p.set('page', String(pageNo + 1));
    void navigate({ search: `?${p.toString()}` }, { state: { fromPage: true } });
  };
  const cameFromPage = (location.state as { fromPage?: boolean } | null)?.fromPage === true;
  return { params, filters, sort, cursor, pageNo, orders, apply, nextPage, cameFromPage, navigate };
}

/**
 * Previous goes back in history only when this page was reached by "Next page" (the cursor API has no
 * way back); "First page" drops the cursor.
 */
function Pager({
  list,
  nextCursor,
  isFetching,
}: {
  list: ReturnType<typeof useOrderList>;
  nextCursor: string | null;
  isFetching: boolean;
}) {
  const { params, cursor, cameFromPage, pageNo, navigate } = list;
  const firstPage = new URLSearchParams(params);
  firstPage.delete('cursor');
  firstPage.delete('page');
  return (
    <nav className="pager" aria-label="Pages">
      {cursor && cameFromPage && (
        <button type="button" className="btn" onClick={() => void navigate(-1)}>
          ← Previous page
        </button>
      )}
      {cursor && (
        <Link className="btn" to={{ search: firstPage.toString() }}>
          First page
        </Link>
      )}
      <span className="muted" data-testid="page-number">
        Page {pageNo}
        {isFetching ? ' (refreshing…)' : ''}
      </span>
      {nextCursor && (
        <button type="button" className="btn" onClick={() => list.nextPage(nextCursor)}>
          Next page →
        </button>
      )}
    </nav>
  );
}

const columns: Column<OrderSummary>[] = [
  { key: 'order', header: 'Order', render: (o) => <Link to={orderPath(o.orderId)}>{o.orderId}</Link> },
  {
    key: 'customer',
    header: 'Customer',
    render: (o) => <Link to={customerPath(o.customer.id)}>{o.customer.name}</Link>,
  },
  {
    key: 'po',
    header: 'PO / deal',
    render: (o) => (
      <>
        <div>{o.poNumber}</div>
        <div className="muted small">{o.dealId}</div>
      </>
    ),
  },
  { key: 'status', header: 'Status', render: (o) => <StatusBadge status={o.status} /> },
  {
    key: 'step',
    header: 'Current step',
    render: (o) => (
      <>
        {o.currentStep ?? <span className="muted">—</span>}
        {o.needsAttention && (
          <>
            {' '}
            <StatusBadge status="needs_attention" />
          </>
        )}
        {o.slaBreached && (
          <>
            {' '}
            <StatusBadge status="sla_breached" />
          </>
        )}
      </>
    ),
  },
  {
    key: 'value',
    header: 'Value',
    align: 'right',
    sortKey: 'value',
    render: (o) => <Money minor={o.totalMinor} currency={o.currency} />,
  },
  { key: 'created', header: 'Created', sortKey: 'createdAt', render: (o) => <DateTime value={o.createdAt} /> },
];

function FilterForm({
  initial,
  onApply,
}: {
  initial: Record<FilterName, string>;
  onApply: (values: Record<FilterName, string>) => void;
}) {
  const [values, setValues] = useState(initial);
  const set = (name: FilterName) => (e: { target: { value: string } }) =>
    setValues((v) => ({ ...v, [name]: e.target.value }));
  const check = (name: FilterName) => (e: { target: { checked: boolean } }) =>
    setValues((v) => ({ ...v, [name]: e.target.checked ? 'true' : '' }));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onApply(values);
  };
  return (
    <form className="filters" onSubmit={submit} role="search" aria-label="Filter orders">
      <div className="field grow">
        <label htmlFor="f-q">Search</label>
        <input id="f-q" type="search" value={values.q} onChange={set('q')} placeholder="Deal, PO or customer" />
      </div>
      <div className="field">
        <label htmlFor="f-status">Status</label>
        <input id="f-status" list="order-statuses" value={values.status} onChange={set('status')} />
        <datalist id="order-statuses">
          {ORDER_STATUSES.map((s) => (
            <option key={s} value={s} />
          ))}
        </datalist>
      </div>
      <div className="field">
        <label htmlFor="f-step">Current step</label>
        <input id="f-step" list="order-steps" value={values.step} onChange={set('step')} />
        <datalist id="order-steps">
          {ORDER_STEPS.map((s) => (
            <option key={s} value={s} />
          ))}
        </datalist>
      </div>
      <div className="field">
        <label htmlFor="f-customer">Customer id</label>
        <input id="f-customer" value={values.customerId} onChange={set('customerId')} />
      </div>
      <div className="field">
        <label htmlFor="f-from">Created from</label>
        <input id="f-from" type="date" value={values.from} onChange={set('from')} />
      </div>
      <div className="field">
        <label htmlFor="f-to">Created to</label>
        <input id="f-to" type="date" value={values.to} onChange={set('to')} />
      </div>
      <div className="field checks">
        <label>
          <input type="checkbox" checked={values.needsAttention === 'true'} onChange={check('needsAttention')} /> Needs
          attention
        </label>
        <label>
          <input type="checkbox" checked={values.slaBreached === 'true'} onChange={check('slaBreached')} /> SLA breached
        </label>
      </div>
      <div className="filter-buttons">
        <button type="submit" className="btn btn-primary">
          Apply filters
        </button>
        <Link to="/orders" className="btn">
          Clear
        </Link>
      </div>
    </form>
  );
}
