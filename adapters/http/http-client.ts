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
import { authorizationHeader, parseBaseUrl, type HttpOptions } from './http-options';

export type { HttpOptions };

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

/** The fields of `value` a request sends, in this order: a body names what the API documents, nothing more. */
export function fields<T extends object, K extends keyof T>(value: T, ...keys: K[]): Pick<T, K> {
  const body = {} as Pick<T, K>;
  for (const key of keys) body[key] = value[key];
  return body;
}

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
    const exchange: Exchange = { system, target, where: `${system} ${target}`, redact };
    const url = base + call.path + queryString(call.query);

    const headers: Record<string, string> = { accept: 'application/json', 'user-agent': USER_AGENT };
    if (authorization) headers.authorization = authorization;
    if (isWrite) headers['idempotency-key'] = call.idempotencyKey!;
    if (call.body !== undefined) headers['content-type'] = 'application/json';

    const { status, text, redirectedTo } = await fetchAnswer(url, call, headers, timeoutMs, exchange);
    if (isRedirect(status)) throw redirectRefused(status, redirectedTo, exchange);
    if (status === 404 && isNotFoundAnAnswer) return undefined;
    if (status < 200 || status > 299) throw failedStatus(status, text, exchange);
    if (!call.response) return undefined;
    return parseBody(call.response, status, text, exchange);
  }

  return {
    system,
    request: async <T>(call: JsonCall<T>) => (await send(call, false)) as T,
    requestOrUndefined: (call) => send(call, true),
  };
}

/** One request as the messages name it, and the redaction of this client's secrets. */
interface Exchange {
  system: string;
  /** e.g. `POST /orders`, with its query string. */
  target: string;
  /** `system` and `target`: how every message starts. */
  where: string;
  redact: (text: string) => string;
}

/** Sends the request and reads the answer; no answer (network, timeout) is ExternalUnavailable. */
async function fetchAnswer(
  url: string,
  call: JsonCall<unknown>,
  headers: Record<string, string>,
  timeoutMs: number,
  { system, where, redact }: Exchange,
): Promise<{ status: number; text: string; redirectedTo: string }> {
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

  return { status, text, redirectedTo };
}

/** A redirect is refused rather than followed: credentials and the key stay with the configured address. */
function redirectRefused(status: number, redirectedTo: string, { system, target, where, redact }: Exchange): Error {
  const message = redact(
    `${where} answered ${status}, a redirect to ${redirectedTo}; redirects are not followed: set ${system}_URL to the final address`,
  );
  return ApplicationFailure.nonRetryable(message, FAILURES.ExternalRejected.type, {
    system,
    request: target,
    status,
  });
}

/** A non-2xx answer: retryable when the other system may answer differently later, else rejected. */
function failedStatus(status: number, text: string, { system, target, where, redact }: Exchange): Error {
  const excerpt = redact(bodyExcerpt(text));
  const message = `${where} answered ${status}${excerpt ? `: ${excerpt}` : ''}`;
  if (isRetryableStatus(status)) return new ExternalUnavailableError(message, system, status);
  return ApplicationFailure.nonRetryable(message, FAILURES.ExternalRejected.type, {
    system,
    request: target,
    status,
  });
}

/** The 2xx body, validated against the documented contract. */
function parseBody<T>(
  schema: z.ZodType<T>,
  status: number,
  text: string,
  { system, target, where, redact }: Exchange,
): T {
  let json: unknown;
  try {
    json = text.trim() === '' ? undefined : JSON.parse(text);
  } catch {
    throw badResponse(where, status, `body is not JSON: ${redact(bodyExcerpt(text))}`, system, target);
  }
  const parsed = schema.safeParse(json);
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
