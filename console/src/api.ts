/**
 * The console's only way to the server: the public /v1 API with the user's key. The key lives in
 * sessionStorage (gone when the tab closes), is sent only in the Authorization header and never goes
 * into a URL, a log or an error message. Errors are problem+json documents, kept whole so a screen can
 * show the API's reason verbatim.
 */
const KEY_STORAGE = 'closedloop.apiKey';
const SIGNED_OUT_EVENT = 'closedloop:signed-out';

export const session = {
  key(): string | null {
    return sessionStorage.getItem(KEY_STORAGE);
  },
  signIn(key: string): void {
    sessionStorage.setItem(KEY_STORAGE, key.trim());
  },
  signOut(): void {
    sessionStorage.removeItem(KEY_STORAGE);
    window.dispatchEvent(new Event(SIGNED_OUT_EVENT));
  },
  onSignOut(listener: () => void): () => void {
    window.addEventListener(SIGNED_OUT_EVENT, listener);
    return () => window.removeEventListener(SIGNED_OUT_EVENT, listener);
  },
};

/** RFC 9457 problem details as the API sends them (api/problems.ts). */
export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  instance?: string;
  errors?: { field: string; message: string }[];
  [extra: string]: unknown;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem,
  ) {
    super(problem.detail ?? problem.title ?? `HTTP ${status}`);
    this.name = 'ApiError';
  }
}

/** Error shown to a person: the problem's detail (or title) verbatim, else the network failure. */
export function describeError(error: unknown): { title: string; detail: string } {
  if (error instanceof ApiError) {
    return {
      title: error.problem.title ?? `HTTP ${error.status}`,
      detail: error.problem.detail ?? error.problem.title ?? `HTTP ${error.status}`,
    };
  }
  if (error instanceof TypeError)
    return {
      title: 'Cannot reach the API',
      detail: 'The request did not reach the server. Check that closedloop is running.',
    };
  return { title: 'Unexpected error', detail: error instanceof Error ? error.message : String(error) };
}

export type Query = Record<string, string | number | boolean | undefined | null>;

export function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    params.set(name, String(value));
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  query?: Query;
  body?: unknown;
  signal?: AbortSignal;
  /** `blob` for documents (PDF, CSV) fetched with the key. */
  as?: 'json' | 'blob' | 'text';
  /** Defaults to the signed-in key; the login screen checks a key before keeping it. */
  key?: string;
}

/** Calls `/v1${path}`; throws ApiError with the problem document on any non-2xx answer. */
export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const key = options.key ?? session.key();
  const headers: Record<string, string> = {
    accept: options.as === 'blob' ? '*/*' : 'application/json, application/problem+json',
  };
  if (key) headers.authorization = `Bearer ${key}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(withQuery(`/v1${path}`, options.query), {
    method: options.method ?? 'GET',
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    signal: options.signal,
    credentials: 'omit',
    cache: 'no-store',
  });
  if (!response.ok) {
    let problem: Problem;
    try {
      problem = (await response.json()) as Problem;
    } catch {
      problem = { status: response.status, title: response.statusText || `HTTP ${response.status}` };
    }
    // A key that stopped working (revoked, mistyped) sends the user back to the login screen.
    if (response.status === 401 && options.key === undefined) session.signOut();
    throw new ApiError(response.status, problem);
  }
  if (options.as === 'blob') return (await response.blob()) as T;
  if (options.as === 'text') return (await response.text()) as T;
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

export const post = <T>(path: string, body: unknown = {}) => api<T>(path, { method: 'POST', body });
export const patch = <T>(path: string, body: unknown = {}) => api<T>(path, { method: 'PATCH', body });

/** A page as every list route answers it (api/pagination.ts). */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
