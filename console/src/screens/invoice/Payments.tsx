/** The payments received on the invoice. */
import { ColumnHeads, numeric } from '../../components/ColumnHeads';
import { DateTime } from '../../components/Format';
import { EmptyState } from '../../components/States';
import { formatMinor } from '../../finance/money';
import type { InvoiceDetail } from '../../finance/types';

export function PaymentsSection({ invoice }: { invoice: InvoiceDetail }) {
  return (
    <section aria-labelledby="payments-heading" className="card">
      <h2 id="payments-heading">Payments</h2>
      {invoice.payments.length === 0 ? (
        <EmptyState title="No payment received yet." />
      ) : (
        <div className="table-wrap">
          <table data-testid="invoice-payments">
            <caption className="visually-hidden">Payments received</caption>
            <ColumnHeads heads={['Reference', 'Received', numeric('Amount'), numeric('Discount applied')]} />
            <tbody>
              {invoice.payments.map((p) => (
                <tr key={p.reference}>
                  <td>{p.reference}</td>
                  <td>
                    <DateTime value={p.receivedDate} />
                  </td>
                  <td className="num">{formatMinor(p.amountMinor, invoice.currency)}</td>
                  <td className="num">{formatMinor(p.discountAppliedMinor, invoice.currency)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
