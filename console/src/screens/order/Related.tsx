/** What hangs off the order: its backorders, invoices and returns, each linking to its own screen. */
import { Link } from 'react-router';
import type { OrderView } from '../../types';
import { DateTime, Money, StatusBadge } from '../../components/Format';
import { EmptyState } from '../../components/States';
import { Table } from '../../components/Table';
import { invoicePath, returnPath } from '../../links';

export function Invoices({ order: o }: { order: OrderView }) {
  return (
    <section aria-labelledby="invoices-title">
      <h2 id="invoices-title">Invoices</h2>
      {o.invoices.length === 0 ? (
        <EmptyState title="No invoice yet.">An invoice is drafted when a shipment ships.</EmptyState>
      ) : (
        <Table
          caption="Invoices"
          rows={o.invoices}
          rowKey={(i) => i.invoiceId}
          columns={[
            {
              key: 'id',
              header: 'Invoice',
              render: (i) => <Link to={invoicePath(i.invoiceId)}>{i.invoiceNumber ?? i.invoiceId}</Link>,
            },
            {
              key: 'status',
              header: 'Status',
              render: (i) => (
                <>
                  <StatusBadge status={i.status} />
                  {i.isEscalated && (
                    <>
                      {' '}
                      <StatusBadge status="escalated" />
                    </>
                  )}
                </>
              ),
            },
            { key: 'issued', header: 'Issued', render: (i) => <DateTime value={i.issueDate} /> },
            { key: 'due', header: 'Due', render: (i) => <DateTime value={i.dueDate} /> },
            {
              key: 'total',
              header: 'Total',
              align: 'right',
              render: (i) => <Money minor={i.totalMinor} currency={i.currency} />,
            },
            {
              key: 'paid',
              header: 'Paid',
              align: 'right',
              render: (i) => <Money minor={i.paidMinor} currency={i.currency} />,
            },
            {
              key: 'balance',
              header: 'Balance',
              align: 'right',
              render: (i) => <Money minor={i.balanceMinor} currency={i.currency} />,
            },
          ]}
        />
      )}
    </section>
  );
}

export function Backorders({ order: o }: { order: OrderView }) {
  if (o.backorders.length === 0) return null; // most orders have none: no empty section
  return (
    <section aria-labelledby="backorders-title">
      <h2 id="backorders-title">Backorders</h2>
      <Table
        caption="Backorders"
        rows={o.backorders}
        rowKey={(b) => `${b.lineNo}-${b.warehouseId}-${b.receiptId ?? 'lead'}-${b.status}`}
        columns={[
          { key: 'line', header: 'Line', align: 'right', render: (b) => b.lineNo },
          { key: 'sku', header: 'SKU', render: (b) => b.sku },
          { key: 'qty', header: 'Quantity', align: 'right', render: (b) => b.quantity },
          { key: 'warehouse', header: 'Warehouse', render: (b) => b.warehouseId },
          { key: 'source', header: 'Waits on', render: (b) => (b.receiptId ? `receipt ${b.receiptId}` : 'lead time') },
          { key: 'available', header: 'Promised', render: (b) => b.availableDate },
          { key: 'status', header: 'Status', render: (b) => <StatusBadge status={b.status} /> },
        ]}
      />
    </section>
  );
}

export function Returns({ order: o }: { order: OrderView }) {
  return (
    <section aria-labelledby="returns-title">
      <h2 id="returns-title">Returns</h2>
      {o.returns.length === 0 ? (
        <EmptyState title="No return requested." />
      ) : (
        <Table
          caption="Returns"
          rows={o.returns}
          rowKey={(r) => r.returnId}
          columns={[
            { key: 'id', header: 'Return', render: (r) => <Link to={returnPath(r.returnId)}>{r.returnId}</Link> },
            { key: 'status', header: 'Status', render: (r) => <StatusBadge status={r.status} /> },
            {
              key: 'lines',
              header: 'Lines',
              render: (r) => r.lines.map((l) => `${l.quantity} × ${l.sku} (${l.reasonCode})`).join(', '),
            },
            {
              key: 'value',
              header: 'Value',
              align: 'right',
              render: (r) => <Money minor={r.valueMinor} currency={r.currency} />,
            },
            { key: 'requested', header: 'Requested', render: (r) => <DateTime value={r.requestedAt} /> },
            {
              key: 'memo',
              header: 'Credit memo',
              render: (r) => (r.creditMemo ? `${r.creditMemo.creditMemoNumber} (${r.creditMemo.status})` : '—'),
            },
          ]}
        />
      )}
    </section>
  );
}
