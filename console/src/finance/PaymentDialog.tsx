/**
 * Record a payment on an invoice. The amount is prefilled: the discounted amount while the
 * early-payment window is open (terms such as "2/10 NET30"), else the amount due; "other amount"
 * takes what the customer actually sent. What is typed is read into minor units digit by digit.
 */
import { useState } from 'react';
import { post } from '../api';
import { FormDialog } from './FormDialog';
import { formatMinor, minorToDecimalString, parseMoneyInput } from './money';
import { todayUtc, type InvoiceSummary } from './types';

type Choice = 'discounted' | 'full' | 'other';

export interface PaymentResult {
  invoiceId: string;
  status: string;
  paidMinor: number;
  discountTakenMinor: number;
  balanceMinor: number;
  duplicate?: boolean;
}

export function PaymentDialog({
  invoice,
  onDone,
}: {
  invoice: InvoiceSummary;
  onDone: (result: PaymentResult) => void;
}) {
  const form = usePaymentForm(invoice);
  const { parsed, receivedDate, reference } = form;
  return (
    <FormDialog
      label="Record payment"
      title={`Record a payment on ${invoice.invoiceNumber ?? invoice.invoiceId}`}
      description={<AmountDue invoice={invoice} />}
      confirmLabel="Record payment"
      onOpen={form.reset}
      testId="record-payment"
      validate={() => {
        if (!parsed.ok) return `Amount: ${parsed.message}`;
        if (!reference.trim())
          return 'Reference: required (the remittance or wire reference; a repeat of it is recognised, not counted twice)';
        if (!/^\d{4}-\d{2}-\d{2}$/.test(receivedDate)) return 'Received on: pick a date';
        return undefined;
      }}
      onSubmit={() =>
        post<PaymentResult>(`/invoices/${encodeURIComponent(invoice.invoiceId)}/payments`, {
          amountMinor: parsed.ok ? parsed.amountMinor : 0,
          receivedDate,
          reference: reference.trim(),
        })
      }
      onDone={(r) => onDone(r as PaymentResult)}
    >
      {(id) => (
        <>
          <AmountFields id={id} invoice={invoice} form={form} />
          <DateAndReference id={id} invoice={invoice} form={form} />
        </>
      )}
    </FormDialog>
  );
}

/** Whether the early-payment window is open (the API sends the discounted amount only then). */
const hasDiscountOf = (invoice: InvoiceSummary) =>
  invoice.amountDueWithDiscountMinor !== undefined && invoice.discountDeadline !== undefined;

/** The form's state: which amount is picked, what is typed, and what it reads as. */
function usePaymentForm(invoice: InvoiceSummary) {
  const hasDiscount = hasDiscountOf(invoice);
  const initial: Choice = hasDiscount ? 'discounted' : 'full';
  const amountOf = (choice: Choice, typed: string) =>
    choice === 'discounted'
      ? minorToDecimalString(invoice.amountDueWithDiscountMinor!, invoice.currency)
      : choice === 'full'
        ? minorToDecimalString(invoice.amountDueMinor, invoice.currency)
        : typed;

  const [choice, setChoice] = useState<Choice>(initial);
  const [amount, setAmount] = useState('');
  const [receivedDate, setReceivedDate] = useState(todayUtc());
  const [reference, setReference] = useState('');

  const reset = () => {
    setChoice(initial);
    setAmount(amountOf(initial, ''));
    setReceivedDate(todayUtc());
    setReference('');
  };
  const pick = (next: Choice) => {
    setChoice(next);
    setAmount(amountOf(next, amount));
  };
  /** Typing an amount makes it "other amount". */
  const type = (typed: string) => {
    setAmount(typed);
    if (choice !== 'other') setChoice('other');
  };
  const parsed = parseMoneyInput(amount, invoice.currency);
  const lateForDiscount = choice === 'discounted' && hasDiscount && receivedDate > invoice.discountDeadline!;
  return {
    hasDiscount,
    choice,
    amount,
    receivedDate,
    reference,
    parsed,
    lateForDiscount,
    reset,
    pick,
    type,
    setReceivedDate,
    setReference,
  };
}

type PaymentForm = ReturnType<typeof usePaymentForm>;

function AmountDue({ invoice }: { invoice: InvoiceSummary }) {
  const hasDiscount = hasDiscountOf(invoice);
  return (
    <p>
      Amount due {formatMinor(invoice.amountDueMinor, invoice.currency)}
      {hasDiscount && (
        <>
          ; {formatMinor(invoice.amountDueWithDiscountMinor!, invoice.currency)} settles it with the early-payment
          discount if received by {invoice.discountDeadline}
        </>
      )}
      .
    </p>
  );
}

function AmountFields({ id, invoice, form }: { id: string; invoice: InvoiceSummary; form: PaymentForm }) {
  const { hasDiscount, choice, amount, parsed, pick } = form;
  return (
    <>
      <fieldset className="field">
        <legend>Amount</legend>
        {hasDiscount && (
          <label className="radio">
            <input
              type="radio"
              name={`${id}-choice`}
              checked={choice === 'discounted'}
              onChange={() => pick('discounted')}
            />
            Discounted: {formatMinor(invoice.amountDueWithDiscountMinor!, invoice.currency)} (received by{' '}
            {invoice.discountDeadline})
          </label>
        )}
        <label className="radio">
          <input type="radio" name={`${id}-choice`} checked={choice === 'full'} onChange={() => pick('full')} />
          Amount due: {formatMinor(invoice.amountDueMinor, invoice.currency)}
        </label>
        <label className="radio">
          <input type="radio" name={`${id}-choice`} checked={choice === 'other'} onChange={() => pick('other')} />
          Other amount
        </label>
      </fieldset>
      <div className="field">
        <label htmlFor={`${id}-amount`}>Amount received ({invoice.currency})</label>
        <input
          id={`${id}-amount`}
          name="amount"
          inputMode="decimal"
          autoComplete="off"
          value={amount}
          aria-describedby={`${id}-amount-hint`}
          onChange={(e) => form.type(e.target.value)}
        />
        <small id={`${id}-amount-hint`} className="hint">
          {parsed.ok
            ? `= ${formatMinor(parsed.amountMinor, invoice.currency)}`
            : amount
              ? parsed.message
              : 'For example 1,234.56'}
        </small>
      </div>
    </>
  );
}

function DateAndReference({ id, invoice, form }: { id: string; invoice: InvoiceSummary; form: PaymentForm }) {
  const { receivedDate, reference, lateForDiscount } = form;
  return (
    <>
      <div className="field">
        <label htmlFor={`${id}-date`}>Received on</label>
        <input
          id={`${id}-date`}
          name="receivedDate"
          type="date"
          value={receivedDate}
          onChange={(e) => form.setReceivedDate(e.target.value)}
          required
          aria-describedby={lateForDiscount ? `${id}-late` : undefined}
        />
        {lateForDiscount && (
          <small id={`${id}-late`} className="hint warn">
            After {invoice.discountDeadline}: the discount no longer applies and the invoice stays partly open.
          </small>
        )}
      </div>
      <div className="field">
        <label htmlFor={`${id}-reference`}>Reference</label>
        <input
          id={`${id}-reference`}
          name="reference"
          value={reference}
          onChange={(e) => form.setReference(e.target.value)}
          required
          maxLength={100}
          placeholder="e.g. WIRE-2026-1128"
        />
      </div>
    </>
  );
}
