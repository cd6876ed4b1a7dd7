/** The zod builders every group of variables uses: ports, numbers, URLs, optional strings, secrets. */
import { z } from 'zod';

export const port = (fallback: number) =>
  z.coerce
    .number({ error: 'must be a port number' })
    .int('must be a whole number')
    .min(1, 'must be between 1 and 65535')
    .max(65535, 'must be between 1 and 65535')
    .default(fallback);

/** A whole number of at least `min`, `fallback` when unset. */
export const wholeNumber = (min: number, fallback: number) =>
  z.coerce
    .number({ error: 'must be a number' })
    .int('must be a whole number')
    .min(min, `must be at least ${min}`)
    .default(fallback);

export const optionalUrl = (protocols: string[]) =>
  z
    .string()
    .trim()
    .optional()
    .transform((v) => (v === '' ? undefined : v))
    .refine((v) => v === undefined || protocols.some((p) => v.startsWith(`${p}://`)), {
      message: `must be a URL starting with ${protocols.map((p) => `${p}://`).join(' or ')}`,
    });

export const optionalString = z
  .string()
  .trim()
  .optional()
  .transform((v) => (v === '' ? undefined : v));

/** A shared HMAC secret: unset, or at least 16 characters. */
export const secret = optionalString.refine((v) => v === undefined || v.length >= 16, {
  message: 'must be at least 16 characters',
});

const LOOPBACK_HOSTS = ['localhost', '127.0.0.1', '[::1]'];
export const isLoopbackUrl = (url: string): boolean => {
  try {
    return LOOPBACK_HOSTS.includes(new URL(url).hostname);
  } catch {
    return false;
  }
};
