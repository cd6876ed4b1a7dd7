/**
 * The customer 360 (ops and finance): credit limit, exposure and what is left, credit-hold state,
 * billing set-up and the open billing period, then what is in flight: recent orders and shipments,
 * every open invoice (overdue marked) and recent returns, each linking to its screen. The cards and
 * tables live in ./customer/.
 */
import '../finance/finance.css';
import { useQuery } from '@tanstack/react-query';
import { useParams } from 'react-router';
import { api } from '../api';
import { Loaded } from '../finance/Loaded';
import type { Customer360 } from '../finance/types';
import { BillingCard, CountsCard, CreditCard } from './customer/Cards';
import { OpenInvoices, RecentOrders, RecentReturns, RecentShipments } from './customer/InFlight';

export function CustomerDetailScreen() {
  const { customerId = '' } = useParams();
  const view = useQuery({
    queryKey: ['customer', customerId],
    queryFn: ({ signal }) => api<Customer360>(`/customers/${encodeURIComponent(customerId)}`, { signal }),
  });
  return (
    <Loaded query={view} what="the customer" heading={<h1>Customer {customerId}</h1>}>
      {(data) => <Customer view={data} />}
    </Loaded>
  );
}

function Customer({ view }: { view: Customer360 }) {
  const { customer: c, credit } = view;
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
        <CreditCard view={view} />
        <BillingCard view={view} />
        <CountsCard view={view} />
      </div>

      <OpenInvoices view={view} />
      <RecentOrders view={view} />
      <RecentShipments view={view} />
      <RecentReturns view={view} />
    </>
  );
}
