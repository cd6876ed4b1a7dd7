/**
 * One invoice (finance): its figures and what is due today (with the early-payment discount while
 * its window is open), lines with freight, accessorials, deductions and tax, the timeline (issued,
 * e-mailed, reminders, payments), the PDF exactly as e-mailed shown inline, payments and credit memos.
 * Finance keys record payments, void and write off; the API's refusal is shown verbatim. The sections
 * live in ./invoice/.
 */
import '../finance/finance.css';
import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { api } from '../api';
import { useCan } from '../auth';
import { StatusBadge } from '../components/Format';
import { customerPath, orderPath } from '../links';
import { Loaded } from '../finance/Loaded';
import type { InvoiceDetail } from '../finance/types';
import { InvoiceActions } from './invoice/Actions';
import { CreditMemosSection } from './invoice/CreditMemos';
import { Figures } from './invoice/Figures';
import { LinesSection } from './invoice/Lines';
import { PaymentsSection } from './invoice/Payments';
import { PdfSection } from './invoice/Pdf';
import { TimelineSection } from './invoice/Timeline';

export function InvoiceDetailScreen() {
  const { invoiceId = '' } = useParams();
  const path = `/invoices/${encodeURIComponent(invoiceId)}`;
  const invoice = useQuery({
    queryKey: ['invoice', invoiceId],
    queryFn: ({ signal }) => api<InvoiceDetail>(path, { signal }),
  });

  return (
    <Loaded query={invoice} what="the invoice" heading={<h1>Invoice {invoiceId}</h1>}>
      {(data) => <InvoiceView invoice={data} />}
    </Loaded>
  );
}

function InvoiceView({ invoice }: { invoice: InvoiceDetail }) {
  const can = useCan();
  return (
    <>
      <InvoiceHead invoice={invoice} />
      <InvoiceActions invoice={invoice} />
      <Figures invoice={invoice} />
      <LinesSection invoice={invoice} />
      <TimelineSection invoice={invoice} />
      <PaymentsSection invoice={invoice} />
      {can('GET /v1/credit-memos') && <CreditMemosSection invoice={invoice} />}
      <PdfSection invoice={invoice} />
    </>
  );
}

function InvoiceHead({ invoice }: { invoice: InvoiceDetail }) {
  const name = invoice.invoiceNumber ?? invoice.invoiceId;
  return (
    <div className="page-head">
      <h1>
        Invoice {name} <StatusBadge status={invoice.status} />
        {invoice.isEscalated && (
          <>
            {' '}
            <span className="badge badge-bad">escalated</span>
          </>
        )}
      </h1>
      <p className="muted">
        <Link to={customerPath(invoice.customerId)}>{invoice.customerId}</Link>
        {' · '}
        {invoice.orderIds.length === 1 ? (
          <>
            order <Link to={orderPath(invoice.orderId)}>{invoice.orderId}</Link>
          </>
        ) : (
          <>
            {invoice.orderIds.length} orders{invoice.billingPeriod ? ` (period ${invoice.billingPeriod})` : ''}
          </>
        )}
        {' · '}terms {invoice.paymentTerms}
      </p>
    </div>
  );
}
