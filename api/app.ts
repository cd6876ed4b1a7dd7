/**
 * The Fastify application: zod schemas for every route (validation and the OpenAPI document at /docs),
 * problem+json errors. Built from its dependencies so tests, `npm start` and `npm run start:api` share it.
 */
import Fastify, { type FastifyBaseLogger, type FastifyReply } from 'fastify';
import swagger, { type FastifyDynamicSwaggerOptions } from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import { authPlugin } from './auth/plugin';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { Client } from '@temporalio/client';
import type { Db } from '../lib/db';
import type { Logger } from '../lib/logger';
import type { MailCapture } from '../runtime/mail-capture';
import { installNulGuard } from './nul-guard';
import { installErrorHandler } from './error-handler';
import { PROBLEMS, problemBody } from './problems';
import { healthRoutes } from './routes/health';
import { eventRoutes } from './routes/events';
import { orderRoutes } from './routes/orders';
import { devMailRoutes } from './routes/dev-mail';
import { opsRoutes } from './routes/ops';
import { orderQueryRoutes } from './routes/order-queries';
import { invoiceRoutes } from './routes/invoices';
import { billingPeriodRoutes } from './routes/billing-periods';
import { reportRoutes } from './routes/reports';
import { returnRoutes } from './routes/returns';
import { consoleRoutes, defaultConsoleDir } from './routes/console';
import { meRoutes } from './routes/me';
import { workQueueRoutes } from './routes/work-queue';
import { customerRoutes } from './routes/customers';
import { recordTimedOutCall, timedOutCallRoutes } from './routes/timed-out-calls';
import { ProblemError } from './problems';
import { setWorkflowCallTimeout, type TimedOutCall } from './workflow-calls';
import type { WmsAdapter } from '../adapters/types';
import { createBuiltinWms } from '../adapters/wms/builtin';
import { createStartDispatcher, type StartDispatcher, type StartDispatcherOptions } from './intake/dispatcher';
import type { SellerIdentity } from '../lib/config';
import type { PayloadCodec } from '@temporalio/common';
import { codecCors, codecRoutes, DEFAULT_CODEC_CORS_ORIGIN } from './routes/codec';

declare module 'fastify' {
  interface FastifyInstance {
    /** Starts accepted closed-won events' workflows off the request path; closed with the app. */
    startDispatcher: StartDispatcher;
  }
}

export interface AppDeps {
  db: Db;
  temporal: Client;
  taskQueue: string;
  log: Logger;
  /** Present when the capture SMTP server runs in this process (embedded default and tests). */
  mailCapture?: MailCapture;
  /** Receipts arrive through the WMS adapter; the built-in one when omitted. */
  wms?: WmsAdapter;
  /** Request body limit in bytes. */
  bodyLimit?: number;
  /** Secret of the CRM's signed closed-won webhook. */
  crmWebhookSecret?: string;
  /** The secret before the last rotation, accepted too until the CRM has switched (CRM_WEBHOOK_SECRET_PREVIOUS). */
  crmWebhookPreviousSecret?: string;
  /** Requests per minute per API key (or client address). */
  rateLimitPerMinute?: number;
  /** Failed authentications one client address may make per minute before it is refused outright. */
  authFailuresPerMinute?: number;
  /** Concurrency and limits of the workflow starts behind intake (defaults: DISPATCHER_DEFAULTS). */
  startDispatcher?: StartDispatcherOptions;
  /** Printed on documents rendered on demand (SELLER_* variables); the demo seller when omitted. */
  seller?: SellerIdentity;
  /** Deadline of each update, query and signal sent to a workflow (default DEFAULT_WORKFLOW_CALL_TIMEOUT_MS). */
  workflowCallTimeoutMs?: number;
  /** The built console served at /console/ (default: dist/console of the app root). */
  consoleDir?: string;
  /** Temporal Web UI and namespace, for the console's link from an order to its workflow. */
  temporalUiUrl?: string;
  temporalNamespace?: string;
  /** The payload codec of the Temporal client (PAYLOAD_KEYS); /v1/codec/* serves it. None: encryption off. */
  payloadCodec?: PayloadCodec;
  /** The browser origin allowed to call /v1/codec/* (CODEC_CORS_ORIGIN); DEFAULT_CODEC_CORS_ORIGIN when omitted. */
  codecCorsOrigin?: string;
}

export type App = Awaited<ReturnType<typeof buildApp>>;

/** Longest path parameter the router accepts; route schemas set the real (shorter) limit of each id. */
const MAX_PARAM_LENGTH = 200;

export async function buildApp(deps: AppDeps) {
  const app = createServer(deps);
  installErrorHandler(app);
  if (deps.workflowCallTimeoutMs !== undefined) setWorkflowCallTimeout(deps.temporal, deps.workflowCallTimeoutMs);
  // A workflow call past its deadline (504) goes on the ops work queue: it may still take effect later.
  app.addHook('onError', async (request, _reply, error) => {
    if (!(error instanceof ProblemError) || error.kind !== 'gatewayTimeout') return;
    await recordTimedOutCall(deps.db, request, error.extra as unknown as TimedOutCall).catch((e: unknown) =>
      request.log.error({ err: e }, 'could not record a timed-out workflow call'),
    );
  });

  // Closed after the server has stopped taking requests (onClose), so every accepted event was kicked.
  const dispatcher = createStartDispatcher(deps, deps.startDispatcher);
  app.decorate('startDispatcher', dispatcher);
  app.addHook('onClose', () => dispatcher.close());

  await registerGuards(app, deps);
  await app.register(swagger, { openapi: OPENAPI_DOCUMENT, transform: jsonSchemaTransform });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  await registerRoutes(app, deps, dispatcher);
  return app;
}

