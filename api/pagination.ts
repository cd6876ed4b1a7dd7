/**
 * Cursor pagination for every list: the cursor is an opaque token of the last row's sort key, so pages
 * stay stable while new rows arrive (unlike offsets).
 */
import { z } from 'zod';
import { ProblemError } from './problems';

export const pageQuery = {
  limit: z.coerce.number().int().min(1, 'must be between 1 and 200').max(200, 'must be between 1 and 200').default(50),
  cursor: z.string().max(500).optional().describe('nextCursor of the previous page'),
};

export interface Cursor {
  at: string;
  id: string;
}

export const encodeCursor = (cursor: Cursor): string => Buffer.from(JSON.stringify(cursor)).toString('base64url');

/** Audit rows are keyed by a bigint: at most 18 digits stays inside PostgreSQL's int8 (and BigInt() never throws). */
export const AUDIT_ID = /^\d{1,18}$/;

/** Any row id we hand out: printable (PostgreSQL refuses a NUL byte in text, which would be a 500). */
// eslint-disable-next-line no-control-regex -- control characters are exactly what it refuses
const ROW_ID = /^[^\u0000-\u001f]{1,200}$/;
/** What encodeCursor writes (toISOString), within years PostgreSQL stores. */
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;

/** `id` narrows what a row key may look like, so a crafted cursor is a 400 rather than a failing query. */
export function decodeCursor(token: string | undefined, shape: { id?: RegExp } = {}): Cursor | undefined {
  if (!token) return undefined;
  try {
    const value = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as Cursor;
    if (
      typeof value.at === 'string' &&
      ISO_INSTANT.test(value.at) &&
      !Number.isNaN(Date.parse(value.at)) &&
      typeof value.id === 'string' &&
      (shape.id ?? ROW_ID).test(value.id)
    )
      return value;
  } catch {
    // fall through
  }
  throw new ProblemError('validation', 'cursor: not a cursor this API returned', {
    errors: [{ field: 'cursor', message: 'is not a valid cursor' }],
  });
}

/** Takes `limit + 1` rows to know whether another page exists. */
export function page<T>(
  rows: T[],
  limit: number,
  keyOf: (row: T) => Cursor,
): { items: T[]; nextCursor: string | null } {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last ? encodeCursor(keyOf(last)) : null };
}

export const pageSchema = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() });

/** Prisma's `where` for rows after `cursor` in (createdAt, id) descending order; none without a cursor. */
export const createdBeforeCursor = (cursor: Cursor | undefined) =>
  cursor
    ? {
        OR: [{ createdAt: { lt: new Date(cursor.at) } }, { createdAt: new Date(cursor.at), id: { lt: cursor.id } }],
      }
    : {};
