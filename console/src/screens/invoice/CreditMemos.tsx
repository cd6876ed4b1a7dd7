/** Credit memos from returns of the invoice's orders, with what each applied to this invoice. */
import { ColumnHeads, numeric } from '../../components/ColumnHeads';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api, type Page } from '../../api';
import { StatusBadge } from '../../components/Format';
import { EmptyState, ErrorState, Loading } from '../../components/States';
import { formatMinor } from '../../finance/money';
import type { CreditMemo, InvoiceDetail } from '../../finance/types';
import { returnPath } from '../../links';

interface Application {
  invoiceId: string;
  invoiceNumber?: string;
  appliedMinor: number;
  balanceAfterMinor?: number;
}

export function CreditMemosSection({ invoice }: { invoice: InvoiceDetail }) {
  const orderIds = invoice.orderIds.slice(0, 20);
  const memos = useQuery({
    queryKey: ['credit-memos', 'orders', orderIds],
    queryFn: async ({ signal }) =>
      (
        await Promise.all(
          orderIds.map((orderId) => api<Page<CreditMemo>>('/credit-memos', { query: { orderId }, signal })),
        )
      ).flatMap((p) => p.items),
  });
  const appliedHere = (m: CreditMemo) =>
    (Array.isArray(m.applications) ? (m.applications as Application[]) : [])
      .filter((a) => a.invoiceId === invoice.invoiceId)
      .reduce((s, a) => s + a.appliedMinor, 0);
  return (
    <section aria-labelledby="memos-heading" className="card">
      <h2 id="memos-heading">Credit memos</h2>
      {memos.isPending ? (
        <Loading what="credit memos" />
      ) : memos.isError ? (
        <ErrorState error={memos.error} what="credit memos" onRetry={() => void memos.refetch()} />
      ) : memos.data.length === 0 ? (
        <EmptyState title="No credit memo for this invoice's orders." />
      ) : (
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">Credit memos from returns of this invoice's orders</caption>
            <ColumnHeads
              heads={[
                'Memo',
                'Return',
                'Status',
                numeric('Total'),
                numeric('Applied to this invoice'),
                numeric('Refunded'),
              ]}
            />
            <tbody>
              {memos.data.map((m) => (
                <tr key={m.creditMemoNumber}>
                  <td>{m.creditMemoNumber}</td>
                  <td>
                    <Link to={returnPath(m.returnId)}>{m.returnId}</Link>
                  </td>
                  <td>
                    <StatusBadge status={m.status} />
                  </td>
                  <td className="num">{formatMinor(m.totalMinor, m.currency)}</td>
                  <td className="num">{formatMinor(appliedHere(m), m.currency)}</td>
                  <td className="num">{formatMinor(m.refundMinor, m.currency)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
