import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { PROBLEMS, ProblemError, problemBody, problemOfFailure, type FieldError, type ProblemKind } from './problems';

/** `/lines/2/quantity` -> `lines[2].quantity`: how people write field paths. */
export function fieldName(instancePath: string): string {
  const parts = instancePath.split('/').filter(Boolean);
  return (
    parts.reduce((name, part) => (/^\d+$/.test(part) ? `${name}[${part}]` : name ? `${name}.${part}` : part), '') ||
    '(body)'
  );
}

function valueAt(root: unknown, instancePath: string): unknown {
  let value = root;
  for (const part of instancePath.split('/').filter(Boolean)) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

function describeValue(value: unknown): string {
  if (value === undefined) return 'missing';
  const json = JSON.stringify(value) ?? String(value);
  return `got ${json.length > 60 ? `${json.slice(0, 57)}...` : json}`;
}

const FASTIFY_CODES: Record<string, ProblemKind> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'payloadTooLarge',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupportedMediaType',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'validation',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'validation',
  FST_ERR_CTP_INVALID_JSON_BODY: 'validation',
};

/** Renders every error as problem+json; a client's mistake is never a 500. */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const send = (kind: ProblemKind, detail: string, extra: Record<string, unknown> = {}) =>
      reply
        .status(PROBLEMS[kind].status)
        .type('application/problem+json')
        .send(problemBody(kind, detail, request.url, extra));

    if (hasZodFastifySchemaValidationErrors(error)) {
      const source =
        error.validationContext === 'body'
          ? request.body
          : error.validationContext === 'params'
            ? request.params
            : request.query;
      const errors: FieldError[] = error.validation.map((v) => {
        const field = fieldName(v.instancePath);
        const value = valueAt(source, v.instancePath);
        return { field, message: value === undefined ? 'is required' : `${v.message} (${describeValue(value)})` };
      });
      return send('validation', errors.map((e) => `${e.field}: ${e.message}`).join('; '), {
        errors,
        in: error.validationContext,
      });
    }
    if (error instanceof ProblemError) return send(error.kind, error.detail, error.extra);
    // An adapter's failure reaching a route (an unknown receipt): by its catalogued type. An `internal`
    // one falls through to be logged; its message may carry another system's answer.
    const failureKind = problemOfFailure(error);
    if (failureKind && failureKind !== 'internal') return send(failureKind, error.message);
    const fastifyKind = error.code ? FASTIFY_CODES[error.code] : undefined;
    if (fastifyKind) return send(fastifyKind, error.message);
    if (error.statusCode === 429) return send('rateLimited', error.message);
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) return send('validation', error.message);

    request.log.error({ err: error }, 'unhandled error');
    return send('internal', 'Something went wrong on our side; it has been logged.');
  });

  app.setNotFoundHandler((request, reply) =>
    reply
      .status(404)
      .type('application/problem+json')
      .send(problemBody('notFound', `No route ${request.method} ${request.url}`, request.url)),
  );
}
