/** The invoice's dates and amounts, with what is due today and the early-payment discount while open. */
import { DateTime } from '../../components/Format';
import { Fact } from '../../components/Fact';
import { formatMinor } from '../../finance/money';
import { overdueOf, type InvoiceDetail } from '../../finance/types';

export function Figures({ invoice }: { invoice: InvoiceDetail }) {
  const { overdue, daysOverdue } = overdueOf(invoice);
  const money = (minor: number) => formatMinor(minor, invoice.currency);
  return (
    <section aria-labelledby="figures-heading" className="card">
      <h2 id="figures-heading">Figures</h2>
      <dl className="facts">
        <Fact term="Issued">
          <DateTime value={invoice.issueDate} empty="not yet" />
        </Fact>
        <Fact term="Due">
          <DateTime value={invoice.dueDate} />
          {overdue && <span className="overdue-flag"> overdue{daysOverdue > 0 ? ` ${daysOverdue} days` : ''}</span>}
        </Fact>
        <Fact term="E-mailed">
          <DateTime value={invoice.sentAt} empty="not yet" />
        </Fact>
        <Fact term="Posted to ERP">
          <DateTime value={invoice.erpPostedAt} empty="not yet" />
        </Fact>
        <Fact term="Total" className="num">
          {money(invoice.totalMinor)}
        </Fact>
        <Fact term="Paid" className="num">
          {money(invoice.paidMinor)}
        </Fact>
        <Fact term="Discount taken" className="num">
          {money(invoice.discountTakenMinor)}
        </Fact>
        <Fact term="Credited" className="num">
          {money(invoice.creditedMinor)}
        </Fact>
        <Fact term="Balance" className="num" testId="invoice-balance">
          {money(invoice.balanceMinor)}
        </Fact>
        <Fact term="Amount due today" className="num" testId="invoice-amount-due">
          {money(invoice.amountDueMinor)}
        </Fact>
        {invoice.amountDueWithDiscountMinor !== undefined && (
          <Fact term="With early-payment discount" className="num">
            {money(invoice.amountDueWithDiscountMinor)} if received by <DateTime value={invoice.discountDeadline} />
          </Fact>
        )}
      </dl>
    </section>
  );
}
