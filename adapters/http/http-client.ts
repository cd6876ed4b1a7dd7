/**
 * The one JSON-over-HTTP client the HTTP adapters share, on Node's global `fetch`.
 *
 * What it promises to a Temporal activity:
 * - every write (anything but GET) carries the caller's `Idempotency-Key`, so a retried activity
 *   repeats the same request and the other system answers it once;
 * - a failure is classified once, here: no answer, a timeout, 5xx, 408, 409 or 429 throw a plain
 *   `ExternalUnavailableError` (Temporal retries it with the step's policy); any other 4xx throws a
 *   non-retryable `ApplicationFailure` of type `ExternalRejected` (the same request will be refused
 *   again: the step parks in needs_attention for ops); a 2xx body that breaks the documented contract
 *   throws a non-retryable `ExternalBadResponse`;
 * - a 404 is not classified: `requestOrUndefined` hands it to the caller, which knows whether absence
 *   is an answer (no such customer) or a fault;
 * - credentials (token, password, the Basic header) never reach a message, even when the other
 *   system echoes them in its error body;
 * - a redirect is not followed: it fails as `ExternalRejected` naming the status, so neither the
 *   credentials nor the Idempotency-Key travel to another address (lib/outbound-http.ts); of an error
 *   answer only the first few KB are read.
 */
import { ApplicationFailure } from '@temporalio/activity';
import { FAILURES } from '../../domain/failures';
import type { z } from 'zod';
import { isRedirect, readTextCapped, redirectTarget } from '../../lib/outbound-http';

export interface HttpOptions {
  /** e.g. `https://erp.example.com/api/v1`; the endpoint paths documented by each adapter are appended. */
  baseUrl: string;
  /** Sent as `Authorization: Bearer <token>`. */
  token?: string;
  /** With `password`: sent as `Authorization: Basic ...`. */
  username?: string;
  password?: string;
  /** Per request, the whole exchange including the body; default 10 000 ms. */
  timeoutMs?: number;
}

/** Retryable: the other system did not answer, or answered "not now". Temporal retries the activity. */
export class ExternalUnavailableError extends Error {
  constructor(
    message: string,
    readonly system: string,
    readonly status: number | undefined,
  ) {
    super(message);
    this.name = 'ExternalUnavailable';
  }
}

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface JsonCall<T> {
  method: HttpMethod;
  /** Starts with `/`; ids are already percent-encoded by the caller (see `segment`). */
  path: string;
  /** Repeated keys for lists: `{ sku: ['A', 'B'] }` becomes `?sku=A&sku=B`. */
  query?: Record<string, string | string[]>;
  body?: unknown;
  /** Required on every write; derived by the caller from workflow id + step. */
  idempotencyKey?: string;
  /** Validates the 2xx body; omit when the answer carries nothing we use (the body is then not read). */
  response?: z.ZodType<T>;
}

export interface JsonClient {
  readonly system: string;
  /** The validated 2xx body; a 404 rejects as `ExternalRejected`. */
  request<T = void>(call: JsonCall<T>): Promise<T>;
  /** Same, but a 404 resolves `undefined`: the caller decides what absence means. */
  requestOrUndefined<T = void>(call: JsonCall<T>): Promise<T | undefined>;
}

export const DEFAULT_TIMEOUT_MS = 10_000;
const USER_AGENT = 'closedloop';
const EXCERPT_CHARS = 200;

/** Percent-encodes one path segment (an id may contain `/`, `?` or spaces). */
export const segment = (value: string): string => encodeURIComponent(value);

/** Retrying cannot change these answers except for the ones listed: not now (408, 429), in flight (409). */
function isRetryableStatus(status: number): boolean {
  // 409: an idempotent server answers it while the first request with the same key is still running;
  // the retry then gets the stored result. 408 is the server's own timeout.
  return status >= 500 || status === 408 || status === 409 || status === 429;
}

/**
 * Builds a client for one outside system. `system` names it in every message ("ERP", "WMS").
 * Throws a RangeError naming the setting when the options are unusable (never echoing a secret).
 */
