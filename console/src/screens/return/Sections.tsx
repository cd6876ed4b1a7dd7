/** The return's lines with tracking, receipt and credit memo, and the steps of its run. */
import { ColumnHeads, numeric } from '../../components/ColumnHeads';
import { DateTime, StatusBadge } from '../../components/Format';
import { Fact } from '../../components/Fact';
import { EmptyState } from '../../components/States';
import { formatMinor } from '../../finance/money';
import type { ReturnDetail } from '../../finance/types';

export function LinesSection({ ret }: { ret: ReturnDetail }) {
  return (
    <section aria-labelledby="return-lines" className="card">
      <h2 id="return-lines">Lines</h2>
      <div className="table-wrap">
        <table data-testid="return-lines">
          <caption className="visually-hidden">Returned lines</caption>
          <ColumnHeads heads={['Line', 'SKU', 'Lot', numeric('Quantity'), 'Reason']} />
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
        <Fact term="Tracking">{ret.trackingNumber ?? '—'}</Fact>
        <Fact term="Received">
          <DateTime value={ret.receivedAt} empty="not yet" />
        </Fact>
        <Fact term="Credit memo" testId="return-credit-memo">
          {ret.creditMemo
            ? `${ret.creditMemo.creditMemoNumber}: ${formatMinor(ret.creditMemo.totalMinor, ret.currency)} (${ret.creditMemo.status}${ret.creditMemo.refundMinor ? `, ${formatMinor(ret.creditMemo.refundMinor, ret.currency)} refunded` : ''})`
            : 'none yet'}
        </Fact>
      </dl>
    </section>
  );
}

export function StepsSection({ ret }: { ret: ReturnDetail }) {
  return (
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
  );
}
