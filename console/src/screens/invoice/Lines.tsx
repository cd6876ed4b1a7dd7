/** The invoice's lines with freight, accessorial charges, deductions and tax, and its totals. */
import { ColumnHeads, numeric } from '../../components/ColumnHeads';
import { EmptyState } from '../../components/States';
import { formatMinor } from '../../finance/money';
import type { ComputedInvoiceLines, InvoiceDetail } from '../../finance/types';

function isComputed(lines: unknown): lines is ComputedInvoiceLines {
  return typeof lines === 'object' && lines !== null && Array.isArray((lines as ComputedInvoiceLines).lines);
}

export function LinesSection({ invoice }: { invoice: InvoiceDetail }) {
  const money = (minor: number) => formatMinor(minor, invoice.currency);
  const c = invoice.lines;
  return (
    <section aria-labelledby="lines-heading" className="card">
      <h2 id="lines-heading">Lines</h2>
      {!isComputed(c) ? (
        <EmptyState title="No lines yet.">The invoice is drafted from its shipments.</EmptyState>
      ) : (
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">
              Invoice lines, freight, accessorial charges, deductions and tax
            </caption>
            <ColumnHeads
              heads={[
                'SKU',
                'Description',
                numeric('Quantity'),
                numeric('Unit price'),
                numeric('Amount'),
                numeric('Tax'),
              ]}
            />
            <LineRows lines={c} money={money} />
            <Totals lines={c} money={money} />
          </table>
        </div>
      )}
    </section>
  );
}

type Money = (minor: number) => string;

/** Goods lines, then freight, accessorial charges and deductions, in the order the invoice prints them. */
function LineRows({ lines: c, money }: { lines: ComputedInvoiceLines; money: Money }) {
  return (
    <tbody>
      {c.lines.map((l) => (
        <tr key={l.ref}>
          <td>{l.sku}</td>
          <td>{l.description}</td>
          <td className="num">{l.quantity}</td>
          <td className="num">{money(l.unitPriceMinor)}</td>
          <td className="num">{money(l.amountMinor)}</td>
          <td className="num">{money(l.taxMinor)}</td>
        </tr>
      ))}
      {c.freightMinor !== 0 && (
        <tr>
          <td colSpan={2}>Freight</td>
          <td />
          <td />
          <td className="num">{money(c.freightMinor)}</td>
          <td className="num">{money(c.freightTaxMinor)}</td>
        </tr>
      )}
      {c.accessorials.map((a) => (
        <tr key={`acc-${a.code}`}>
          <td>{a.code}</td>
          <td>{a.description}</td>
          <td className="num">{a.quantity}</td>
          <td />
          <td className="num">{money(a.amountMinor)}</td>
          <td className="num">{money(a.taxMinor)}</td>
        </tr>
      ))}
      {c.deductions.map((d, i) => (
        <tr key={`ded-${i}`} className="row-deduction">
          <td>Deduction</td>
          <td>
            {d.reason} (line {d.lineRef}, {(d.penaltyBp / 100).toFixed(2)}%)
          </td>
          <td />
          <td />
          <td className="num">{money(d.amountMinor)}</td>
          <td />
        </tr>
      ))}
    </tbody>
  );
}

function Totals({ lines: c, money }: { lines: ComputedInvoiceLines; money: Money }) {
  return (
    <tfoot>
      <tr>
        <th scope="row" colSpan={4}>
          Subtotal
        </th>
        <td className="num">{money(c.subtotalMinor)}</td>
        <td />
      </tr>
      <tr>
        <th scope="row" colSpan={4}>
          Tax
        </th>
        <td />
        <td className="num">{money(c.taxMinor)}</td>
      </tr>
      <tr>
        <th scope="row" colSpan={4}>
          Total
        </th>
        <td className="num">
          <strong>{money(c.totalMinor)}</strong>
        </td>
        <td />
      </tr>
    </tfoot>
  );
}
