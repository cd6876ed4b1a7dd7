/** The soak talks to closedloop only through its public HTTP API, as a CRM, ops and finance would. */
import { sign, SIGNATURE_HEADER, TIMESTAMP_HEADER } from '../api/auth/signature';

export interface ApiAnswer {
  status: number;
  body: unknown;
}

export interface ApiClient {
  request(method: string, path: string, key: string, body?: unknown): Promise<ApiAnswer>;
  postEvent(event: unknown): Promise<ApiAnswer>;
}

/** 0 = the API did not answer (killed, restarting): the caller counts it and moves on. */
export function createApiClient(baseUrl: string, crmSecret: string, timeoutMs = 30_000): ApiClient {
  const send = async (
    method: string,
    path: string,
    headers: Record<string, string>,
    payload?: string,
  ): Promise<ApiAnswer> => {
    try {
      const res = await fetch(`${baseUrl}${path}`, {
        method,
        headers,
        body: payload,
        signal: AbortSignal.timeout(timeoutMs),
      });
      const text = await res.text();
      let body: unknown = text;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        // not JSON (a PDF, a plain error): keep the text
      }
      return { status: res.status, body };
    } catch (error) {
      return { status: 0, body: error instanceof Error ? error.message : String(error) };
    }
  };
  return {
    request: (method, path, key, body) =>
      send(
        method,
        path,
        { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body === undefined ? undefined : JSON.stringify(body),
      ),
    postEvent(event) {
      const raw = JSON.stringify(event);
      const ts = Math.floor(Date.now() / 1000);
      return send(
        'POST',
        '/v1/events/closed-won',
        {
          'content-type': 'application/json',
          [TIMESTAMP_HEADER]: String(ts),
          [SIGNATURE_HEADER]: sign(crmSecret, ts, raw),
        },
        raw,
      );
    },
  };
}
