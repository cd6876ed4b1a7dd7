/**
 * The step timeline of the order and of each shipment run: status, attempts, last error or skip
 * reason, SLA, and Retry / Skip on a step that needs attention.
 */
import { post } from '../../api';
import { useCan } from '../../auth';
import type { OrderView, RunState, StepState, Timeline } from '../../types';
import { ActionButton, reasonField } from '../../components/ActionButton';
import { DateTime, StatusBadge } from '../../components/Format';
import { Table, type Column } from '../../components/Table';
import { enc, ORDER_ACTIONS as P } from './permissions';
import { useAfterAction } from './useAfterAction';

interface RunRow {
  runId: string;
  step: StepState;
}

export function Steps({ order, timeline }: { order: OrderView; timeline: Timeline }) {
  const runs = timeline.runs.length > 0 ? timeline.runs : [{ runId: order.orderId, state: order.workflow }];
  return (
    <>
      {runs.map(({ runId, state }) => (
        <RunSteps key={runId} orderId={order.orderId} runId={runId} state={state} />
      ))}
    </>
  );
}

export function RunSteps({ orderId, runId, state }: { orderId: string; runId: string; state: RunState | null }) {
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
    ...STEP_COLUMNS,
    {
      key: 'actions',
      header: 'Actions',
      render: ({ step }) =>
        step.status !== 'needs_attention' ? null : <StepActions orderId={orderId} runId={runId} step={step} />,
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

const STEP_COLUMNS: Column<RunRow>[] = [
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
];

function StepActions({ orderId, runId, step }: { orderId: string; runId: string; step: StepState }) {
  const can = useCan();
  const done = useAfterAction(orderId);
  const stepPath = `/orders/${enc(runId)}/steps/${enc(step.name)}`;
  return (
    <div className="actions">
      {can(P.retry) && (
        <ActionButton
          label="Retry"
          tone="primary"
          title={`Retry ${step.name} on ${runId}`}
          description="Runs the step again with a fresh retry budget."
          fields={[reasonField(false)]}
          onSubmit={(v) => post(`${stepPath}/retry`, v.reason ? { reason: v.reason } : {})}
          onDone={() => done(`Retrying ${step.name} on ${runId}`)}
        />
      )}
      {can(P.skip) && (
        <ActionButton
          label="Skip"
          title={`Skip ${step.name} on ${runId}`}
          description="Only steps declared skippable; the run goes on without this step."
          fields={[reasonField(true)]}
          onSubmit={(v) => post(`${stepPath}/skip`, { reason: v.reason })}
          onDone={() => done(`Skipped ${step.name} on ${runId}`)}
        />
      )}
    </div>
  );
}
