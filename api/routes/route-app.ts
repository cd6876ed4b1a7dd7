import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';

/** The Fastify instance a route plugin receives, typed for zod schemas: what a route's register function takes. */
export type RouteApp = Parameters<FastifyPluginAsyncZod>[0];
