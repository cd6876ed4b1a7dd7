/**
 * What the load generator sends. Closed-won events are examples/closed-won.json with a deal id unique
 * to each request, signed like a CRM signs them (api/auth/signature.ts): autocannon calls
 * `setupRequest` before every request, so each one carries a fresh body, timestamp and signature.
 */
import type autocannon from 'autocannon';
import { sign, SIGNATURE_HEADER, TIMESTAMP_HEADER } from '../../api/auth/signature';
import example from '../../examples/closed-won.json';

const DEAL_MARK = '__BENCH_DEAL_ID__';
// The body is the example's JSON text with the deal id spliced in: no JSON.stringify per request.
const [BODY_HEAD, BODY_TAIL] = JSON.stringify({ ...example, dealId: DEAL_MARK }).split(DEAL_MARK) as [string, string];

/** One signed closed-won body; `dealId` must match ^[A-Za-z0-9._-]{1,64}$. */
export function signedClosedWon(secret: string, dealId: string, nowSeconds = Math.floor(Date.now() / 1000)) {
  const body = `${BODY_HEAD}${dealId}${BODY_TAIL}`;
  return {
    body,
    headers: {
      'content-type': 'application/json',
      [TIMESTAMP_HEADER]: String(nowSeconds),
      [SIGNATURE_HEADER]: sign(secret, nowSeconds, body),
    },
  };
}

/** POSTs to `path` with a new deal id (`<prefix>-<n>`) and its signature on every request. */
export function closedWonRequests(path: string, secret: string, dealPrefix: string): autocannon.Request[] {
  let sequence = 0;
  return [
    {
      method: 'POST',
      path,
      setupRequest: (request) => {
        sequence += 1;
        return { ...request, ...signedClosedWon(secret, `${dealPrefix}-${sequence}`) };
      },
    },
  ];
}

/** GETs each order of `orderIds` in turn, with the API key. */
export function orderReadRequests(orderIds: readonly string[], apiKey: string): autocannon.Request[] {
  if (orderIds.length === 0) throw new Error('no orders to read');
  let next = 0;
  return [
    {
      method: 'GET',
      headers: { authorization: `Bearer ${apiKey}` },
      setupRequest: (request) => {
        const orderId = orderIds[next % orderIds.length]!;
        next += 1;
        return { ...request, path: `/v1/orders/${encodeURIComponent(orderId)}` };
      },
    },
  ];
}
