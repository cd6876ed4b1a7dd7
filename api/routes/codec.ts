/**
 * The codec server of the Temporal Web UI and CLI (Temporal's remote codec protocol): `POST
 * /v1/codec/decode` and `/v1/codec/encode` take `{ payloads: [...] }` in proto3 JSON (the data and every
 * metadata value base64) and answer the same shape, run through the payload codec (PAYLOAD_KEYS). So
 * people with an ops, finance or admin key read encrypted histories there, and nobody else does: decode
 * reveals customer data, so it is authenticated like every /v1 route.
 *
 * Browsers call it from the Web UI's origin: CORS admits that one origin (CODEC_CORS_ORIGIN) and no other.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { z } from 'zod';
import type { AppDeps } from '../app';
import { problemResponses } from '../schemas';
import { ProblemError } from '../problems';
import { isEncrypted, PayloadDecryptionError } from '../../lib/payload-encryption';
export { DEFAULT_CODEC_CORS_ORIGIN } from '../../lib/payload-encryption';

const OPS_FINANCE = { auth: { roles: ['ops', 'finance'] as const } };
export const CODEC_PATHS = ['/v1/codec/decode', '/v1/codec/encode'];
/** Headers the Web UI and CLI send: the key, the JSON body's type, and the namespace. */
const ALLOWED_HEADERS = 'authorization, content-type, x-namespace';
/** At most this many payloads per call (a history page's worth), so one call's work stays bounded. */
const MAX_PAYLOADS = 1000;

const base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'must be base64');
const jsonPayload = z.object({
  metadata: z.record(z.string().max(200), base64).nullish(),
  data: base64.nullish(),
});
type JsonPayload = z.infer<typeof jsonPayload>;
const body = z.object({ payloads: z.array(jsonPayload).max(MAX_PAYLOADS) });

const fromJson = (p: JsonPayload): Payload => ({
  metadata: p.metadata
    ? Object.fromEntries(Object.entries(p.metadata).map(([k, v]) => [k, Buffer.from(v, 'base64')]))
    : {},
  data: p.data ? Buffer.from(p.data, 'base64') : undefined,
});
const toJson = (p: Payload): JsonPayload => ({
  metadata: Object.fromEntries(
    Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')]),
  ),
  ...(p.data ? { data: Buffer.from(p.data).toString('base64') } : {}),
});

/** Encryption off (PAYLOAD_KEYS unset): payloads stay as they are; an encrypted one cannot be read here. */
const CLEAR: PayloadCodec = {
  encode: async (payloads) => payloads,
  decode: async (payloads) => {
    if (payloads.some(isEncrypted))
      throw new PayloadDecryptionError(
        'payload encryption is off on this server (PAYLOAD_KEYS is not set), so it cannot decrypt payloads',
      );
    return payloads;
  },
};

/**
 * Runs the codec payload by payload, so a refusal names the payload (`payloads[3]`) that failed; the
 * codec's message names a key id or the failure, never key material.
 */
async function run(codec: PayloadCodec, direction: 'encode' | 'decode', payloads: Payload[]): Promise<Payload[]> {
  const out: Payload[] = [];
  for (const [index, payload] of payloads.entries()) {
    try {
      out.push(...(await codec[direction]([payload])));
    } catch (error) {
      if (!(error instanceof PayloadDecryptionError)) throw error;
      throw new ProblemError('validation', `payloads[${index}]: ${error.message}`, {
        errors: [{ field: `payloads[${index}]`, message: error.message }],
      });
    }
  }
  return out;
}

/**
 * CORS for the codec routes, as an onRequest hook that runs before authentication: a browser's preflight
 * carries no key. Only `origin` gets CORS headers; a preflight from any other origin is refused.
 */
export function codecCors(origin: string) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const path = request.url.split('?')[0]!;
    if (!CODEC_PATHS.includes(path)) return;
    const from = request.headers.origin;
    void reply.header('vary', 'Origin');
    if (from === origin) {
      void reply.header('access-control-allow-origin', origin).header('access-control-allow-credentials', 'true');
    }
    if (request.method !== 'OPTIONS') return;
    if (from !== origin)
      throw new ProblemError(
        'forbidden',
        `origin ${from === undefined ? '(none)' : JSON.stringify(from)} may not call the codec; only CODEC_CORS_ORIGIN may`,
      );
    return reply
      .header('access-control-allow-methods', 'POST')
      .header('access-control-allow-headers', ALLOWED_HEADERS)
      .header('access-control-max-age', '600')
      .status(204)
      .send();
  };
}

export const codecRoutes: FastifyPluginAsyncZod<{ deps: AppDeps }> = async (app, { deps }) => {
  const codec = deps.payloadCodec ?? CLEAR;
  const response = { 200: body, ...problemResponses(400) };
  app.post(
    '/codec/decode',
    {
      config: OPS_FINANCE,
      schema: {
        tags: ['ops'],
        summary: 'Decrypt Temporal payloads for the Web UI and CLI (remote codec protocol): reveals customer data',
        body,
        response,
      },
    },
    async (req) => ({ payloads: (await run(codec, 'decode', req.body.payloads.map(fromJson))).map(toJson) }),
  );

  app.post(
    '/codec/encode',
    {
      config: OPS_FINANCE,
      schema: {
        tags: ['ops'],
        summary: 'Encrypt Temporal payloads for the Web UI and CLI (remote codec protocol)',
        body,
        response,
      },
    },
    async (req) => ({ payloads: (await run(codec, 'encode', req.body.payloads.map(fromJson))).map(toJson) }),
  );
};
