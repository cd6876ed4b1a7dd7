/**
 * A data table with a caption (read by screen readers), optional sortable headers (buttons with
 * aria-sort) and a stable key per row, so a refetch updates rows in place instead of remounting them.
 */
import type { ReactNode } from 'react';

export interface Column<T> {
  key: string;
  header: string;
  render: (row: T) => ReactNode;
  /** The API's sort value for this column (e.g. "createdAt"); "-" + it sorts descending. */
  sortKey?: string;
  align?: 'left' | 'right';
}

export interface TableProps<T> {
  caption: string;
  columns: Column<T>[];
  rows: T[];
  rowKey: (row: T) => string;
  sort?: string;
  onSort?: (sort: string) => void;
  rowClassName?: (row: T) => string | undefined;
  captionHidden?: boolean;
}

export function Table<T>({
  caption,
  columns,
  rows,
  rowKey,
  sort,
  onSort,
  rowClassName,
  captionHidden = true,
}: TableProps<T>) {
  return (
    <div className="table-wrap">
      <table>
        <caption className={captionHidden ? 'visually-hidden' : undefined}>{caption}</caption>
        <thead>
          <tr>
            {columns.map((c) => {
              const direction =
                c.sortKey && sort === c.sortKey
                  ? 'ascending'
                  : c.sortKey && sort === `-${c.sortKey}`
                    ? 'descending'
                    : undefined;
              return (
                <th
                  key={c.key}
                  scope="col"
                  aria-sort={direction ?? (c.sortKey ? 'none' : undefined)}
                  className={c.align === 'right' ? 'num' : undefined}
                >
                  {c.sortKey && onSort ? (
                    <button
                      type="button"
                      className="sort"
                      onClick={() => onSort(direction === 'descending' ? c.sortKey! : `-${c.sortKey}`)}
                    >
                      {c.header}
                      <span aria-hidden="true">
                        {direction === 'ascending' ? ' ▲' : direction === 'descending' ? ' ▼' : ' ↕'}
                      </span>
                    </button>
                  ) : (
                    c.header
                  )}
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={rowKey(row)} className={rowClassName?.(row)}>
              {columns.map((c) => (
                <td key={c.key} className={c.align === 'right' ? 'num' : undefined}>
                  {c.render(row)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
