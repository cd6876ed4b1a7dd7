/**
 * Rules every outbound HTTP call shares (HTTP adapters, CRM webhook relay).
 *
 * - Redirects are never followed (`redirect: 'manual'`, a 3xx is a failure): fetch would resend the
 *   body with our Idempotency-Key and signature, and the Authorization header on the same origin, to
 *   wherever the Location points.
 * - Of an error answer only the first ERROR_BODY_MAX_BYTES are read: the message keeps an excerpt
 *   anyway, and a hostile or broken server must not make us buffer an endless body.
 */

export const ERROR_BODY_MAX_BYTES = 4096;

export const isRedirect = (status: number): boolean => status >= 300 && status <= 399;

/** The start of the body as text (at most `maxBytes`, UTF-8), then the rest is abandoned unread. */
export async function readTextCapped(response: Response, maxBytes = ERROR_BODY_MAX_BYTES): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < maxBytes) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } finally {
    // Closes the connection's stream when the body goes on; a no-op once it has ended.
    await reader.cancel().catch(() => undefined);
  }
  return Buffer.concat(chunks).subarray(0, maxBytes).toString('utf8');
}

/** Where a redirect pointed, for a message: origin and path only (a query may carry tokens). */
export function redirectTarget(response: Response): string {
  const location = response.headers.get('location');
  if (!location) return 'no Location';
  try {
    const url = new URL(location, response.url || undefined);
    return `${url.origin}${url.pathname}`.slice(0, 200);
  } catch {
    return 'an unreadable Location';
  }
}
