/**
 * Refuses a NUL character (U+0000) anywhere in a request's path parameters, query string or JSON body
 * with a 400 naming the field. PostgreSQL text cannot hold NUL: such a value reaching a query fails it
 * with a server error, whatever the route. Refusing it at the door covers every route, present and
 * future, instead of each schema and each query remembering it.
 */
import type { FastifyInstance } from 'fastify';
import { fieldName } from './error-handler';
import { ProblemError } from './problems';

const NUL = '\u0000';

/** The path (`/lines/2/sku`, `/` for the value itself) of the first string or key holding a NUL, if any. */
export function nulAt(value: unknown, at = '', depth = 0): string | undefined {
  if (typeof value === 'string') return value.includes(NUL) ? at || '/' : undefined;
  // Deeper than any body we accept: the schemas refuse it; stop walking instead of blowing the stack.
  if (value === null || typeof value !== 'object' || depth > 64) return undefined;
  for (const [key, item] of Object.entries(value)) {
    if (key.includes(NUL)) return `${at}/${key}`;
    const found = nulAt(item, `${at}/${key}`, depth + 1);
    if (found) return found;
  }
  return undefined;
}

export function installNulGuard(app: FastifyInstance): void {
  // preValidation: after authentication (a caller without a key still gets 401) and body parsing,
  // before the route's schema and handler.
  app.addHook('preValidation', async (request) => {
    for (const [where, value] of [
      ['params', request.params],
      ['querystring', request.query],
      ['body', request.body],
    ] as const) {
      const path = nulAt(value);
      if (path === undefined) continue;
      const field = fieldName(path.split(NUL).join('\\u0000'));
      const message = 'must not contain a NUL character (\\u0000)';
      throw new ProblemError('validation', `${field}: ${message}`, { errors: [{ field, message }], in: where });
    }
  });
}
