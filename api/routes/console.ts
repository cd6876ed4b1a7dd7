/**
 * The console (console/, built into dist/console/) as public static files at /console/. Every path
 * that is not a built file answers index.html, so a deep link (/console/orders/ORD-1) opens the app at
 * that screen. The files hold no data: the app reads everything from /v1 with the user's own key.
 */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import type { FastifyPluginAsync } from 'fastify';
import fastifyStatic from '@fastify/static';

export const CONSOLE_PREFIX = '/console';

/** dist/console/ of the app root (the folder holding package.json): the same from api/ under tsx and from dist/api/. */
export function defaultConsoleDir(): string {
  let dir = __dirname;
  while (!existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return path.join(dir, 'dist', 'console');
}

/** Scripts and styles only from this origin; the API only from this origin; PDFs may open inline. */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "frame-src 'self' blob:",
  "object-src 'self' blob:",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'self'",
].join('; ');

const PUBLIC = { auth: 'public' as const };

export interface ConsoleOptions {
  dir: string;
  /** Temporal Web UI, linked from each order (its workflow); no link when unknown. */
  temporalUiUrl?: string;
  temporalNamespace?: string;
}

export const consoleRoutes: FastifyPluginAsync<ConsoleOptions> = async (
  app,
  { dir, temporalUiUrl, temporalNamespace },
) => {
  const built = existsSync(path.join(dir, 'index.html'));
  // serve: false: only reply.sendFile; the routes below declare their access like every other route.
  if (built) await app.register(fastifyStatic, { root: dir, serve: false });

  app.get(CONSOLE_PREFIX, { config: PUBLIC, schema: { hide: true } }, async (_req, reply) =>
    reply.redirect(`${CONSOLE_PREFIX}/`),
  );

  // Where the console links to: no data, no secret.
  app.get(`${CONSOLE_PREFIX}/config.json`, { config: PUBLIC, schema: { hide: true } }, async (_req, reply) => {
    reply.header('cache-control', 'no-cache');
    return { temporalUiUrl: temporalUiUrl ?? null, temporalNamespace: temporalNamespace ?? 'default' };
  });

  app.get(`${CONSOLE_PREFIX}/*`, { config: PUBLIC, schema: { hide: true } }, async (req, reply) => {
    if (!built) {
      return reply
        .status(503)
        .type('text/plain; charset=utf-8')
        .send('The console is not built: run `npm run build` (npm start builds it by itself).\n');
    }
    const rel = (req.params as { '*': string })['*'];
    const file = path.resolve(dir, rel);
    const isBuiltFile =
      rel !== '' &&
      file.startsWith(`${dir}${path.sep}`) &&
      !path.basename(file).startsWith('.') &&
      existsSync(file) &&
      statSync(file).isFile();
    if (isBuiltFile) {
      // Hashed names under assets/ never change content; anything else is checked again.
      const immutable = rel.startsWith('assets/');
      return reply.sendFile(rel, { maxAge: immutable ? 365 * 24 * 3600 * 1000 : 0, immutable });
    }
    // An asset that is not there is a 404, not the app: a stale tab would otherwise parse HTML as JS.
    if (rel.startsWith('assets/')) return reply.status(404).type('text/plain; charset=utf-8').send('not found\n');
    reply.header('content-security-policy', CONTENT_SECURITY_POLICY).header('cache-control', 'no-cache');
    return reply.sendFile('index.html', { maxAge: 0 });
  });
};
