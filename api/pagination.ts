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

export function decodeCursor(token: string | undefined): Cursor | undefined {
  if (!token) return undefined;
  try {
    const value = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as Cursor;
    if (typeof value.at === 'string' && typeof value.id === 'string' && !Number.isNaN(Date.parse(value.at))) return value;
  } catch {
    // fall through
  }
  throw new ProblemError('validation', 'cursor: not a cursor this API returned', { errors: [{ field: 'cursor', message: 'is not a valid cursor' }] });
}

/** Takes `limit + 1` rows to know whether another page exists. */
export function page<T>(rows: T[], limit: number, keyOf: (row: T) => Cursor): { items: T[]; nextCursor: string | null } {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last ? encodeCursor(keyOf(last)) : null };
}

export const pageSchema = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), nextCursor: z.string().nullable() });
