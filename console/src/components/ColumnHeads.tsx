/** The header row of a plain table (one without sorting: components/Table.tsx has its own). */

/** A column's heading; a numeric column is right-aligned over its figures. */
export interface ColumnHead {
  label: string;
  isNumeric?: boolean;
}

/** A numeric column's heading. */
export const numeric = (label: string): ColumnHead => ({ label, isNumeric: true });

export function ColumnHeads({ heads }: { heads: readonly (string | ColumnHead)[] }) {
  return (
    <thead>
      <tr>
        {heads.map((head) => {
          const { label, isNumeric } = typeof head === 'string' ? { label: head, isNumeric: false } : head;
          return (
            <th key={label} scope="col" className={isNumeric ? 'num' : undefined}>
              {label}
            </th>
          );
        })}
      </tr>
    </thead>
  );
}
