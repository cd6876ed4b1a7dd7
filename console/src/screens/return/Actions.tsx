/**
 * The action a return waits for a person to take, for a key allowed to take it: approve or reject,
 * record the parcel's receipt (warehouse prefilled), or record the inspection of each line.
 */
import { useQueryClient } from '@tanstack/react-query';
import { post } from '../../api';
import { notAllowedReason, useCan, useMe } from '../../auth';
import { ActionButton, reasonField, type Field } from '../../components/ActionButton';
import { useAnnounce } from '../../components/Announcer';
import { localNow } from '../../components/Format';
import { Loading } from '../../components/States';
import { formatMinor } from '../../finance/money';
import type { ReturnDetail } from '../../finance/types';
import { InspectDialog } from './Inspect';
import { useReturnWarehouse } from './warehouse';

/** The steps a person acts at, with the route each calls and what a key without it may not do. */
const PERSON_STEPS = {
  'approve-return': { permission: 'POST /v1/returns/:returnId/approve', notAllowed: 'approve returns' },
  'await-receipt': { permission: 'POST /v1/returns/:returnId/receive', notAllowed: 'record receipts' },
  'inspect-return': { permission: 'POST /v1/returns/:returnId/inspect', notAllowed: 'record inspections' },
} as const;
type PersonStep = keyof typeof PERSON_STEPS;

/** Whether the step of the run waits for a person. */
const waitingAt = (ret: ReturnDetail, step: string) =>
  ret.workflow?.steps.some((s) => s.name === step && s.status === 'waiting') ?? false;

/** Which steps wait for a person; a return pending approval waits for it before the run asks. */
function waitsFor(ret: ReturnDetail) {
  const needsApproval = ret.status === 'pending_approval' || waitingAt(ret, 'approve-return');
  const needsReceipt = waitingAt(ret, 'await-receipt');
  const needsInspection = waitingAt(ret, 'inspect-return');
  const pending: PersonStep | null = needsApproval
    ? 'approve-return'
    : needsReceipt
      ? 'await-receipt'
      : needsInspection
        ? 'inspect-return'
        : null;
  return { needsApproval, needsReceipt, needsInspection, pending };
}

const DECISION_FIELDS: Field[] = [
  {
    name: 'decision',
    label: 'Decision',
    type: 'radio',
    options: [
      { value: 'approve', label: 'Approve' },
      { value: 'reject', label: 'Reject' },
    ],
  },
  reasonField(true),
];

export function ReturnActions({ ret }: { ret: ReturnDetail }) {
  const can = useCan();
  const me = useMe();
  const client = useQueryClient();
  const announce = useAnnounce();
  const { needsApproval, needsReceipt, needsInspection, pending } = waitsFor(ret);
  const mayAct = pending ? can(PERSON_STEPS[pending].permission) : false;
  const receivingWarehouse = useReturnWarehouse(ret, needsReceipt && mayAct);
  const done = (what: string) => () => {
    announce(`Return ${ret.returnId}: ${what} recorded`);
    void client.invalidateQueries({ queryKey: ['return', ret.returnId] });
    void client.invalidateQueries({ queryKey: ['returns'] });
  };
  return (
    <section aria-labelledby="return-actions" className="actions">
      <h2 id="return-actions" className="visually-hidden">
        Actions
      </h2>
      {pending && !mayAct && (
        <p className="disabled-reason">{notAllowedReason(me, PERSON_STEPS[pending].notAllowed)}</p>
      )}
      {needsApproval && mayAct && (
        <ActionButton
          label="Approve or reject"
          tone="primary"
          title={`Decide on return ${ret.returnId}`}
          description={`Its value, ${formatMinor(ret.valueMinor, ret.currency)}, is above the auto-approval limit.`}
          fields={DECISION_FIELDS}
          confirmLabel="Send decision"
          onSubmit={(v) => post(`${pathOf(ret)}/approve`, { decision: v.decision, reason: v.reason })}
          onDone={done('decision')}
        />
      )}
      {needsReceipt && mayAct && receivingWarehouse === undefined && <Loading what="where the parcel goes" />}
      {needsReceipt && mayAct && receivingWarehouse !== undefined && (
        <ReceiptButton ret={ret} warehouseId={receivingWarehouse} onDone={done('receipt')} />
      )}
      {needsInspection && mayAct && <InspectDialog ret={ret} onDone={done('inspection')} />}
      {!pending && (
        <p className="muted">
          {ret.workflow
            ? 'Nothing waits for a person on this return.'
            : 'The run cannot be reached right now; actions appear when it answers.'}
        </p>
      )}
    </section>
  );
}

const pathOf = (ret: ReturnDetail) => `/returns/${encodeURIComponent(ret.returnId)}`;

function ReceiptButton({ ret, warehouseId, onDone }: { ret: ReturnDetail; warehouseId: string; onDone: () => void }) {
  return (
    <ActionButton
      label="Record receipt"
      tone="primary"
      title={`The parcel of ${ret.returnId} arrived`}
      fields={[
        { name: 'warehouseId', label: 'Received at warehouse', required: true, defaultValue: warehouseId },
        { name: 'receivedAt', label: 'Received at', type: 'datetime-local', required: true, defaultValue: localNow() },
      ]}
      confirmLabel="Record receipt"
      onSubmit={(v) =>
        post(`${pathOf(ret)}/receive`, {
          warehouseId: v.warehouseId,
          receivedAt: new Date(v.receivedAt!).toISOString(),
        })
      }
      onDone={onDone}
    />
  );
}
