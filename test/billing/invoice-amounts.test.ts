import { useHarness } from '../support/harness';
import { createFixture } from '../../fixtures/master-data';
import { PRICES, shippedOrder, startInvoice } from '../../fixtures/billing';
import { applyBp } from '../../domain/billing/rounding';
import { getInvoice } from '../../workflows/billing/messages';
import type { ComputedInvoice } from '../../domain/billing/invoice-calc';
import { DEMO_SELLER } from '../../lib/config';
import { formatMoney } from '../../domain/money';
import { expectInReadingOrder, overlappingItems, readingOrder, readPdf } from '../support/read-pdf';

const h = useHarness();

/** Ship-to of examples/closed-won.json: Columbus, OH (575 bp in the migration's tax table). */
const OHIO_BP = 575;
const HAZMAT_USD = 4_500;

const sentInvoice = async (invoiceId: string) => {
  await h.waitForState(invoiceId, (s) => s.status === 'sent');
  return h.db.invoice.findUniqueOrThrow({ where: { id: invoiceId } });
};

describe('invoice amounts', () => {
  it.each([
    ['prepaid', 0],
    ['collect', 0],
    ['prepaid_and_add', 12_000 + 1_200],
  ] as const)(
    'bills freight under %s terms as %i (carrier cost 120.00, markup 10%%)',
    async (freightTerms, expectedFreight) => {
      const f = await createFixture(h.db);
      await h.db.customer.update({ where: { id: f.customerId }, data: { freightMarkupBp: 1_000 } });
      const order = await shippedOrder(
        h,
        f,
        [{ lines: [{ lineNo: 1, sku: 'valve', quantity: 10 }], freightCostMinor: 12_000 }],
        { freightTerms },
      );
      const handle = await startInvoice(h, order);
      const row = await sentInvoice(handle.workflowId);
      const computed = row.lines as unknown as ComputedInvoice;
      expect(computed.freightMinor).toBe(expectedFreight);
      expect(computed.freightTaxMinor).toBe(applyBp(expectedFreight, OHIO_BP));
      expect(Number(row.totalMinor)).toBe(
        10 * PRICES.valve + expectedFreight + applyBp(10 * PRICES.valve, OHIO_BP) + applyBp(expectedFreight, OHIO_BP),
      );
    },
  );

  it('adds hazmat handling for a shipment with hazardous goods and taxes each line by the ship-to state; the PDF goes to the billing contact', async () => {
    const f = await createFixture(h.db);
    const order = await shippedOrder(
      h,
      f,
      [
        {
          lines: [
            { lineNo: 1, sku: 'valve', quantity: 10 },
            { lineNo: 3, sku: 'solvent', quantity: 2 },
          ],
          freightCostMinor: 0,
        },
      ],
      { freightTerms: 'prepaid' },
    );
    const handle = await startInvoice(h, order);
    const row = await sentInvoice(handle.workflowId);
    const computed = row.lines as unknown as ComputedInvoice;
    expect(computed.accessorials).toEqual([
      {
        code: 'HAZMAT',
        description: 'Hazardous goods handling',
        quantity: 1,
        amountMinor: HAZMAT_USD,
        taxMinor: applyBp(HAZMAT_USD, OHIO_BP),
      },
    ]);
    expect(computed.lines.map((l) => [l.ref, l.quantity, l.amountMinor, l.taxMinor])).toEqual([
      ['1', 10, 21_500, applyBp(21_500, OHIO_BP)],
      ['3', 2, 18_400, applyBp(18_400, OHIO_BP)],
    ]);
    expect(row.taxRateBp).toBe(OHIO_BP);
    expect(Number(row.subtotalMinor)).toBe(21_500 + 18_400 + HAZMAT_USD);
    expect(Number(row.taxMinor)).toBe(
      applyBp(21_500, OHIO_BP) + applyBp(18_400, OHIO_BP) + applyBp(HAZMAT_USD, OHIO_BP),
    );
    expect(row.invoiceNumber).toMatch(/^INV-\d{7}$/);

    const [mail] = await h.mail.waitFor((m) => m.subject?.startsWith(`Invoice ${row.invoiceNumber} `) ?? false);
    expect(mail!.to).toEqual([order.event.customer.billingContact.email]);
    expect(mail!.attachments).toEqual([
      expect.objectContaining({ filename: `${row.invoiceNumber}.pdf`, contentType: 'application/pdf' }),
    ]);
    expect(mail!.attachments[0]!.size).toBeGreaterThan(1_000);
    expect(Buffer.from(row.pdf!).subarray(0, 5).toString()).toBe('%PDF-');
    expect(await h.db.outboundEmail.count({ where: { template: 'invoice', orderId: order.orderId } })).toBe(1);

    // The PDF as e-mailed, read back: bill-to is the customer's billing address, not the ship-to.
    const pdf = readPdf(mail!.attachments[0]!.content);
    expectInReadingOrder(readingOrder(pdf), [
      DEMO_SELLER.legalName,
      `Tax ID: ${DEMO_SELLER.taxId}`,
      row.invoiceNumber!,
      'PO number',
      order.event.poNumber,
      'Shipment',
      row.shipmentIds[0]!,
      'Ship date',
      'Tracking',
      'Bill to',
      `Test Customer ${f.tag} - Accounts Payable`,
      '200 East Broad Street',
      'Ship to',
      order.event.shipTo.line1,
      'Hazardous goods handling (HAZMAT) x 1',
      'Sales tax 5.75%',
      'Total due',
      'Remit to / payment instructions',
      `Payment reference: ${row.invoiceNumber}`,
      'Page 1 of 1',
    ]);
    expect(pdf.pages.flatMap(overlappingItems)).toEqual([]);
  });

  it('e-mails the invoice as HTML with a text part, escaping what the customer wrote', async () => {
    const f = await createFixture(h.db);
    const base = f.event();
    const contact = { name: "Dana <b>O'Neil</b> & Co", email: base.customer.billingContact.email };
    const order = await shippedOrder(
      h,
      f,
      [{ lines: [{ lineNo: 1, sku: 'valve', quantity: 10 }], freightCostMinor: 0 }],
      {
        freightTerms: 'prepaid',
        poNumber: 'PO-<script>1</script>',
        customer: { ...base.customer, billingContact: contact },
      },
    );
    const row = await sentInvoice((await startInvoice(h, order)).workflowId);
    const [mail] = await h.mail.waitFor((m) => m.subject?.startsWith(`Invoice ${row.invoiceNumber} `) ?? false);
    expect(mail!.text).toContain(`Dear ${contact.name},`);
    expect(mail!.html).toContain('Dear Dana &lt;b&gt;O&#39;Neil&lt;/b&gt; &amp; Co,');
    expect(mail!.html).toContain('PO PO-&lt;script&gt;1&lt;/script&gt;');
    expect(mail!.html).not.toMatch(/<script|<b>/);
    expect(mail!.html).toContain(
      `<th align="left" style="padding: 2px 16px 2px 0;">Amount due</th><td>${formatMoney(Number(row.totalMinor), 'USD')}</td>`,
    );
  });

  it('charges no tax to a tax-exempt customer', async () => {
    const f = await createFixture(h.db);
    await h.db.customer.update({ where: { id: f.customerId }, data: { isTaxExempt: true } });
    const order = await shippedOrder(
      h,
      f,
      [{ lines: [{ lineNo: 3, sku: 'solvent', quantity: 2 }], freightCostMinor: 5_000 }],
      { freightTerms: 'prepaid_and_add' },
    );
    const row = await sentInvoice((await startInvoice(h, order)).workflowId);
    expect(row.isTaxExempt).toBe(true);
    expect(Number(row.taxMinor)).toBe(0);
    expect(Number(row.totalMinor)).toBe(18_400 + 5_000 + HAZMAT_USD);
  });

  it('deducts the SLA profile OTIF penalty (2%) from lines that missed on-time-in-full, untaxed', async () => {
    const f = await createFixture(h.db);
    const order = await shippedOrder(
      h,
      f,
      [
        {
          lines: [
            { lineNo: 1, sku: 'valve', quantity: 100 },
            { lineNo: 2, sku: 'gasket', quantity: 100 },
          ],
          freightCostMinor: 0,
          missedOtif: [{ lineNo: 1, isOnTime: false, isInFull: true }],
        },
      ],
      { freightTerms: 'prepaid' },
    );
    const handle = await startInvoice(h, order);
    const row = await sentInvoice(handle.workflowId);
    const computed = row.lines as unknown as ComputedInvoice;
    expect(computed.deductions).toEqual([
      expect.objectContaining({ lineRef: '1', penaltyBp: 200, amountMinor: -applyBp(215_000, 200) }),
    ]);
    expect(computed.deductions[0]!.reason).toMatch(/^OTIF: late/);
    expect(Number(row.subtotalMinor)).toBe(215_000 + 8_500 - 4_300);
    expect(Number(row.taxMinor)).toBe(applyBp(215_000, OHIO_BP) + applyBp(8_500, OHIO_BP));
    const account = await handle.query(getInvoice);
    expect(account).toMatchObject({
      status: 'sent',
      totalMinor: Number(row.totalMinor),
      balanceMinor: Number(row.totalMinor),
      invoiceNumber: row.invoiceNumber,
    });
  });
});
