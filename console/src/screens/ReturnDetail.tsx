/**
 * One return: its lines, the credit memo and the steps of its run. Ops act on it at the step that
 * waits for them: approve or reject (with a reason), record the parcel's receipt, and inspect each
 * line (units restocked, units scrapped). The API's refusal is shown verbatim.
 */
import '../finance/finance.css';
import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { api, post } from '../api';
import { notAllowedReason, useCan, useMe } from '../auth';
import { ActionButton, reasonField } from '../components/ActionButton';
import { useAnnounce } from '../components/Announcer';
import { DateTime, StatusBadge } from '../components/Format';
import { EmptyState, ErrorState, Loading } from '../components/States';
import { customerPath, orderPath } from '../links';
import { FormDialog } from '../finance/FormDialog';
import { RefreshFailed } from '../finance/RefreshFailed';
import { formatMinor } from '../finance/money';
import type { ReturnDetail } from '../finance/types';
import type { OrderView } from '../types';
import { returnWarehouseOf } from '../finance/returns';

export function ReturnDetailScreen() {
  const { returnId = '' } = useParams();
  const ret = useQuery({
    queryKey: ['return', returnId],
    queryFn: ({ signal }) => api<ReturnDetail>(`/returns/${encodeURIComponent(returnId)}`, { signal }),
  });
  if (ret.data === undefined)
    return (
      <>
        <h1>Return {returnId}</h1>
        {ret.isError ? (
          <ErrorState error={ret.error} what="the return" onRetry={() => void ret.refetch()} />
        ) : (
          <Loading what="the return" />
        )}
      </>
    );
  return (
    <>
      {ret.isError && <RefreshFailed error={ret.error} what="the return" />}
      <ReturnView ret={ret.data} />
    </>
  );
}

/** The step of the run waiting for a person, if any. */
const waitingAt = (ret: ReturnDetail, step: string) =>
  ret.workflow?.steps.some((s) => s.name === step && s.status === 'waiting') ?? false;

/** Where the prepaid label sends the parcel, when the run's state carries the label step's result. */
function labelWarehouse(ret: ReturnDetail): string | undefined {
  const label = ret.workflow?.results?.['book-return-label'] as { toWarehouseId?: string } | undefined;
  return label?.toWarehouseId;
}

/** The receiving warehouse to prefill: from the label, else from the order; `undefined` while the order loads. */
function useReturnWarehouse(ret: ReturnDetail, isNeeded: boolean): string | undefined {
  const fromLabel = labelWarehouse(ret);
  const order = useQuery({
    queryKey: ['order', ret.orderId],
    queryFn: ({ signal }) => api<OrderView>(`/orders/${encodeURIComponent(ret.orderId)}`, { signal }),
    enabled: isNeeded && fromLabel === undefined,
    refetchInterval: false,
  });
  if (fromLabel !== undefined) return fromLabel;
  if (order.data)
    return (
      returnWarehouseOf(
        order.data.shipments,
        ret.lines.map((l) => l.sku),
      ) ?? ''
    );
  return order.isError ? '' : undefined;
}

/** "2026-11-28T14:05" in the browser's time zone, for a datetime-local input. */
function localNow(): string {
  const d = new Date();
  d.setMinutes(d.getMinutes() - d.getTimezoneOffset());
  return d.toISOString().slice(0, 16);
}

