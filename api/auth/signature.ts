/**
 * CRM webhook signatures: `X-Closedloop-Signature: v1=<hex HMAC-SHA256 of "<timestamp>.<raw body>">`
 * with `X-Closedloop-Timestamp` in Unix seconds, accepted within five minutes. The same scheme signs
 * our outbound milestone webhooks.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-closedloop-signature';
export const TIMESTAMP_HEADER = 'x-closedloop-timestamp';
export const SIGNATURE_WINDOW_SECONDS = 300;

export function sign(secret: string, timestamp: number | string, rawBody: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${rawBody}`).digest('hex')}`;
}

/** Returns why the signature is not acceptable, or undefined when it is. */
export function checkSignature(
  secret: string,
  headers: { timestamp?: string; signature?: string },
  rawBody: string,
  nowSeconds = Math.floor(Date.now() / 1000),
): string | undefined {
  if (!headers.timestamp || !headers.signature) return `missing ${!headers.timestamp ? 'X-Closedloop-Timestamp' : 'X-Closedloop-Signature'} header`;
  if (!/^\d{1,12}$/.test(headers.timestamp)) return 'X-Closedloop-Timestamp must be Unix seconds';
  const age = Math.abs(nowSeconds - Number(headers.timestamp));
  if (age > SIGNATURE_WINDOW_SECONDS) return `timestamp is ${age} s away from now; signatures are valid for ${SIGNATURE_WINDOW_SECONDS} s`;
  const expected = Buffer.from(sign(secret, headers.timestamp, rawBody));
  const given = Buffer.from(headers.signature.trim());
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return 'signature does not match the body';
  return undefined;
}