type Server = ReturnType<typeof createServer>;

/** Fastify with zod schemas: validation and serialization from each route's schema. */
function createServer(deps: AppDeps) {
  const app = Fastify({
    loggerInstance: deps.log as FastifyBaseLogger,
    bodyLimit: deps.bodyLimit ?? 1024 * 1024,
    // Above every id's schema limit (the longest allows 160), so the route's schema answers a too-long
    // id with a 400 naming the parameter; the router's own default (100) cut valid ids short.
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
    // Errors the router raises before any route runs (malformed URL, a parameter beyond the limit
    // above) are client mistakes too: problem+json like every other error.
    frameworkErrors: (error, request, reply) => {
      void (reply as FastifyReply)
        .status(PROBLEMS.validation.status)
        .type('application/problem+json')
        .send(
          problemBody('validation', `(path): ${error.message}`, request.url, {
            errors: [{ field: '(path)', message: error.message }],
          }),
        );
    },
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  return app;
}

/** Security headers, rate limits, CORS of the codec, authentication and the NUL guard, in that order. */
async function registerGuards(app: Server, deps: AppDeps): Promise<void> {
  // Swagger UI serves inline scripts and styles: allow them on /docs only.
  await app.register(helmet, { global: true, contentSecurityPolicy: false });
  // Counted once the caller is known (after the key or signature check in authPlugin): per API key, per
  // CRM secret, per address on public routes. Failed authentications are limited per address before any
  // work by authPlugin itself; a made-up bearer string never gets a bucket of its own.
  await app.register(rateLimit, {
    max: deps.rateLimitPerMinute ?? 600,
    timeWindow: '1 minute',
    hook: 'preValidation',
    keyGenerator: (request) => request.rateLimitKey ?? `ip:${request.ip}`,
    // /readyz is not exempt: each call queries the database and Temporal, so it is limited like any route.
    allowList: (request) => request.url === '/healthz',
  });
  // Before authentication: a browser's CORS preflight to the codec carries no key.
  app.addHook('onRequest', codecCors(deps.codecCorsOrigin ?? DEFAULT_CODEC_CORS_ORIGIN));
  await app.register(authPlugin, {
    db: deps.db,
    crmWebhookSecret: deps.crmWebhookSecret,
    crmWebhookPreviousSecret: deps.crmWebhookPreviousSecret,
    authFailuresPerMinute: deps.authFailuresPerMinute,
  });
  // After authentication (and the webhook's signature check): a NUL reaching PostgreSQL is a 500.
  installNulGuard(app);
}

/** The OpenAPI document's header: served at /openapi.json and /docs with every route's schema. */
const OPENAPI_DOCUMENT = {
  openapi: '3.0.3',
  info: {
    title: 'closedloop API',
    version: '1',
    description: 'Order to cash on Temporal: CRM intake, order status for integrators, ops and finance.',
  },
  components: {
    securitySchemes: {
      apiKey: {
        type: 'http',
        scheme: 'bearer',
        description: 'API key from `npm run apikey -- create` (roles crm, ops, finance, admin)',
      },
      crmSignature: {
        type: 'apiKey',
        in: 'header',
        name: 'X-Closedloop-Signature',
        description: 'v1=<hex HMAC-SHA256 of "<X-Closedloop-Timestamp>.<raw body>"> with CRM_WEBHOOK_SECRET',
      },
    },
  },
  security: [{ apiKey: [] }],
  tags: [
    { name: 'health', description: 'Liveness and readiness' },
    { name: 'crm', description: 'Closed-won intake and order read-back' },
    { name: 'ops', description: 'Stuck steps, cancellation, holds, deliveries, receipts' },
    { name: 'finance', description: 'Credit decisions, invoices, payments, reports' },
    { name: 'returns', description: 'Returns (RMA) and credit memos' },
    { name: 'console', description: 'What the web console reads: the calling key, the work queue, customers' },
    { name: 'dev', description: 'Local development helpers' },
  ],
} satisfies FastifyDynamicSwaggerOptions['openapi'];

/** Every route plugin, in the order the OpenAPI document lists them. */
async function registerRoutes(app: Server, deps: AppDeps, dispatcher: StartDispatcher): Promise<void> {
  await app.register(healthRoutes, { deps });
  await app.register(eventRoutes, { prefix: '/v1', deps: { ...deps, dispatcher } });
  await app.register(orderRoutes, { prefix: '/v1', deps });
  await app.register(orderQueryRoutes, { prefix: '/v1', deps });
  await app.register(invoiceRoutes, { prefix: '/v1', deps });
  await app.register(billingPeriodRoutes, { prefix: '/v1', deps });
  await app.register(reportRoutes, { prefix: '/v1', deps });
  await app.register(returnRoutes, { prefix: '/v1', deps });
  await app.register(timedOutCallRoutes, { prefix: '/v1', deps });
  await app.register(meRoutes, { prefix: '/v1' });
  await app.register(workQueueRoutes, { prefix: '/v1', deps });
  await app.register(customerRoutes, { prefix: '/v1', deps });
  await app.register(codecRoutes, { prefix: '/v1', deps });
  await app.register(opsRoutes, { prefix: '/v1', deps: { ...deps, wms: deps.wms ?? createBuiltinWms(deps.db) } });
  await app.register(consoleRoutes, {
    dir: deps.consoleDir ?? defaultConsoleDir(),
    temporalUiUrl: deps.temporalUiUrl,
    temporalNamespace: deps.temporalNamespace,
  });
  if (deps.mailCapture) await app.register(devMailRoutes, { prefix: '/v1', capture: deps.mailCapture });
}
