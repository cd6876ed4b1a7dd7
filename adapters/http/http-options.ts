/**
 * The settings of one outside system's HTTP connection, checked when the client is built: a RangeError
 * names the setting that is unusable, never echoing a secret.
 */

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

export function parseBaseUrl(system: string, baseUrl: string): string {
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

export function authorizationHeader(system: string, options: HttpOptions): string | undefined {
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
