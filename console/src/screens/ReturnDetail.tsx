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
import { customerPath, orderPath } from '../links';
import { Loaded } from '../finance/Loaded';
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
  return (
    <Loaded query={ret} what="the return" heading={<h1>Return {returnId}</h1>}>
      {(data) => <ReturnView ret={data} />}
    </Loaded>
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
