/** The customer's cards: credit (limit, exposure, hold), billing set-up with its open period, counts. */
import { useQuery } from '@tanstack/react-query';
import { api } from '../../api';
import { useCan } from '../../auth';
import { DateTime } from '../../components/Format';
import { Fact } from '../../components/Fact';
import { ErrorState, Loading } from '../../components/States';
import { formatMinor } from '../../finance/money';
import type { BillingPeriodView, Customer360 } from '../../finance/types';

export function CreditCard({ view }: { view: Customer360 }) {
  const { customer: c, credit } = view;
  const money = (minor: number) => formatMinor(minor, c.currency);
  const usedPercent =
    credit.creditLimitMinor > 0
      ? Math.min(100, Math.round((credit.exposureMinor / credit.creditLimitMinor) * 100))
      : 100;
  return (
    <section aria-labelledby="credit-heading" className="card">
      <h2 id="credit-heading">Credit</h2>
      <dl className="facts">
        <Fact term="Credit limit" className="num">
          {money(credit.creditLimitMinor)}
        </Fact>
        <Fact term="Exposure" className="num" testId="customer-exposure">
          {money(credit.exposureMinor)}
        </Fact>
        <Fact term="Available" className={`num ${credit.availableCreditMinor < 0 ? 'text-bad' : ''}`}>
          {money(credit.availableCreditMinor)}
        </Fact>
        <Fact term="Open invoice balance" className="num">
          {money(credit.openInvoiceBalanceMinor)}
        </Fact>
        <Fact term="Credit hold" testId="customer-credit-hold">
          {credit.isOnCreditHold ? `on hold${credit.creditHoldSource ? ` (${credit.creditHoldSource})` : ''}` : 'no'}
        </Fact>
        <Fact term="Orders waiting for a credit decision">{credit.ordersOnCreditHold}</Fact>
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
  );
}

export function BillingCard({ view }: { view: Customer360 }) {
  const { customer: c, billing } = view;
  const can = useCan();
  return (
    <section aria-labelledby="billing-heading" className="card">
      <h2 id="billing-heading">Billing</h2>
      <dl className="facts">
        <Fact term="Invoices">{billing.invoiceGrouping}</Fact>
        <Fact term="Billing period">{billing.billingPeriod}</Fact>
        <Fact term="Billed on">{billing.billOn}</Fact>
        <Fact term="Payment terms">{billing.paymentTerms}</Fact>
        <Fact term="Freight markup">{(billing.freightMarkupBp / 100).toFixed(2)}%</Fact>
      </dl>
      {billing.invoiceGrouping === 'per-period' && can('GET /v1/customers/:customerId/billing-period') && (
        <OpenPeriod customerId={c.customerId} />
      )}
    </section>
  );
}

export function CountsCard({ view: { counts } }: { view: Customer360 }) {
  return (
    <section aria-labelledby="counts-heading" className="card">
      <h2 id="counts-heading">At a glance</h2>
      <dl className="facts">
        <Fact term="Orders">
          {counts.orders} ({counts.openOrders} open)
        </Fact>
        <Fact term="Shipments">{counts.shipments}</Fact>
        <Fact term="Open invoices">
          {counts.openInvoices} ({counts.overdueInvoices} overdue)
        </Fact>
        <Fact term="Returns">
          {counts.returns} ({counts.openReturns} open)
        </Fact>
      </dl>
    </section>
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
