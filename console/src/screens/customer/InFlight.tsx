/** What is in flight for the customer: open invoices, recent orders, shipments and returns. */
import { Link } from 'react-router';
import { DateTime, StatusBadge } from '../../components/Format';
import { EmptyState } from '../../components/States';
import { Table } from '../../components/Table';
import { formatMinor } from '../../finance/money';
import { overdueOf, type Customer360, type InvoiceSummary } from '../../finance/types';
import { invoicePath, orderPath, returnPath } from '../../links';

/** Every open invoice, oldest due first, overdue ones marked. */
export function OpenInvoices({ view }: { view: Customer360 }) {
  return (
    <section aria-labelledby="open-invoices-heading">
      <h2 id="open-invoices-heading">Open invoices</h2>
      {view.openInvoices.length === 0 ? (
        <EmptyState title="No open invoice." />
      ) : (
        <Table<InvoiceSummary>
          caption="Open invoices, oldest due first"
          rows={view.openInvoices}
          rowKey={(r) => r.invoiceId}
          rowClassName={(r) => (overdueOf(r).overdue ? 'row-overdue' : undefined)}
          columns={[
            {
              key: 'invoice',
              header: 'Invoice',
              render: (r) => <Link to={invoicePath(r.invoiceId)}>{r.invoiceNumber ?? r.invoiceId}</Link>,
            },
            { key: 'status', header: 'Status', render: (r) => <StatusBadge status={r.status} /> },
            {
              key: 'due',
              header: 'Due',
              render: (r) => {
                const o = overdueOf(r);
                return (
                  <>
                    <DateTime value={r.dueDate} />
                    {o.overdue && <span className="overdue-flag"> overdue {o.daysOverdue} d</span>}
                  </>
                );
              },
            },
            { key: 'total', header: 'Total', align: 'right', render: (r) => formatMinor(r.totalMinor, r.currency) },
            {
              key: 'balance',
              header: 'Balance',
              align: 'right',
              render: (r) => formatMinor(r.balanceMinor, r.currency),
            },
          ]}
        />
      )}
    </section>
  );
}

/** The most recent orders, with what needs attention. */
export function RecentOrders({ view }: { view: Customer360 }) {
  return (
    <section aria-labelledby="orders-heading">
      <h2 id="orders-heading">Recent orders</h2>
      {view.orders.length === 0 ? (
        <EmptyState title="No orders yet." />
      ) : (
        <Table
          caption="The 10 most recent orders"
          rows={view.orders}
          rowKey={(r) => r.orderId}
          columns={[
            { key: 'order', header: 'Order', render: (r) => <Link to={orderPath(r.orderId)}>{r.orderId}</Link> },
            { key: 'po', header: 'PO', render: (r) => r.poNumber },
            {
              key: 'status',
              header: 'Status',
              render: (r) => (
                <>
                  {<StatusBadge status={r.status} />}
                  {r.needsAttention && (
                    <>
                      {' '}
                      <span className="badge badge-bad">needs attention</span>
                    </>
                  )}
                  {r.slaBreached && (
                    <>
                      {' '}
                      <span className="badge badge-bad">SLA breached</span>
                    </>
                  )}
                </>
              ),
            },
            { key: 'step', header: 'Current step', render: (r) => r.currentStep ?? '—' },
            { key: 'value', header: 'Value', align: 'right', render: (r) => formatMinor(r.totalMinor, r.currency) },
            { key: 'created', header: 'Created', render: (r) => <DateTime value={r.createdAt} /> },
          ]}
        />
      )}
    </section>
  );
}

/** The most recent shipments, carrier and tracking. */
export function RecentShipments({ view }: { view: Customer360 }) {
  return (
    <section aria-labelledby="shipments-heading">
      <h2 id="shipments-heading">Recent shipments</h2>
      {view.shipments.length === 0 ? (
        <EmptyState title="No shipments yet." />
      ) : (
        <Table
          caption="The 10 most recent shipments"
          rows={view.shipments}
          rowKey={(r) => r.shipmentId}
          columns={[
            {
              key: 'shipment',
              header: 'Shipment',
              render: (r) => <Link to={orderPath(r.orderId)}>{r.shipmentId}</Link>,
            },
            { key: 'status', header: 'Status', render: (r) => <StatusBadge status={r.status} /> },
            { key: 'from', header: 'Warehouse', render: (r) => r.warehouseId },
            {
              key: 'carrier',
              header: 'Carrier',
              render: (r) =>
                r.carrierId
                  ? `${r.carrierId}${r.mode ? ` (${r.mode})` : ''}${r.trackingNumber ? ` · ${r.trackingNumber}` : ''}`
                  : '—',
            },
            {
              key: 'promised',
              header: 'Promised delivery',
              render: (r) => <DateTime value={r.promisedDeliveryDate} />,
            },
            {
              key: 'delivered',
              header: 'Delivered',
              render: (r) => <DateTime value={r.deliveredAt} empty="not yet" />,
            },
          ]}
        />
      )}
    </section>
  );
}

/** The most recent returns. */
export function RecentReturns({ view }: { view: Customer360 }) {
  return (
    <section aria-labelledby="returns-heading">
      <h2 id="returns-heading">Recent returns</h2>
      {view.returns.length === 0 ? (
        <EmptyState title="No returns." />
      ) : (
        <Table
          caption="The 10 most recent returns"
          rows={view.returns}
          rowKey={(r) => r.returnId}
          columns={[
            { key: 'return', header: 'Return', render: (r) => <Link to={returnPath(r.returnId)}>{r.returnId}</Link> },
            { key: 'status', header: 'Status', render: (r) => <StatusBadge status={r.status} /> },
            { key: 'value', header: 'Value', align: 'right', render: (r) => formatMinor(r.valueMinor, r.currency) },
            { key: 'requested', header: 'Requested', render: (r) => <DateTime value={r.requestedAt} /> },
          ]}
        />
      )}
    </section>
  );
}