export function createJsonClient(system: string, options: HttpOptions): JsonClient {
  const base = parseBaseUrl(system, options.baseUrl);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (!Number.isSafeInteger(timeoutMs) || timeoutMs <= 0) {
    throw new RangeError(`${system} http.timeoutMs must be a whole number of milliseconds > 0 (got ${timeoutMs})`);
  }
  const authorization = authorizationHeader(system, options);
  const secrets = [options.token, options.password, authorization?.replace(/^\w+ /, '')].filter(
    (s): s is string => typeof s === 'string' && s.length > 0,
  );
  const redact = (text: string): string => secrets.reduce((out, secret) => out.split(secret).join('[redacted]'), text);

  async function send<T>(call: JsonCall<T>, isNotFoundAnAnswer: boolean): Promise<T | undefined> {
    const isWrite = call.method !== 'GET';
    if (isWrite && !call.idempotencyKey) {
      // A programming error, not an outside failure: a write without a key could take effect twice.
      throw new TypeError(`${system} ${call.method} ${call.path}: a write needs an idempotency key`);
    }
    const target = `${call.method} ${call.path}${queryString(call.query)}`;
    const where = `${system} ${target}`;
    const url = base + call.path + queryString(call.query);

    const headers: Record<string, string> = { accept: 'application/json', 'user-agent': USER_AGENT };
    if (authorization) headers.authorization = authorization;
    if (isWrite) headers['idempotency-key'] = call.idempotencyKey!;
    if (call.body !== undefined) headers['content-type'] = 'application/json';

    let status: number;
    let text: string;
    let redirectedTo = '';
    try {
      // The signal bounds the whole exchange, body included: a server that stalls mid-body times out too.
      const response = await fetch(url, {
        method: call.method,
        headers,
        body: call.body === undefined ? undefined : JSON.stringify(call.body),
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
      });
      status = response.status;
      if (isRedirect(status)) redirectedTo = redirectTarget(response);
      text = status >= 200 && status <= 299 ? await response.text() : await readTextCapped(response);
    } catch (error) {
      throw new ExternalUnavailableError(
        redact(`${where}: ${describeTransportError(error, timeoutMs)}`),
        system,
        undefined,
      );
    }

    if (isRedirect(status)) {
      const message = redact(
        `${where} answered ${status}, a redirect to ${redirectedTo}; redirects are not followed: set ${system}_URL to the final address`,
      );
      throw ApplicationFailure.nonRetryable(message, FAILURES.ExternalRejected.type, {
        system,
        request: target,
        status,
      });
    }
    if (status === 404 && isNotFoundAnAnswer) return undefined;
    if (status < 200 || status > 299) {
      const excerpt = redact(bodyExcerpt(text));
      const message = `${where} answered ${status}${excerpt ? `: ${excerpt}` : ''}`;
      if (isRetryableStatus(status)) throw new ExternalUnavailableError(message, system, status);
      throw ApplicationFailure.nonRetryable(message, FAILURES.ExternalRejected.type, {
        system,
        request: target,
        status,
      });
    }
    if (!call.response) return undefined;

    let json: unknown;
    try {
      json = text.trim() === '' ? undefined : JSON.parse(text);
    } catch {
      throw badResponse(where, status, `body is not JSON: ${redact(bodyExcerpt(text))}`, system, target);
    }
    const parsed = call.response.safeParse(json);
    if (!parsed.success) {
      const problems = parsed.error.issues
        .slice(0, 3)
        .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : 'body'}: ${issue.message}`)
        .join('; ');
      throw badResponse(
        where,
        status,
        `body does not match the documented contract (${redact(problems)})`,
        system,
        target,
      );
    }
    return parsed.data;
  }

  return {
    system,
    request: async <T>(call: JsonCall<T>) => (await send(call, false)) as T,
    requestOrUndefined: (call) => send(call, true),
  };
}

function badResponse(where: string, status: number, what: string, system: string, request: string): ApplicationFailure {
  return ApplicationFailure.nonRetryable(
    `${where} answered ${status}, but the ${what}`,
    FAILURES.ExternalBadResponse.type,
    {
      system,
      request,
      status,
    },
  );
}

function parseBaseUrl(system: string, baseUrl: string): string {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new RangeError(`${system} http.baseUrl must be an absolute http(s) URL (got ${JSON.stringify(baseUrl)})`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new RangeError(`${system} http.baseUrl must start with http:// or https:// (got ${url.protocol}//...)`);
  }
  if (url.username || url.password) {
    // fetch refuses such URLs anyway, and a URL is exactly what ends up in logs: credentials go in options.
    throw new RangeError(
      `${system} http.baseUrl must not contain credentials; set the token or username/password instead`,
    );
  }
  if (url.search || url.hash) {
    throw new RangeError(
      `${system} http.baseUrl must not contain a query or fragment (got ${url.origin}${url.pathname}${url.search}${url.hash})`,
    );
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

function authorizationHeader(system: string, options: HttpOptions): string | undefined {
  const hasBasic = options.username !== undefined || options.password !== undefined;
  if (options.token !== undefined && hasBasic) {
    throw new RangeError(`${system} http: set either a token or username/password, not both`);
  }
  if (options.token !== undefined) {
    if (options.token === '') throw new RangeError(`${system} http.token must not be empty`);
    return `Bearer ${options.token}`;
  }
  if (hasBasic) {
    if (!options.username || options.password === undefined) {
      throw new RangeError(`${system} http: username and password go together (one of them is missing)`);
    }
    if (options.username.includes(':'))
      throw new RangeError(`${system} http.username must not contain ':' (Basic auth separator)`);
    return `Basic ${Buffer.from(`${options.username}:${options.password}`).toString('base64')}`;
  }
  return undefined;
}

function queryString(query: JsonCall<unknown>['query']): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    for (const v of Array.isArray(value) ? value : [value]) params.append(key, v);
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

function bodyExcerpt(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > EXCERPT_CHARS ? `${flat.slice(0, EXCERPT_CHARS)}...` : flat;
}

function describeTransportError(error: unknown, timeoutMs: number): string {
  // Duck-typed, not instanceof: fetch's errors may come from another realm (undici, a test sandbox).
  const name = errorField(error, 'name');
  if (name === 'TimeoutError' || name === 'AbortError') return `no answer within ${timeoutMs} ms (timeout)`;
  // undici reports "fetch failed" and puts the reason (ECONNREFUSED host:port, a TLS error) in `cause`.
  const cause = typeof error === 'object' && error !== null && 'cause' in error ? error.cause : undefined;
  const code = errorField(cause, 'code');
  const reason = errorField(cause, 'message') ?? errorField(error, 'message') ?? String(error);
  return `network error (${code && !reason.includes(code) ? `${code} ` : ''}${reason})`;
}

function errorField(error: unknown, field: 'name' | 'code' | 'message'): string | undefined {
  if (typeof error !== 'object' || error === null || !(field in error)) return undefined;
  const value = (error as Record<string, unknown>)[field];
  return typeof value === 'string' ? value : undefined;
}
