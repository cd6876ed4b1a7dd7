/**
 * The console's heaviest reads (order page, order lists, invoice list) have PostgreSQL write their
 * answer: one statement returns each item as JSON text in exactly the shape the route's zod schema
 * serializes (its key order, compact, instants as toISOString writes them), and the route sends the
 * text as it comes. Only what the domain computes (an invoice's balance, amount due and discount
 * offer, an order's workflow state) is added in TypeScript, by the domain's own functions.
 *
 * Why: on these pages Prisma's raw-query path, the row-by-row mapping, zod's response encoding and
 * JSON.stringify cost the API several times the statement itself (issue 13, bench:api --screens-only).
 * Statements go through the client's own pg pool (lib/db.ts sqlPool) as named prepared statements, so
 * each connection plans a shape once.
 *
 * row_to_json and array_to_json write compact JSON with the same escapes as JSON.stringify;
 * json_build_object and json_agg add spaces, so they never build answer text here.
 */
import { createHash } from 'node:crypto';
import type { FastifyReply } from 'fastify';
import { Prisma, sqlPool, type Db } from '../../lib/db';

/** An instant as Date.prototype.toISOString writes it: UTC, milliseconds, Z. */
export const isoSql = (instant: Prisma.Sql) =>
  Prisma.sql`to_char(${instant} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** A date column as the json string YYYY-MM-DD (json writes dates in ISO whatever the DateStyle; cheaper than to_char). */
export const daySql = (date: Prisma.Sql) => Prisma.sql`to_json(${date})`;

/**
 * A json value: a compact array of one object per row of `from` (joined laterally to `fields`, whose
 * aliases are the JSON keys, in order), `[]` when there is none. `where` and `orderBy` may use the
 * tables of `from`, so sort keys need not be shown.
 */
export const jsonArraySql = (parts: {
  from: Prisma.Sql;
  fields: Prisma.Sql;
  where?: Prisma.Sql;
  orderBy: Prisma.Sql;
}) => Prisma.sql`
  (SELECT coalesce(array_to_json(array_agg(row_to_json(j) ORDER BY ${parts.orderBy})), '[]'::json)
   FROM ${parts.from} CROSS JOIN LATERAL (SELECT ${parts.fields}) j${parts.where ? Prisma.sql` WHERE ${parts.where}` : Prisma.empty})`;

/**
 * jsonArraySql for many owners in one pass: a derived table of (key, v), one row per value of `key` that
 * has rows, `v` their array (join it on key, coalescing a missing row to '[]'). A page of 50 orders then
 * reads each part in one index scan instead of running a subquery per order.
 */
export const jsonArraysByKeySql = (parts: {
  key: Prisma.Sql;
  from: Prisma.Sql;
  fields: Prisma.Sql;
  where: Prisma.Sql;
  orderBy: Prisma.Sql;
}) => Prisma.sql`
  (SELECT ${parts.key} AS key, array_to_json(array_agg(row_to_json(j) ORDER BY ${parts.orderBy})) AS v
   FROM ${parts.from} CROSS JOIN LATERAL (SELECT ${parts.fields}) j WHERE ${parts.where} GROUP BY ${parts.key})`;

/** A json value: one object of `fields` (aliases are the keys, in order). */
export const jsonObjectSql = (fields: Prisma.Sql) => Prisma.sql`(SELECT row_to_json(j) FROM (SELECT ${fields}) j)`;

/** The members of one object of `fields` as text without the braces (`"a":1,"b":2`), to splice into a larger object. */
export const jsonMembersSql = (fields: Prisma.Sql) =>
  Prisma.sql`(SELECT left(right(row_to_json(j)::text, -1), -1) FROM (SELECT ${fields}) j)`;

const statementNames = new Map<string, string>();
const MAX_STATEMENT_NAMES = 1000;

/** A name per statement text: pg prepares each once per connection and reuses it. */
function statementName(text: string): string {
  let name = statementNames.get(text);
  if (name === undefined) {
    name = `json-read-${createHash('sha1').update(text).digest('hex').slice(0, 20)}`;
    if (statementNames.size >= MAX_STATEMENT_NAMES) statementNames.clear();
    statementNames.set(text, name);
  }
  return name;
}

/**
 * Pools whose server shares one session among its connections, so a statement one connection prepared
 * is already there for the next (42P05) or gone under it (26000): the embedded PGlite serves every
 * connection from one session, as PgBouncer's transaction mode does. Found at the first such error;
 * from then on the pool's statements are unnamed (planned each time, still correct).
 */
const sharedSessionPools = new WeakSet<object>();
const SHARED_SESSION_ERRORS = new Set(['42P05', '26000']);

/** The rows of one statement, read through the client's pg pool (json columns arrive parsed). */
export async function sqlRows<R>(db: Db, query: Prisma.Sql): Promise<R[]> {
  const pool = sqlPool(db);
  const values = query.values as unknown[];
  if (!sharedSessionPools.has(pool)) {
    try {
      return (await pool.query({ name: statementName(query.text), text: query.text, values })).rows as R[];
    } catch (error) {
      if (!SHARED_SESSION_ERRORS.has((error as { code?: string }).code ?? '')) throw error;
      sharedSessionPools.add(pool);
    }
  }
  return (await pool.query({ text: query.text, values })).rows as R[];
}

/** Sends JSON text as it is, with the content type Fastify gives a serialized object. */
export const sendJsonText = (reply: FastifyReply, json: string) =>
  reply.type('application/json; charset=utf-8').send(json);

/** A page of items already written as JSON text, in the shared page shape (pageSchema). */
export const pageJsonText = (items: string[], nextCursor: string | null) =>
  `{"items":[${items.join(',')}],"nextCursor":${JSON.stringify(nextCursor)}}`;
