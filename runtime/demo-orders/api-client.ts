/**
 * The demo driver's HTTP client of this process's API: calls under the demo key, and reads repeated
 * until an order reaches a state. Stopping aborts every call and wait with `Stopped`.
 */

export class Stopped extends Error {}

// API answers are read as the documented JSON, untyped.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a few fields of each answer, checked where read
export type Json = any;

export interface DemoApiOptions {
  apiUrl: string;
  signal: AbortSignal;
  timeoutMs: number;
  pollMs: number;
}

export type DemoApi = ReturnType<typeof createDemoApi>;

export function createDemoApi({ apiUrl, signal, timeoutMs, pollMs }: DemoApiOptions) {
  let apiKey = '';
  const call = async (
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; body: Json }> => {
    if (signal.aborted) throw new Stopped();
    const res = await fetch(`${apiUrl}${path}`, {
      method,
      headers: {
        ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      body: typeof body === 'string' ? body : body === undefined ? undefined : JSON.stringify(body),
      signal,
    });
    const text = await res.text();
    let parsed: Json = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON: kept as text for the message
    }
    return { status: res.status, body: parsed };
  };
  const expectOk = async (method: 'GET' | 'POST', path: string, body?: unknown): Promise<Json> => {
    const res = await call(method, path, body);
    if (res.status >= 300)
      throw new Error(
        `${method} ${path} answered ${res.status}: ${typeof res.body === 'string' ? res.body : (res.body?.detail ?? res.body?.title ?? JSON.stringify(res.body))}`,
      );
    return res.body;
  };
  /**
   * Reads `read` until `isThere` holds; throws naming `what` (and the last failed read) after the time
   * limit. A read that fails (a return still being checked answers 409, a busy moment 503) is tried again.
   */
  const until = async <T>(what: string, read: () => Promise<T>, isThere: (value: T) => boolean): Promise<T> => {
    const deadline = Date.now() + timeoutMs;
    let lastError = '';
    for (;;) {
      try {
        const value = await read();
        if (isThere(value)) return value;
      } catch (error) {
        if (error instanceof Stopped || signal.aborted) throw new Stopped();
        lastError = error instanceof Error ? error.message : String(error);
      }
      if (Date.now() > deadline)
        throw new Error(
          `gave up waiting ${timeoutMs / 1000} s for ${what}${lastError ? ` (last read: ${lastError})` : ''}`,
        );
      await sleep(pollMs, signal);
    }
  };
  return {
    /** The demo key every later call is made under. */
    useKey: (key: string) => {
      apiKey = key;
    },
    call,
    expectOk,
    until,
    order: (orderId: string) => expectOk('GET', `/v1/orders/${orderId}`),
  };
}

/** Waits `ms`, or rejects with Stopped as soon as the run is stopped. */
const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(new Stopped());
      },
      { once: true },
    );
  });

/** A step of a run's state, by name. */
export const stepOf = (view: Json, name: string): Json => view?.workflow?.steps?.find((s: Json) => s.name === name);
