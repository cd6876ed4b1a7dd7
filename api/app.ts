/**
 * The Fastify application: zod schemas for every route (validation and the OpenAPI document at /docs),
 * problem+json errors. Built from its dependencies so tests, `npm start` and `npm run start:api` share it.
 */
import Fastify, { type FastifyBaseLogger } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Client } from '@temporalio/client';
import type { Db } from '../lib/db';
import type { Logger } from '../lib/logger';
import type { MailCapture } from '../runtime/mail-capture';
import { installErrorHandler } from './error-handler';
import { healthRoutes } from './routes/health';
import { eventRoutes } from './routes/events';
import { orderRoutes } from './routes/orders';
import { devMailRoutes } from './routes/dev-mail';
import { opsRoutes } from './routes/ops';
import type { WmsAdapter } from '../adapters/types';
import { createBuiltinWms } from '../adapters/wms/builtin';

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
}

export type App = Awaited<ReturnType<typeof buildApp>>;

export async function buildApp(deps: AppDeps) {
  const app = Fastify({
    loggerInstance: deps.log as FastifyBaseLogger,
    bodyLimit: deps.bodyLimit ?? 1024 * 1024,
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installErrorHandler(app);

  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'closedloop API',
        version: '1',
        description: 'Order to cash on Temporal: CRM intake, order status for integrators, ops and finance.',
      },
      tags: [
        { name: 'health', description: 'Liveness and readiness' },
        { name: 'crm', description: 'Closed-won intake and order read-back' },
        { name: 'ops', description: 'Stuck steps, cancellation, holds, deliveries, receipts' },
        { name: 'finance', description: 'Credit decisions' },
        { name: 'dev', description: 'Local development helpers' },
      ],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  await app.register(healthRoutes);
  await app.register(eventRoutes, { prefix: '/v1', deps });
  await app.register(orderRoutes, { prefix: '/v1', deps });
  await app.register(opsRoutes, { prefix: '/v1', deps: { ...deps, wms: deps.wms ?? createBuiltinWms(deps.db) } });
  if (deps.mailCapture) await app.register(devMailRoutes, { prefix: '/v1', capture: deps.mailCapture });
  return app;
}
