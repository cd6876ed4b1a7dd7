/** The inspection form of a return: per line, the units back into stock and the units scrapped. */
import { ColumnHeads } from '../../components/ColumnHeads';
import { useState } from 'react';
import { post } from '../../api';
import { FormDialog } from '../../finance/FormDialog';
import type { ReturnDetail } from '../../finance/types';

interface InspectionRow {
  restock: string;
  scrap: string;
}

/** A whole number of units, or NaN for anything else typed. */
const whole = (text: string) => (/^\d+$/.test(text.trim()) ? Number(text.trim()) : NaN);

/** What is wrong with the typed rows, naming the line, or `undefined` when they can be sent. */
function checkRows(ret: ReturnDetail, rows: InspectionRow[]): string | undefined {
  for (const [i, r] of rows.entries()) {
    const restock = whole(r.restock);
    const scrap = whole(r.scrap);
    if (Number.isNaN(restock) || Number.isNaN(scrap))
      return `Line ${i + 1}: restock and scrap are whole numbers (0 or more)`;
    if (restock + scrap > ret.lines[i]!.quantity)
      return `Line ${i + 1}: restock ${restock} + scrap ${scrap} is more than the ${ret.lines[i]!.quantity} returned`;
  }
  return undefined;
}

export function InspectDialog({ ret, onDone }: { ret: ReturnDetail; onDone: () => void }) {
  const initial = () => ret.lines.map((l) => ({ restock: String(l.quantity), scrap: '0' }));
  const [rows, setRows] = useState<InspectionRow[]>(initial);
  const set = (i: number, field: keyof InspectionRow, value: string) =>
    setRows((old) => old.map((r, k) => (k === i ? { ...r, [field]: value } : r)));
  return (
    <FormDialog
      label="Record inspection"
      title={`Inspect return ${ret.returnId}`}
      confirmLabel="Record inspection"
      testId="inspect-return"
      description={
        <p>
          For each line: units back into stock, and units scrapped. Units neither restocked nor scrapped are refused (no
          credit).
        </p>
      }
      onOpen={() => setRows(initial())}
      validate={() => checkRows(ret, rows)}
      onSubmit={() =>
        post(`/returns/${encodeURIComponent(ret.returnId)}/inspect`, {
          lines: rows.map((r, i) => ({ lineNo: i + 1, restock: whole(r.restock), scrap: whole(r.scrap) })),
        })
      }
      onDone={onDone}
    >
      {(id) => <InspectTable id={id} ret={ret} rows={rows} set={set} />}
    </FormDialog>
  );
}

function InspectTable({
  id,
  ret,
  rows,
  set,
}: {
  id: string;
  ret: ReturnDetail;
  rows: InspectionRow[];
  set: (i: number, field: keyof InspectionRow, value: string) => void;
}) {
  return (
    <table className="inspect-table">
      <caption className="visually-hidden">Inspection per line</caption>
      <ColumnHeads heads={['Line', 'Returned', 'Restock', 'Scrap']} />
      <tbody>
        {ret.lines.map((l, i) => (
          <tr key={i}>
            <th scope="row">
              {i + 1}: {l.sku}
            </th>
            <td className="num">{l.quantity}</td>
            <td>
              <input
                id={`${id}-restock-${i}`}
                aria-label={`Line ${i + 1} (${l.sku}): units restocked`}
                inputMode="numeric"
                size={6}
                value={rows[i]?.restock ?? ''}
                onChange={(e) => set(i, 'restock', e.target.value)}
              />
            </td>
            <td>
              <input
                id={`${id}-scrap-${i}`}
                aria-label={`Line ${i + 1} (${l.sku}): units scrapped`}
                inputMode="numeric"
                size={6}
                value={rows[i]?.scrap ?? ''}
                onChange={(e) => set(i, 'scrap', e.target.value)}
              />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
