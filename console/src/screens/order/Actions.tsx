/**
 * The order-level actions the key's role may take now: credit decision, hold, release, change
 * ship-to and cancel. A button shows only while the action can apply; a shipped order shows ship-to
 * and cancel disabled with the reason.
 */
import type { ReactNode } from 'react';
import { patch, post } from '../../api';
import { useCan, useMe } from '../../auth';
import type { OrderView } from '../../types';
import { ActionButton, reasonField, type Field } from '../../components/ActionButton';
import { enc, FINISHED, ORDER_ACTIONS as P } from './permissions';
import { useAfterAction } from './useAfterAction';

const CREDIT_DECISION_FIELDS: Field[] = [
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
];

const SHIP_TO_FIELDS: Field[] = [
  { name: 'name', label: 'Name', required: true },
  { name: 'line1', label: 'Address line 1', required: true },
  { name: 'line2', label: 'Address line 2 (optional)' },
  { name: 'city', label: 'City', required: true },
  { name: 'region', label: 'Region (optional)' },
  { name: 'postalCode', label: 'Postal code', required: true },
  { name: 'country', label: 'Country (ISO code, e.g. US)', required: true },
];

/** The typed address without its blank optional lines. */
function shipToOf(values: Record<string, string>) {
  return Object.fromEntries(SHIP_TO_FIELDS.map((f) => [f.name, values[f.name]?.trim()]).filter(([, value]) => value));
}

export function OrderActions({ order: o }: { order: OrderView }) {
  const me = useMe();
  const finished = FINISHED.includes(o.status);
  const buttons = useOrderButtons(o, finished);
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

function useOrderButtons(o: OrderView, finished: boolean): ReactNode[] {
  const can = useCan();
  const done = useAfterAction(o.orderId);
  const base = `/orders/${enc(o.orderId)}`;
  const held = o.workflow?.hold !== undefined;
  const shipped = o.shipments.some((s) => s.shippedAt !== null);
  const creditWaiting = o.workflow?.steps.some((s) => s.name === 'credit-approval' && s.status === 'waiting') ?? false;
  return [
    can(P.credit) && creditWaiting && (
      <ActionButton
        key="credit"
        label="Credit decision"
        tone="primary"
        description={`Order ${o.orderId} is on credit hold: approve it, or reject it (the order is cancelled and sales are told).`}
        fields={CREDIT_DECISION_FIELDS}
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
        onSubmit={(v) => patch(`${base}/ship-to`, { shipTo: shipToOf(v), reason: v.reason })}
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
}
