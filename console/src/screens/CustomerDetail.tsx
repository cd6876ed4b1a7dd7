/**
 * The customer 360 (ops and finance): credit limit, exposure and what is left, credit-hold state,
 * billing set-up and the open billing period, then what is in flight: recent orders and shipments,
 * every open invoice (overdue marked) and recent returns, each linking to its screen.
 */
import '../finance/finance.css';
import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { api } from '../api';
import { useCan } from '../auth';
import { DateTime, StatusBadge } from '../components/Format';
import { Table } from '../components/Table';
import { EmptyState, ErrorState, Loading } from '../components/States';
import { invoicePath, orderPath, returnPath } from '../links';
import { RefreshFailed } from '../finance/RefreshFailed';
import { formatMinor } from '../finance/money';
import { overdueOf, type BillingPeriodView, type Customer360, type InvoiceSummary } from '../finance/types';

export function CustomerDetailScreen() {
  const { customerId = '' } = useParams();
  const view = useQuery({
    queryKey: ['customer', customerId],
    queryFn: ({ signal }) => api<Customer360>(`/customers/${encodeURIComponent(customerId)}`, { signal }),
  });
  if (view.data === undefined)
    return (
      <>
        <h1>Customer {customerId}</h1>
        {view.isError ? (
          <ErrorState error={view.error} what="the customer" onRetry={() => void view.refetch()} />
        ) : (
          <Loading what="the customer" />
        )}
      </>
    );
  return (
    <>
      {view.isError && <RefreshFailed error={view.error} what="the customer" />}
      <Customer view={view.data} />
    </>
  );
}

function Customer({ view }: { view: Customer360 }) {
  const { customer: c, credit, billing, counts } = view;
  const can = useCan();
  const money = (minor: number) => formatMinor(minor, c.currency);
  const usedPercent =
    credit.creditLimitMinor > 0
      ? Math.min(100, Math.round((credit.exposureMinor / credit.creditLimitMinor) * 100))
      : 100;
  return (
    <>
      <div className="page-head">
        <h1>
          {c.name} {credit.isOnCreditHold && <span className="badge badge-warn">credit hold</span>}
          {!c.isActive && (
            <>
              {' '}
              <span className="badge badge-muted">inactive</span>
            </>
          )}
        </h1>
        <p className="muted">
          {c.customerId} · terms {c.paymentTerms} · SLA profile {c.slaProfileId}
          {c.isTaxExempt ? ' · tax exempt' : ''}
        </p>
      </div>

      <div className="cards">
        <section aria-labelledby="credit-heading" className="card">
          <h2 id="credit-heading">Credit</h2>
          <dl className="facts">
            <div>
              <dt>Credit limit</dt>
              <dd className="num">{money(credit.creditLimitMinor)}</dd>
            </div>
            <div>
              <dt>Exposure</dt>
              <dd className="num" data-testid="customer-exposure">
                {money(credit.exposureMinor)}
              </dd>
            </div>
            <div>
              <dt>Available</dt>
              <dd className={`num ${credit.availableCreditMinor < 0 ? 'text-bad' : ''}`}>
                {money(credit.availableCreditMinor)}
              </dd>
            </div>
            <div>
              <dt>Open invoice balance</dt>
              <dd className="num">{money(credit.openInvoiceBalanceMinor)}</dd>
            </div>
            <div>
              <dt>Credit hold</dt>
              <dd data-testid="customer-credit-hold">
                {credit.isOnCreditHold
                  ? `on hold${credit.creditHoldSource ? ` (${credit.creditHoldSource})` : ''}`
                  : 'no'}
              </dd>
            </div>
            <div>
              <dt>Orders waiting for a credit decision</dt>
              <dd>{credit.ordersOnCreditHold}</dd>
            </div>
          </dl>
          <p className="meter-line">
            <meter
              className="credit-meter"
              min={0}
              max={100}
              low={70}
              high={90}
              optimum={0}
              value={usedPercent}
              aria-labelledby="credit-used"
            >
              {usedPercent}%
            </meter>
            <span id="credit-used" className="muted">
              {usedPercent}% of the credit limit used
            </span>
          </p>
        </section>
        <section aria-labelledby="billing-heading" className="card">
          <h2 id="billing-heading">Billing</h2>
          <dl className="facts">
            <div>
              <dt>Invoices</dt>
              <dd>{billing.invoiceGrouping}</dd>
            </div>
            <div>
              <dt>Billing period</dt>
              <dd>{billing.billingPeriod}</dd>
            </div>
            <div>
              <dt>Billed on</dt>
              <dd>{billing.billOn}</dd>
            </div>
            <div>
              <dt>Payment terms</dt>
              <dd>{billing.paymentTerms}</dd>
            </div>
            <div>
              <dt>Freight markup</dt>
              <dd>{(billing.freightMarkupBp / 100).toFixed(2)}%</dd>
            </div>
          </dl>
          {billing.invoiceGrouping === 'per-period' && can('GET /v1/customers/:customerId/billing-period') && (
            <OpenPeriod customerId={c.customerId} />
          )}
        </section>
        <section aria-labelledby="counts-heading" className="card">
          <h2 id="counts-heading">At a glance</h2>
          <dl className="facts">
            <div>
              <dt>Orders</dt>
              <dd>
                {counts.orders} ({counts.openOrders} open)
              </dd>
            </div>
            <div>
              <dt>Shipments</dt>
              <dd>{counts.shipments}</dd>
            </div>
            <div>
              <dt>Open invoices</dt>
              <dd>
                {counts.openInvoices} ({counts.overdueInvoices} overdue)
              </dd>
            </div>
            <div>
              <dt>Returns</dt>
              <dd>
                {counts.returns} ({counts.openReturns} open)
              </dd>
            </div>
          </dl>
        </section>
      </div>

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
    </>
  );
}

function OpenPeriod({ customerId }: { customerId: string }) {
  const period = useQuery({
    queryKey: ['billing-period', customerId],
    queryFn: ({ signal }) =>
      api<BillingPeriodView>(`/customers/${encodeURIComponent(customerId)}/billing-period`, { signal }),
  });
  if (period.isPending) return <Loading what="the open billing period" />;
  if (period.isError) return <ErrorState error={period.error} what="the open billing period" />;
  const p = period.data;
  return (
    <p data-testid="billing-period">
      Open period {p.current.label}: closes <DateTime value={p.current.closesAt} />; {p.waiting.length} shipment
      {p.waiting.length === 1 ? '' : 's'} waiting to be invoiced.
      {p.lastClose && (
        <>
          {' '}
          Last close {p.lastClose.label} (<DateTime value={p.lastClose.closedAt} />
          ): {p.lastClose.invoiceIds.length} invoice(s).
        </>
      )}
    </p>
  );
}
