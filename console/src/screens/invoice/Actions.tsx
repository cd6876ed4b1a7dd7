/**
 * What a finance key may do to the invoice now: record a payment while something is due, void it
 * while nothing was paid on it, write off its open balance. A key that may not pay reads why.
 */
import { useQueryClient } from '@tanstack/react-query';
import { post } from '../../api';
import { notAllowedReason, useCan, useMe } from '../../auth';
import { ActionButton, reasonField } from '../../components/ActionButton';
import { useAnnounce } from '../../components/Announcer';
import { formatMinor } from '../../finance/money';
import { PaymentDialog } from '../../finance/PaymentDialog';
import { PAYABLE_STATUSES, type InvoiceDetail } from '../../finance/types';

const VOIDABLE = ['issued', 'sent', 'overdue'];

export function InvoiceActions({ invoice }: { invoice: InvoiceDetail }) {
  const can = useCan();
  const me = useMe();
  const client = useQueryClient();
  const announce = useAnnounce();
  const path = `/invoices/${encodeURIComponent(invoice.invoiceId)}`;
  const name = invoice.invoiceNumber ?? invoice.invoiceId;
  const done = (message: string) => {
    announce(message);
    void client.invalidateQueries({ queryKey: ['invoice', invoice.invoiceId] });
  };
  const isPayable = PAYABLE_STATUSES.includes(invoice.status) && invoice.amountDueMinor > 0;
  return (
    <section aria-labelledby="actions-heading" className="actions">
      <h2 id="actions-heading" className="visually-hidden">
        Actions
      </h2>
      {isPayable &&
        (can('POST /v1/invoices/:invoiceId/payments') ? (
          <PaymentDialog
            invoice={invoice}
            onDone={(r) =>
              done(
                r.duplicate
                  ? `Payment already recorded: invoice ${name} is ${r.status}`
                  : `Payment recorded: invoice ${name} is ${r.status.replace(/_/g, ' ')}`,
              )
            }
          />
        ) : (
          <span className="disabled-reason">{notAllowedReason(me, 'record payments')}</span>
        ))}
      {VOIDABLE.includes(invoice.status) && invoice.paidMinor === 0 && can('POST /v1/invoices/:invoiceId/void') && (
        <ActionButton
          label="Void"
          tone="danger"
          title={`Void invoice ${name}`}
          description="Cancels the invoice: nothing is owed on it any more. Only an invoice nothing was paid on can be voided."
          fields={[reasonField(true)]}
          confirmLabel="Void invoice"
          onSubmit={(v) => post(`${path}/void`, { reason: v.reason })}
          onDone={() => done(`Invoice ${name} voided`)}
        />
      )}
      {PAYABLE_STATUSES.includes(invoice.status) &&
        invoice.balanceMinor > 0 &&
        can('POST /v1/invoices/:invoiceId/write-off') && (
          <ActionButton
            label="Write off"
            tone="danger"
            title={`Write off ${formatMinor(invoice.balanceMinor, invoice.currency)} on ${name}`}
            description="Closes the open balance as uncollectable. Payments already received stay."
            fields={[reasonField(true)]}
            confirmLabel="Write off"
            onSubmit={(v) => post(`${path}/write-off`, { reason: v.reason })}
            onDone={() => done(`Invoice ${name} written off`)}
          />
        )}
    </section>
  );
}
