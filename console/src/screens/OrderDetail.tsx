/**
 * One order: header, step timeline of the order and its shipment runs (status, attempts, last error,
 * SLA, who did what and why), shipments, invoices, returns and CRM deliveries, and the actions the
 * key's role may take. Every action sends what the API requires (a reason where it is required) and
 * shows the API's refusal verbatim; the screen refreshes by itself while a dialog keeps its input.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { api, patch, post } from '../api';
import { useCan, useMe } from '../auth';
import type { CrmDeliveries, OrderView, RunState, StepState, Timeline } from '../types';
import { ActionButton, reasonField, type Field } from '../components/ActionButton';
import { DateTime, Money, StatusBadge } from '../components/Format';
import { EmptyState, ErrorState, Loading } from '../components/States';
import { Table, type Column } from '../components/Table';
import { useAnnounce } from '../components/Announcer';
import { customerPath, invoicePath, returnPath } from '../links';
import { useConsoleConfig, workflowUrl } from '../consoleConfig';
import { OrderShipments } from './OrderShipments';

const P = {
  retry: 'POST /v1/orders/:orderId/steps/:step/retry',
  skip: 'POST /v1/orders/:orderId/steps/:step/skip',
  cancel: 'POST /v1/orders/:orderId/cancel',
  hold: 'POST /v1/orders/:orderId/hold',
  release: 'POST /v1/orders/:orderId/release',
  shipTo: 'PATCH /v1/orders/:orderId/ship-to',
  credit: 'POST /v1/orders/:orderId/credit-decision',
};

const enc = encodeURIComponent;
const FINISHED = ['cancelled', 'rejected', 'fulfilled', 'delivered', 'completed'];

export function OrderDetailScreen() {
  const { orderId = '' } = useParams();
  const can = useCan();
  const me = useMe();
  // The timeline carries ops' and finance's reasons: a crm key reads the order without it.
  const canTimeline = can('GET /v1/orders/:orderId/timeline');
  const canCrm = can('GET /v1/orders/:orderId/crm-deliveries');
  const order = useQuery({
    queryKey: ['order', orderId],
    queryFn: ({ signal }) => api<OrderView>(`/orders/${enc(orderId)}`, { signal }),
  });
  const timeline = useQuery({
    queryKey: ['order', orderId, 'timeline'],
    queryFn: ({ signal }) => api<Timeline>(`/orders/${enc(orderId)}/timeline`, { signal }),
    enabled: canTimeline,
  });
  const crm = useQuery({
    queryKey: ['order', orderId, 'crm'],
    queryFn: ({ signal }) => api<CrmDeliveries>(`/orders/${enc(orderId)}/crm-deliveries`, { signal }),
    enabled: canCrm,
  });

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
    </>
  );
}

function Header({ order: o }: { order: OrderView }) {
  const config = useConsoleConfig();
  const link = workflowUrl(config.data, o.orderId);
  const promisedShip = earliest(o.shipments.map((s) => s.promisedShipDate));
  const promisedDelivery = latest(o.shipments.map((s) => s.promisedDeliveryDate));
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
      <dl className="facts">
        <div>
          <dt>Customer</dt>
          <dd>
            <Link to={customerPath(o.customer.id)}>{o.customer.name}</Link>
          </dd>
        </div>
        <div>
          <dt>PO</dt>
          <dd>{o.poNumber}</dd>
        </div>
        <div>
          <dt>Deal</dt>
          <dd>{o.dealId}</dd>
        </div>
        <div>
          <dt>Value</dt>
          <dd>
            <Money minor={o.totalMinor} currency={o.currency} />
          </dd>
        </div>
        <div>
          <dt>Current step</dt>
          <dd>{o.currentStep ?? '—'}</dd>
        </div>
        <div>
          <dt>Promised ship</dt>
          <dd>
            <DateTime value={promisedShip} />
          </dd>
        </div>
        <div>
          <dt>Promised delivery</dt>
          <dd>
            <DateTime value={promisedDelivery} />
          </dd>
        </div>
        <div>
          <dt>Created</dt>
          <dd>
            <DateTime value={o.createdAt} />
          </dd>
        </div>
        <div>
          <dt>Updated</dt>
          <dd>
            <DateTime value={o.updatedAt} />
          </dd>
        </div>
        <div>
          <dt>Workflow</dt>
          <dd>
            {link ? (
              <a href={link} target="_blank" rel="noreferrer">
                Open in Temporal Web UI<span className="visually-hidden"> (new tab)</span>
              </a>
            ) : (
              <span className="muted">{o.orderId}</span>
            )}
          </dd>
        </div>
      </dl>
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

function useAfterAction(orderId: string) {
  const client = useQueryClient();
  const announce = useAnnounce();
  return (message: string) => {
    announce(message);
    void client.invalidateQueries({ queryKey: ['order', orderId] });
    void client.invalidateQueries({ queryKey: ['work-queue'] });
  };
}

const SHIP_TO_FIELDS: Field[] = [
  { name: 'name', label: 'Name', required: true },
  { name: 'line1', label: 'Address line 1', required: true },
  { name: 'line2', label: 'Address line 2 (optional)' },
  { name: 'city', label: 'City', required: true },
  { name: 'region', label: 'Region (optional)' },
  { name: 'postalCode', label: 'Postal code', required: true },
  { name: 'country', label: 'Country (ISO code, e.g. US)', required: true },
];

function OrderActions({ order: o }: { order: OrderView }) {
  const can = useCan();
  const me = useMe();
  const done = useAfterAction(o.orderId);
  const base = `/orders/${enc(o.orderId)}`;
  const held = o.workflow?.hold !== undefined;
  const finished = FINISHED.includes(o.status);
  const shipped = o.shipments.some((s) => s.shippedAt !== null);
  const creditWaiting = o.workflow?.steps.some((s) => s.name === 'credit-approval' && s.status === 'waiting') ?? false;
  const buttons = [
    can(P.credit) && creditWaiting && (
      <ActionButton
        key="credit"
        label="Credit decision"
        tone="primary"
        description={`Order ${o.orderId} is on credit hold: approve it, or reject it (the order is cancelled and sales are told).`}
        fields={[
          {
            name: 'decision',
            label: 'Decision',
            type: 'radio',
            required: true,
            options: [
              { value: 'approve', label: 'Approve' },
              { value: 'reject', label: 'Reject' },
            ],
          },
          reasonField(true),
        ]}
        onSubmit={(v) => post(`${base}/credit-decision`, { decision: v.decision, reason: v.reason })}
        onDone={() => done(`Credit decision sent for ${o.orderId}`)}
      />
    ),
    can(P.hold) && !held && !finished && (
      <ActionButton
        key="hold"
        label="Hold"
        description="No further step starts until the order is released."
        fields={[reasonField(true)]}
        onSubmit={(v) => post(`${base}/hold`, { reason: v.reason })}
        onDone={() => done(`Order ${o.orderId} is on hold`)}
      />
    ),
    can(P.release) && held && (
      <ActionButton
        key="release"
        label="Release"
        tone="primary"
        description="Steps start again from where they stopped."
        fields={[reasonField(false)]}
        onSubmit={(v) => post(`${base}/release`, v.reason ? { reason: v.reason } : {})}
        onDone={() => done(`Order ${o.orderId} released`)}
      />
    ),
    can(P.shipTo) && !finished && (
      <ActionButton
        key="ship-to"
        label="Change ship-to"
        disabledReason={shipped ? 'Already shipped: the address cannot change.' : undefined}
        description="Only before picking starts: carrier and promised dates are planned again."
        fields={[...SHIP_TO_FIELDS, reasonField(true)]}
        onSubmit={(v) => {
          const shipTo = Object.fromEntries(
            SHIP_TO_FIELDS.map((f) => [f.name, v[f.name]?.trim()]).filter(([, value]) => value),
          );
          return patch(`${base}/ship-to`, { shipTo, reason: v.reason });
        }}
        onDone={() => done(`Ship-to of ${o.orderId} changed`)}
      />
    ),
    can(P.cancel) && !finished && (
      <ActionButton
        key="cancel"
        label="Cancel order"
        tone="danger"
        disabledReason={shipped ? 'Already shipped: returns, not cancellation.' : undefined}
        description="Compensations run in reverse (stock released, ERP order cancelled). Refused once shipped."
        fields={[reasonField(true)]}
        confirmLabel="Cancel the order"
        onSubmit={(v) => post(`${base}/cancel`, { reason: v.reason })}
        onDone={() => done(`Order ${o.orderId} cancelled`)}
      />
    ),
  ].filter(Boolean);
  if (buttons.length === 0) {
    return (
      <p className="muted" data-testid="no-actions">
        {finished
          ? `This order is ${o.status.replace(/_/g, ' ')}: no action is open.`
          : `No order actions for your role (${me.role}).`}
      </p>
    );
  }
  return (
    <div className="actions" role="group" aria-label="Order actions">
      {buttons}
    </div>
  );
}

interface RunRow {
  runId: string;
  step: StepState;
}

function Steps({ order, timeline }: { order: OrderView; timeline: Timeline }) {
  const runs = timeline.runs.length > 0 ? timeline.runs : [{ runId: order.orderId, state: order.workflow }];
  return (
    <>
      {runs.map(({ runId, state }) => (
        <RunSteps key={runId} orderId={order.orderId} runId={runId} state={state} />
      ))}
    </>
  );
}

function RunSteps({ orderId, runId, state }: { orderId: string; runId: string; state: RunState | null }) {
  const can = useCan();
  const done = useAfterAction(orderId);
  const heading = runId === orderId ? 'Order' : `Shipment ${runId}`;
  if (!state)
    return (
      <>
        <h3>{heading}</h3>
        <p className="muted">The workflow cannot be reached right now.</p>
      </>
    );
  const rows: RunRow[] = state.steps.map((step) => ({ runId, step }));
  const columns: Column<RunRow>[] = [
    { key: 'step', header: 'Step', render: ({ step }) => <span className="step-name">{step.name}</span> },
    { key: 'status', header: 'Status', render: ({ step }) => <StatusBadge status={step.status} /> },
    { key: 'attempts', header: 'Attempts', align: 'right', render: ({ step }) => step.rounds },
    {
      key: 'error',
      header: 'Last error / reason',
      render: ({ step }) => (
        <>
          {step.skippedReason && <div>Skipped: {step.skippedReason}</div>}
          {step.lastError ? (
            <span className={step.status === 'needs_attention' ? 'error-text' : 'muted'}>{step.lastError}</span>
          ) : (
            !step.skippedReason && <span className="muted">—</span>
          )}
        </>
      ),
    },
    {
      key: 'sla',
      header: 'SLA deadline',
      render: ({ step }) => (
        <>
          <DateTime value={step.slaDeadline} />
          {step.slaBreached && (
            <div className="step-breached">
              Breached <DateTime value={step.breachedAt} />
            </div>
          )}
        </>
      ),
    },
    { key: 'finished', header: 'Finished', render: ({ step }) => <DateTime value={step.finishedAt} /> },
    {
      key: 'actions',
      header: 'Actions',
      render: ({ step }) =>
        step.status !== 'needs_attention' ? null : (
          <div className="actions">
            {can(P.retry) && (
              <ActionButton
                label="Retry"
                tone="primary"
                title={`Retry ${step.name} on ${runId}`}
                description="Runs the step again with a fresh retry budget."
                fields={[reasonField(false)]}
                onSubmit={(v) =>
                  post(`/orders/${enc(runId)}/steps/${enc(step.name)}/retry`, v.reason ? { reason: v.reason } : {})
                }
                onDone={() => done(`Retrying ${step.name} on ${runId}`)}
              />
            )}
            {can(P.skip) && (
              <ActionButton
                label="Skip"
                title={`Skip ${step.name} on ${runId}`}
                description="Only steps declared skippable; the run goes on without this step."
                fields={[reasonField(true)]}
                onSubmit={(v) => post(`/orders/${enc(runId)}/steps/${enc(step.name)}/skip`, { reason: v.reason })}
                onDone={() => done(`Skipped ${step.name} on ${runId}`)}
              />
            )}
          </div>
        ),
    },
  ];
  return (
    <div className="run">
      <h3>
        {heading} <StatusBadge status={state.status} />
      </h3>
      <Table
        caption={`${heading} steps`}
        columns={columns}
        rows={rows}
        rowKey={(r) => r.step.name}
        rowClassName={(r) => (r.step.status === 'needs_attention' ? 'row-attention' : undefined)}
      />
    </div>
  );
}

function History({ timeline }: { timeline: Timeline }) {
  const people = timeline.actions;
  const transitions = timeline.events.filter((e) => e.reason || e.error || e.actor !== 'system');
  if (people.length === 0 && transitions.length === 0)
    return <EmptyState title="No one has acted on this order yet." />;
  type Row = { key: string; at: string; actor: string; what: string; reason: string | null; outcome: string };
  const rows: Row[] = [
    ...people.map((a, i) => ({
      key: `a${i}`,
      at: a.at,
      actor: a.actor,
      what: a.action,
      reason: a.reason,
      outcome: a.outcome,
    })),
    ...transitions.map((e, i) => ({
      key: `e${i}`,
      at: e.at,
      actor: e.actor,
      what: `${e.runId === timeline.orderId ? '' : `${e.runId} `}${e.step}: ${e.from ?? '—'} → ${e.to}`,
      reason: e.reason === e.error ? null : e.reason,
      outcome: e.error ?? '',
    })),
  ].sort((a, b) => a.at.localeCompare(b.at));
  return (
    <Table
      caption="Actions and transitions with their reasons"
      rows={rows}
      rowKey={(r) => r.key}
      columns={[
        { key: 'at', header: 'When', render: (r) => <DateTime value={r.at} /> },
        { key: 'actor', header: 'Who', render: (r) => r.actor },
        { key: 'what', header: 'What', render: (r) => r.what },
        { key: 'reason', header: 'Why', render: (r) => r.reason ?? <span className="muted">—</span> },
        { key: 'outcome', header: 'Outcome', render: (r) => <span className="error-text-soft">{r.outcome}</span> },
      ]}
    />
  );
}

function Shipments({ order: o }: { order: OrderView }) {
  const done = useAfterAction(o.orderId);
  return <OrderShipments order={o} onDone={done} />;
}

function Invoices({ order: o }: { order: OrderView }) {
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

function Backorders({ order: o }: { order: OrderView }) {
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

function Returns({ order: o }: { order: OrderView }) {
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

function CrmTable({ data }: { data: CrmDeliveries }) {
  if (data.milestones.length === 0) return <EmptyState title="No milestone sent to the CRM yet." />;
  return (
    <Table
      caption="Milestones sent to the CRM"
      rows={data.milestones}
      rowKey={(m) => m.idempotencyKey}
      columns={[
        { key: 'milestone', header: 'Milestone', render: (m) => m.milestone },
        { key: 'created', header: 'Queued', render: (m) => <DateTime value={m.createdAt} /> },
        {
          key: 'delivered',
          header: 'Delivered',
          render: (m) => (m.deliveredAt ? <DateTime value={m.deliveredAt} /> : <StatusBadge status="pending" />),
        },
        { key: 'attempts', header: 'Attempts', align: 'right', render: (m) => m.attempts },
        {
          key: 'last',
          header: 'Last answer',
          render: (m) => {
            const last = m.deliveries[m.deliveries.length - 1];
            return last ? (
              last.error ? (
                <span className="error-text">{last.error}</span>
              ) : (
                `HTTP ${last.statusCode ?? '—'}`
              )
            ) : (
              <span className="muted">—</span>
            );
          },
        },
      ]}
    />
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