function ReturnView({ ret }: { ret: ReturnDetail }) {
  const can = useCan();
  const me = useMe();
  const client = useQueryClient();
  const announce = useAnnounce();
  const path = `/returns/${encodeURIComponent(ret.returnId)}`;
  const refresh = () => {
    void client.invalidateQueries({ queryKey: ['return', ret.returnId] });
    void client.invalidateQueries({ queryKey: ['returns'] });
  };
  const needsApproval = ret.status === 'pending_approval' || waitingAt(ret, 'approve-return');
  const needsReceipt = waitingAt(ret, 'await-receipt');
  const needsInspection = waitingAt(ret, 'inspect-return');
  const pending = needsApproval
    ? 'approve-return'
    : needsReceipt
      ? 'await-receipt'
      : needsInspection
        ? 'inspect-return'
        : null;
  const permission = {
    'approve-return': 'POST /v1/returns/:returnId/approve',
    'await-receipt': 'POST /v1/returns/:returnId/receive',
    'inspect-return': 'POST /v1/returns/:returnId/inspect',
  } as const;
  const mayAct = pending ? can(permission[pending]) : false;
  const receivingWarehouse = useReturnWarehouse(ret, needsReceipt && mayAct);

  return (
    <>
      <div className="page-head">
        <h1>
          Return {ret.returnId} <StatusBadge status={ret.status} />
        </h1>
        <p className="muted">
          order <Link to={orderPath(ret.orderId)}>{ret.orderId}</Link> ·{' '}
          <Link to={customerPath(ret.customerId)}>{ret.customerId}</Link>
          {' · '}requested <DateTime value={ret.requestedAt} /> · value {formatMinor(ret.valueMinor, ret.currency)}
        </p>
      </div>

      <section aria-labelledby="return-actions" className="actions">
        <h2 id="return-actions" className="visually-hidden">
          Actions
        </h2>
        {pending && !mayAct && (
          <p className="disabled-reason">
            {notAllowedReason(
              me,
              pending === 'approve-return'
                ? 'approve returns'
                : pending === 'await-receipt'
                  ? 'record receipts'
                  : 'record inspections',
            )}
          </p>
        )}
        {needsApproval && mayAct && (
          <ActionButton
            label="Approve or reject"
            tone="primary"
            title={`Decide on return ${ret.returnId}`}
            description={`Its value, ${formatMinor(ret.valueMinor, ret.currency)}, is above the auto-approval limit.`}
            fields={[
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
            ]}
            confirmLabel="Send decision"
            onSubmit={(v) => post(`${path}/approve`, { decision: v.decision, reason: v.reason })}
            onDone={() => {
              announce(`Return ${ret.returnId}: decision recorded`);
              refresh();
            }}
          />
        )}
        {needsReceipt && mayAct && receivingWarehouse === undefined && <Loading what="where the parcel goes" />}
        {needsReceipt && mayAct && receivingWarehouse !== undefined && (
          <ActionButton
            label="Record receipt"
            tone="primary"
            title={`The parcel of ${ret.returnId} arrived`}
            fields={[
              { name: 'warehouseId', label: 'Received at warehouse', required: true, defaultValue: receivingWarehouse },
              {
                name: 'receivedAt',
                label: 'Received at',
                type: 'datetime-local',
                required: true,
                defaultValue: localNow(),
              },
            ]}
            confirmLabel="Record receipt"
            onSubmit={(v) =>
              post(`${path}/receive`, { warehouseId: v.warehouseId, receivedAt: new Date(v.receivedAt!).toISOString() })
            }
            onDone={() => {
              announce(`Return ${ret.returnId}: receipt recorded`);
              refresh();
            }}
          />
        )}
        {needsInspection && mayAct && (
          <InspectDialog
            ret={ret}
            onDone={() => {
              announce(`Return ${ret.returnId}: inspection recorded`);
              refresh();
            }}
          />
        )}
        {!pending && (
          <p className="muted">
            {ret.workflow
              ? 'Nothing waits for a person on this return.'
              : 'The run cannot be reached right now; actions appear when it answers.'}
          </p>
        )}
      </section>

      <section aria-labelledby="return-lines" className="card">
        <h2 id="return-lines">Lines</h2>
        <div className="table-wrap">
          <table data-testid="return-lines">
            <caption className="visually-hidden">Returned lines</caption>
            <thead>
              <tr>
                <th scope="col">Line</th>
                <th scope="col">SKU</th>
                <th scope="col">Lot</th>
                <th scope="col" className="num">
                  Quantity
                </th>
                <th scope="col">Reason</th>
              </tr>
            </thead>
            <tbody>
              {ret.lines.map((l, i) => (
                <tr key={i}>
                  <td>{i + 1}</td>
                  <td>{l.sku}</td>
                  <td>{l.lotId ?? '—'}</td>
                  <td className="num">{l.quantity}</td>
                  <td>{l.reasonCode}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <dl className="facts">
          <div>
            <dt>Tracking</dt>
            <dd>{ret.trackingNumber ?? '—'}</dd>
          </div>
          <div>
            <dt>Received</dt>
            <dd>
              <DateTime value={ret.receivedAt} empty="not yet" />
            </dd>
          </div>
          <div>
            <dt>Credit memo</dt>
            <dd data-testid="return-credit-memo">
              {ret.creditMemo
                ? `${ret.creditMemo.creditMemoNumber}: ${formatMinor(ret.creditMemo.totalMinor, ret.currency)} (${ret.creditMemo.status}${ret.creditMemo.refundMinor ? `, ${formatMinor(ret.creditMemo.refundMinor, ret.currency)} refunded` : ''})`
                : 'none yet'}
            </dd>
          </div>
        </dl>
      </section>

      <section aria-labelledby="return-steps" className="card">
        <h2 id="return-steps">Steps</h2>
        {!ret.workflow ? (
          <EmptyState title="The run's live state is not available right now." />
        ) : (
          <ol className="steps" data-testid="return-steps">
            {ret.workflow.steps.map((s) => (
              <li key={s.name} className={`step step-${s.status}`}>
                <span className="step-name">{s.name}</span> <StatusBadge status={s.status} />
                {s.finishedAt && (
                  <span className="muted">
                    {' '}
                    <DateTime value={s.finishedAt} />
                  </span>
                )}
                {s.lastError && <span className="problem-detail"> {s.lastError}</span>}
                {s.skippedReason && <span className="muted"> skipped: {s.skippedReason}</span>}
              </li>
            ))}
          </ol>
        )}
        {ret.workflow?.cancelReason && <p className="problem-detail">{ret.workflow.cancelReason}</p>}
      </section>
    </>
  );
}

function InspectDialog({ ret, onDone }: { ret: ReturnDetail; onDone: () => void }) {
  const initial = () => ret.lines.map((l) => ({ restock: String(l.quantity), scrap: '0' }));
  const [rows, setRows] = useState(initial);
  const set = (i: number, field: 'restock' | 'scrap', value: string) =>
    setRows((old) => old.map((r, k) => (k === i ? { ...r, [field]: value } : r)));
  const whole = (text: string) => (/^\d+$/.test(text.trim()) ? Number(text.trim()) : NaN);
  return (
    <FormDialog
      label="Record inspection"
      title={`Inspect return ${ret.returnId}`}
      confirmLabel="Record inspection"
      testId="inspect-return"
      description={
        <p>
          For each line: units back into stock, and units scrapped. Units neither restocked nor scrapped are refused (no
          credit).
        </p>
      }
      onOpen={() => setRows(initial())}
      validate={() => {
        for (const [i, r] of rows.entries()) {
          const restock = whole(r.restock);
          const scrap = whole(r.scrap);
          if (Number.isNaN(restock) || Number.isNaN(scrap))
            return `Line ${i + 1}: restock and scrap are whole numbers (0 or more)`;
          if (restock + scrap > ret.lines[i]!.quantity)
            return `Line ${i + 1}: restock ${restock} + scrap ${scrap} is more than the ${ret.lines[i]!.quantity} returned`;
        }
        return undefined;
      }}
      onSubmit={() =>
        post(`/returns/${encodeURIComponent(ret.returnId)}/inspect`, {
          lines: rows.map((r, i) => ({ lineNo: i + 1, restock: whole(r.restock), scrap: whole(r.scrap) })),
        })
      }
      onDone={onDone}
    >
      {(id) => (
        <table className="inspect-table">
          <caption className="visually-hidden">Inspection per line</caption>
          <thead>
            <tr>
              <th scope="col">Line</th>
              <th scope="col">Returned</th>
              <th scope="col">Restock</th>
              <th scope="col">Scrap</th>
            </tr>
          </thead>
          <tbody>
            {ret.lines.map((l, i) => (
              <tr key={i}>
                <th scope="row">
                  {i + 1}: {l.sku}
                </th>
                <td className="num">{l.quantity}</td>
                <td>
                  <input
                    id={`${id}-restock-${i}`}
                    aria-label={`Line ${i + 1} (${l.sku}): units restocked`}
                    inputMode="numeric"
                    size={6}
                    value={rows[i]?.restock ?? ''}
                    onChange={(e) => set(i, 'restock', e.target.value)}
                  />
                </td>
                <td>
                  <input
                    id={`${id}-scrap-${i}`}
                    aria-label={`Line ${i + 1} (${l.sku}): units scrapped`}
                    inputMode="numeric"
                    size={6}
                    value={rows[i]?.scrap ?? ''}
                    onChange={(e) => set(i, 'scrap', e.target.value)}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </FormDialog>
  );
}
