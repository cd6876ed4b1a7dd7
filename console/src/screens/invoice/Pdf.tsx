/** The invoice PDF exactly as e-mailed, shown inline with a download link. */
import { ErrorState, EmptyState, Loading } from '../../components/States';
import { useBlobUrl } from '../../finance/documents';
import type { InvoiceDetail } from '../../finance/types';

export function PdfSection({ invoice }: { invoice: InvoiceDetail }) {
  // Drafts have no PDF yet; once issued the document does not change, so it is fetched once.
  const hasPdf = invoice.status !== 'draft';
  const pdf = useBlobUrl(hasPdf ? `/invoices/${encodeURIComponent(invoice.invoiceId)}/pdf` : null);
  const name = invoice.invoiceNumber ?? invoice.invoiceId;
  return (
    <section aria-labelledby="pdf-heading" className="card">
      <h2 id="pdf-heading">PDF</h2>
      {!hasPdf ? (
        <EmptyState title="No PDF yet: the invoice is still a draft." />
      ) : pdf.status === 'loading' ? (
        <Loading what="the PDF" />
      ) : pdf.status === 'error' ? (
        <ErrorState error={pdf.error} what="the PDF" />
      ) : (
        <>
          <iframe className="pdf-frame" src={pdf.url} title={`Invoice ${name} PDF`} data-testid="invoice-pdf" />
          <p>
            <a href={pdf.url} download={`${name}.pdf`}>
              Download {name}.pdf
            </a>{' '}
            ({Math.round(pdf.size / 1024)} kB)
          </p>
        </>
      )}
    </section>
  );
}
