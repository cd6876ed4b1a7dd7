/** The payments received on the invoice. */
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
            <thead>
              <tr>
                <th scope="col">Reference</th>
                <th scope="col">Received</th>
                <th scope="col" className="num">
                  Amount
                </th>
                <th scope="col" className="num">
                  Discount applied
                </th>
              </tr>
            </thead>
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
