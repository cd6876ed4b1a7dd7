/**
 * Returns queue: newest first, filtered by status (the quick filters are the two states that wait for
 * a person: approval above the auto-approval limit, and inspection once the parcel arrived). The
 * filter and page cursor live in the URL.
 */
import '../finance/finance.css';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Link, useSearchParams } from 'react-router';
import { api, type Page } from '../api';
import { DateTime, StatusBadge } from '../components/Format';
import { Table, type Column } from '../components/Table';
import { EmptyState } from '../components/States';
import { customerPath, orderPath, returnPath } from '../links';
import { CursorPager } from '../finance/CursorPager';
import { Loaded } from '../finance/Loaded';
import { formatMinor } from '../finance/money';
import { RETURN_STATUSES, type ReturnSummary } from '../finance/types';

const QUICK = [
  { status: '', label: 'All' },
  { status: 'pending_approval', label: 'Awaiting approval' },
  { status: 'label_booked', label: 'Awaiting receipt' },
  { status: 'received', label: 'Awaiting inspection' },
];

export function ReturnsScreen() {
  const [params, setParams] = useSearchParams();
  const status = params.get('status') ?? '';
  const cursor = params.get('cursor') ?? '';
  const returns = useQuery({
    queryKey: ['returns', status, cursor],
    queryFn: ({ signal }) => api<Page<ReturnSummary>>('/returns', { query: { status, cursor, limit: 50 }, signal }),
    placeholderData: keepPreviousData,
  });
  const setStatus = (s: string) => setParams(s ? { status: s } : {});

  return (
    <>
      <div className="page-head">
        <h1>Returns</h1>
        <p className="muted">Newest first. Refreshes by itself.</p>
      </div>
      <StatusFilter status={status} onChange={setStatus} />
      <Loaded query={returns} what="returns">
        {(page) =>
          page.items.length === 0 ? (
            <EmptyState title={status ? `No return is ${status.replace(/_/g, ' ')}.` : 'No returns yet.'}>
              Returns are requested by the CRM or ops for delivered orders.
            </EmptyState>
          ) : (
            <>
              <Table<ReturnSummary> caption="Returns" columns={columns} rows={page.items} rowKey={(r) => r.returnId} />
              <CursorPager label="Return pages" nextCursor={page.nextCursor} />
            </>
          )
        }
      </Loaded>
    </>
  );
}

function StatusFilter({ status, onChange }: { status: string; onChange: (status: string) => void }) {
  return (
    <div className="filters">
      <nav aria-label="Quick filters" className="quick-filters">
        {QUICK.map((q) => (
          <button
            key={q.label}
            type="button"
            className={`btn ${status === q.status ? 'btn-primary' : ''}`}
            aria-pressed={status === q.status}
            onClick={() => onChange(q.status)}
          >
            {q.label}
          </button>
        ))}
      </nav>
      <div className="field">
        <label htmlFor="returns-status">Status</label>
        <select id="returns-status" value={status} onChange={(e) => onChange(e.target.value)}>
          <option value="">Any</option>
          {RETURN_STATUSES.map((s) => (
            <option key={s} value={s}>
              {s.replace(/_/g, ' ')}
            </option>
          ))}
        </select>
      </div>
    </div>
  );
}

const columns: Column<ReturnSummary>[] = [
  { key: 'return', header: 'Return', render: (r) => <Link to={returnPath(r.returnId)}>{r.returnId}</Link> },
  { key: 'order', header: 'Order', render: (r) => <Link to={orderPath(r.orderId)}>{r.orderId}</Link> },
  { key: 'customer', header: 'Customer', render: (r) => <Link to={customerPath(r.customerId)}>{r.customerId}</Link> },
  { key: 'status', header: 'Status', render: (r) => <StatusBadge status={r.status} /> },
  { key: 'lines', header: 'Lines', render: (r) => r.lines.map((l) => `${l.quantity} × ${l.sku}`).join(', ') },
  { key: 'value', header: 'Value', align: 'right', render: (r) => formatMinor(r.valueMinor, r.currency) },
  { key: 'requested', header: 'Requested', render: (r) => <DateTime value={r.requestedAt} /> },
];
