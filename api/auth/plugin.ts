/**
 * Authentication and authorization for every route. A route declares who may call it in
 * `config.auth`: `{ roles: [...] }` (API key with one of these roles; admin may do everything),
 * `'signature'` (CRM webhook signed with CRM_WEBHOOK_SECRET, or CRM_WEBHOOK_SECRET_PREVIOUS while rotating), or `'public'` (health and docs).
 * A route that declares nothing is admin-only, so forgetting the declaration fails closed.
 */
import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../../lib/db';
import { ProblemError } from '../problems';
import { createKeyVerifier, type Principal, type Role } from './api-keys';
import { checkSignature, SIGNATURE_HEADER, TIMESTAMP_HEADER } from './signature';
import { createFailureThrottle } from './failure-throttle';

export type AuthRule = 'public' | 'signature' | { roles: readonly Role[] };

declare module 'fastify' {
  interface FastifyContextConfig {
    auth?: AuthRule;
  }
  interface FastifyRequest {
    principal?: Principal;
    /** Which bucket the request is rate limited in once authenticated (see api/app.ts). */
    rateLimitKey?: string;
    rawBody?: string;
  }
  interface FastifyInstance {
    /** Every route and who may call it: for docs, audits of the access rules, and tests. */
    routeAccess: { method: string; url: string; auth: AuthRule | 'admin-only' }[];
  }
}

const PUBLIC_PREFIXES = ['/docs', '/openapi.json', '/healthz', '/readyz'];

export interface AuthOptions {
  db: Db;
  crmWebhookSecret?: string;
  /** Still accepted while the CRM switches to `crmWebhookSecret` (rotation). */
  crmWebhookPreviousSecret?: string;
  /** Failed authentications (no key, unknown key, bad signature) one address may make per minute. */
  authFailuresPerMinute?: number;
}

function bearer(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
  return match?.[1];
}

export const authPlugin = fp<AuthOptions>(async (app, options) => {
  const gate = createGate(createKeyVerifier(options.db), createFailureThrottle(options.authFailuresPerMinute ?? 100));
  recordRouteAccess(app);
  keepRawJsonBodies(app);
  app.addHook('onRequest', checkApiKey(gate));
  app.addHook('preValidation', checkCrmSignature(gate, options));
});

type Gate = ReturnType<typeof createGate>;

/** The key verifier and the per-address throttle of failed authentications, shared by both checks. */
function createGate(verify: ReturnType<typeof createKeyVerifier>, failures: ReturnType<typeof createFailureThrottle>) {
  return {
    verify,
    /** Refused before any work while the address is over its failure limit; a recently verified key still passes. */
    refuseIfThrottled: (request: FastifyRequest, reply: FastifyReply, key?: string) => {
      const wait = failures.retryAfter(request.ip);
      if (wait === 0 || (key && verify.cached(key))) return;
      void reply.header('retry-after', String(wait));
      throw new ProblemError(
        'rateLimited',
        `too many failed authentications from this address; try again in ${wait} s`,
      );
    },
    unauthorized: (request: FastifyRequest, detail: string) => {
      failures.record(request.ip);
      return new ProblemError('unauthorized', detail);
    },
  };
}

/** Every route and who may call it, as routes are added (app.routeAccess). */
function recordRouteAccess(app: FastifyInstance): void {
  const routeAccess: FastifyInstance['routeAccess'] = [];
  app.decorate('routeAccess', routeAccess);
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) {
      if (method === 'HEAD') continue;
      routeAccess.push({ method, url: route.url, auth: route.config?.auth ?? 'admin-only' });
    }
  });
}

/**
 * Keep the exact bytes of JSON bodies: signatures are computed over them. Parsing stays Fastify's own
 * (secure-json-parse), which refuses "__proto__" and "constructor.prototype" keys: a plain JSON.parse
 * would hand them on to every spread and merge of the body (prototype poisoning).
 */
function keepRawJsonBodies(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = body as string;
    request.rawBody = text;
    if (text.trim() === '') return done(null, undefined);
    // PostgreSQL cannot store NUL in text or jsonb: refuse it here, not with a 500 at the INSERT.
    if (text.includes('\u0000') || /\\u0000/i.test(text))
      return done(badJsonBody('Body must not contain NUL (\\u0000) characters'), undefined);
    void parseJson(request, text, (error, value) => {
      if (!error) return done(null, value);
      done(
        badJsonBody(
          isJson(text) ? 'Body must not contain "__proto__" or "constructor.prototype" keys' : 'Body is not valid JSON',
        ),
        undefined,
      );
    });
  });
}

/** The onRequest check: public routes pass, signed routes wait for their body, every other needs a key of an allowed role. */
function checkApiKey(gate: Gate) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const rule = request.routeOptions.config?.auth;
    const url = request.url.split('?')[0]!;
    if (rule === 'public' || PUBLIC_PREFIXES.some((p) => url === p || url.startsWith(`${p}/`))) return;
    if (rule === 'signature') return gate.refuseIfThrottled(request, reply); // the signature is checked once the raw body is read (preValidation)
    const key = bearer(request);
    gate.refuseIfThrottled(request, reply, key);
    if (!key) throw gate.unauthorized(request, 'send an API key as "Authorization: Bearer <key>"');
    const principal = await gate.verify(key);
    if (!principal) throw gate.unauthorized(request, 'the API key is unknown or revoked');
    request.principal = principal;
    request.rateLimitKey = `key:${principal.keyId}`;
    const roles = rule?.roles ?? ['admin'];
    if (principal.role !== 'admin' && !roles.includes(principal.role)) {
      throw new ProblemError(
        'forbidden',
        `role ${principal.role} may not ${request.method} ${request.routeOptions.url}; allowed: ${['admin', ...roles].join(', ')}`,
      );
    }
  };
}

/** The preValidation check of signed routes (the CRM webhook), over the raw body. */
function checkCrmSignature(gate: Gate, { crmWebhookSecret, crmWebhookPreviousSecret }: AuthOptions) {
  return async (request: FastifyRequest) => {
    if (request.routeOptions.config?.auth !== 'signature') return;
    if (!crmWebhookSecret)
      throw new ProblemError(
        'dependencyDown',
        'CRM_WEBHOOK_SECRET is not configured, so signed events cannot be checked',
      );
    const headers = {
      timestamp: request.headers[TIMESTAMP_HEADER] as string | undefined,
      signature: request.headers[SIGNATURE_HEADER] as string | undefined,
    };
    const problem = checkSignature(
      crmWebhookPreviousSecret ? [crmWebhookSecret, crmWebhookPreviousSecret] : [crmWebhookSecret],
      headers,
      request.rawBody ?? '',
    );
    if (problem) throw gate.unauthorized(request, `bad webhook signature: ${problem}`);
    request.principal = { keyId: 'crm-webhook', name: 'crm-webhook', role: 'crm' };
    // One bucket per CRM secret: during a rotation the old and the new secret are limited apart.
    const current =
      !crmWebhookPreviousSecret || checkSignature(crmWebhookSecret, headers, request.rawBody ?? '') === undefined;
    request.rateLimitKey = `crm:${current ? 'current' : 'previous'}`;
  };
}

function badJsonBody(message: string): Error {
  const error = new Error(message) as Error & { statusCode: number; code: string };
  error.statusCode = 400;
  error.code = 'FST_ERR_CTP_INVALID_JSON_BODY';
  return error;
}

/** Only to word the error: the body parses as JSON, so the secure parser refused it for its keys. */
function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
