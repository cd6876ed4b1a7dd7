/**
 * One return: its lines, the credit memo and the steps of its run. Ops act on it at the step that
 * waits for them: approve or reject (with a reason), record the parcel's receipt, and inspect each
 * line (units restocked, units scrapped). The API's refusal is shown verbatim. The pieces live in
 * ./return/.
 */
import '../finance/finance.css';
import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { api } from '../api';
import { DateTime, StatusBadge } from '../components/Format';
import { ErrorState, Loading } from '../components/States';
import { customerPath, orderPath } from '../links';
import { RefreshFailed } from '../finance/RefreshFailed';
import { formatMinor } from '../finance/money';
import type { ReturnDetail } from '../finance/types';
import { ReturnActions } from './return/Actions';
import { LinesSection, StepsSection } from './return/Sections';

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

function ReturnView({ ret }: { ret: ReturnDetail }) {
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

      <ReturnActions ret={ret} />
      <LinesSection ret={ret} />
      <StepsSection ret={ret} />
    </>
  );
}
