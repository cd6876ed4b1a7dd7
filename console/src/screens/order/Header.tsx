/** The order's header: status badges, the facts a reader checks first, and why it is held or cancelled. */
import { Link } from 'react-router';
import type { OrderView } from '../../types';
import { DateTime, Money, StatusBadge } from '../../components/Format';
import { Fact } from '../../components/Fact';
import { customerPath } from '../../links';
import { useConsoleConfig, workflowUrl } from '../../consoleConfig';

export function Header({ order: o }: { order: OrderView }) {
  return (
    <div className="panel">
      <div className="page-head">
        <h1>Order {o.orderId}</h1>
        <span data-testid="order-status">
          <StatusBadge status={o.status} />
        </span>
        {o.needsAttention && <StatusBadge status="needs_attention" />}
        {o.slaBreached && <StatusBadge status="sla_breached" />}
        {o.workflow?.hold && <StatusBadge status="on_hold" />}
      </div>
      <Facts order={o} />
      {o.workflow === null && (
        <p className="muted">The workflow cannot be reached right now: showing the stored order.</p>
      )}
      {o.workflow?.hold && (
        <p role="note">
          <strong>On hold</strong> since <DateTime value={o.workflow.hold.since} /> by {o.workflow.hold.actor}:{' '}
          {o.workflow.hold.reason}
        </p>
      )}
      {o.workflow?.cancelReason && (
        <p role="note">
          <strong>Cancelled:</strong> {o.workflow.cancelReason}
        </p>
      )}
    </div>
  );
}

function Facts({ order: o }: { order: OrderView }) {
  const config = useConsoleConfig();
  const link = workflowUrl(config.data, o.orderId);
  const promisedShip = earliest(o.shipments.map((s) => s.promisedShipDate));
  const promisedDelivery = latest(o.shipments.map((s) => s.promisedDeliveryDate));
  return (
    <dl className="facts">
      <Fact term="Customer">
        <Link to={customerPath(o.customer.id)}>{o.customer.name}</Link>
      </Fact>
      <Fact term="PO">{o.poNumber}</Fact>
      <Fact term="Deal">{o.dealId}</Fact>
      <Fact term="Value">
        <Money minor={o.totalMinor} currency={o.currency} />
      </Fact>
      <Fact term="Current step">{o.currentStep ?? '—'}</Fact>
      <Fact term="Promised ship">
        <DateTime value={promisedShip} />
      </Fact>
      <Fact term="Promised delivery">
        <DateTime value={promisedDelivery} />
      </Fact>
      <Fact term="Created">
        <DateTime value={o.createdAt} />
      </Fact>
      <Fact term="Updated">
        <DateTime value={o.updatedAt} />
      </Fact>
      <Fact term="Workflow">
        {link ? (
          <a href={link} target="_blank" rel="noreferrer">
            Open in Temporal Web UI<span className="visually-hidden"> (new tab)</span>
          </a>
        ) : (
          <span className="muted">{o.orderId}</span>
        )}
      </Fact>
    </dl>
  );
}

function earliest(values: (string | null)[]): string | null {
  return values.filter((v): v is string => !!v).sort()[0] ?? null;
}

function latest(values: (string | null)[]): string | null {
  return (
    values
      .filter((v): v is string => !!v)
      .sort()
      .at(-1) ?? null
  );
}
