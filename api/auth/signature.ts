/**
 * CRM webhook signatures: `X-Closedloop-Signature: v1=<hex HMAC-SHA256 of "<timestamp>.<raw body>">`
 * with `X-Closedloop-Timestamp` in Unix seconds, accepted within five minutes. The same scheme, with
 * its own secret (CRM_OUTBOUND_SECRET), signs our outbound milestone webhooks.
 *
 * Inbound, up to two secrets are valid at once (CRM_WEBHOOK_SECRET and CRM_WEBHOOK_SECRET_PREVIOUS), so
 * a secret can be rotated without refusing the CRM's requests while it switches over.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-closedloop-signature';
export const TIMESTAMP_HEADER = 'x-closedloop-timestamp';
export const SIGNATURE_WINDOW_SECONDS = 300;

export function sign(secret: string, timestamp: number | string, rawBody: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${rawBody}`).digest('hex')}`;
}

/** Returns why the signature is not acceptable under any of `secrets`, or undefined when it is. */
export function checkSignature(
  secrets: string | readonly string[],
  headers: { timestamp?: string; signature?: string },
  rawBody: string,
  nowSeconds = Math.floor(Date.now() / 1000),
): string | undefined {
  if (!headers.timestamp || !headers.signature)
    return `missing ${!headers.timestamp ? 'X-Closedloop-Timestamp' : 'X-Closedloop-Signature'} header`;
  if (!/^\d{1,12}$/.test(headers.timestamp)) return 'X-Closedloop-Timestamp must be Unix seconds';
  const age = Math.abs(nowSeconds - Number(headers.timestamp));
  if (age > SIGNATURE_WINDOW_SECONDS)
    return `timestamp is ${age} s away from now; signatures are valid for ${SIGNATURE_WINDOW_SECONDS} s`;
  const given = Buffer.from(headers.signature.trim());
  // Every secret is compared, each in constant time, so the answer's timing does not tell which one matched.
  let isValid = false;
  for (const secret of typeof secrets === 'string' ? [secrets] : secrets) {
    const expected = Buffer.from(sign(secret, headers.timestamp, rawBody));
    if (expected.length === given.length && timingSafeEqual(expected, given)) isValid = true;
  }
  return isValid ? undefined : 'signature does not match the body';
}
