/**
 * One order: header, step timeline of the order and its shipment runs (status, attempts, last error,
 * SLA, who did what and why), shipments, invoices, returns and CRM deliveries, and the actions the
 * key's role may take. Every action sends what the API requires (a reason where it is required) and
 * shows the API's refusal verbatim; the screen refreshes by itself while a dialog keeps its input.
 * The pieces live in ./order/.
 */
import type { UseQueryResult } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { useMe } from '../auth';
import type { CrmDeliveries, OrderView, Timeline } from '../types';
import { ErrorState, Loading } from '../components/States';
import { OrderActions } from './order/Actions';
import { CrmTable } from './order/Crm';
import { Header } from './order/Header';
import { History } from './order/History';
import { Backorders, Invoices, Returns } from './order/Related';
import { Shipments } from './order/Shipments';
import { RunSteps, Steps } from './order/Steps';
import { useOrder } from './order/useOrder';

export function OrderDetailScreen() {
  const { orderId = '' } = useParams();
  const { order, timeline, crm, canTimeline, canCrm } = useOrder(orderId);

  if (order.isPending) return <Loading what={`order ${orderId}`} />;
  if (order.isError) {
    return (
      <>
        <h1>Order {orderId}</h1>
        <ErrorState error={order.error} what={`order ${orderId}`} onRetry={() => void order.refetch()} />
        <Link to="/orders">Back to orders</Link>
      </>
    );
  }
  const o = order.data;
  return (
    <>
      <Header order={o} />
      <OrderActions order={o} />
      <StepsSection order={o} timeline={timeline} canTimeline={canTimeline} />
      <Shipments order={o} />
      <Backorders order={o} />
      <Invoices order={o} />
      <Returns order={o} />
      {canTimeline && (
        <section aria-labelledby="history-title">
          <h2 id="history-title">Who did what</h2>
          {timeline.data ? (
            <History timeline={timeline.data} />
          ) : timeline.isPending ? (
            <Loading what="the history" />
          ) : null}
        </section>
      )}
      <CrmSection crm={crm} canCrm={canCrm} />
    </>
  );
}

function StepsSection({
  order: o,
  timeline,
  canTimeline,
}: {
  order: OrderView;
  timeline: UseQueryResult<Timeline>;
  canTimeline: boolean;
}) {
  const me = useMe();
  return (
    <section aria-labelledby="steps-title">
      <h2 id="steps-title">Steps</h2>
      {!canTimeline ? (
        <>
          <p className="muted" data-testid="no-timeline">
            Shipment steps and who did what are shown to ops and finance keys; your key ({me.role}) reads the order's
            own steps.
          </p>
          <RunSteps orderId={o.orderId} runId={o.orderId} state={o.workflow} />
        </>
      ) : timeline.isPending ? (
        <Loading what="the step timeline" />
      ) : timeline.isError ? (
        <ErrorState error={timeline.error} what="the step timeline" onRetry={() => void timeline.refetch()} />
      ) : (
        <Steps order={o} timeline={timeline.data} />
      )}
    </section>
  );
}

function CrmSection({ crm, canCrm }: { crm: UseQueryResult<CrmDeliveries>; canCrm: boolean }) {
  const me = useMe();
  return (
    <section aria-labelledby="crm-title">
      <h2 id="crm-title">CRM deliveries</h2>
      {!canCrm ? (
        <p className="muted">Not shown to your key ({me.role}).</p>
      ) : crm.isPending ? (
        <Loading what="CRM deliveries" />
      ) : crm.isError ? (
        <ErrorState error={crm.error} what="CRM deliveries" onRetry={() => void crm.refetch()} />
      ) : (
        <CrmTable data={crm.data} />
      )}
    </section>
  );
}
