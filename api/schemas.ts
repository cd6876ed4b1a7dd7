import { z } from 'zod';

/**
 * problem+json, as every error answers (api/problems.ts). Loose: RFC 9457 extension members (`in`, the
 * `orderId` of a closed-won conflict) reach the client instead of being stripped by the serializer.
 */
export const problemSchema = z.looseObject({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string(),
  instance: z.string().optional(),
  errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
  in: z.enum(['body', 'querystring', 'params', 'headers']).optional().describe('validation errors: the part of the request that was invalid'),
});
