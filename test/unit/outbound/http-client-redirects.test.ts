/**
 * The HTTP adapters' client against real local servers: a redirect is refused (the credentials and
 * the Idempotency-Key never reach its target), and an error body is read only up to a cap.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApplicationFailure } from '@temporalio/activity';
import { createJsonClient } from '../../../adapters/http/http-client';
import { ERROR_BODY_MAX_BYTES } from '../../../lib/outbound-http';

const TOKEN = 'tok-SECRET-redirect-1';

interface Seen {
  url: string;
  headers: http.IncomingHttpHeaders;
}

async function listen(handler: http.RequestListener): Promise<{ server: http.Server; url: string }> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

let target: { server: http.Server; url: string };
let origin: { server: http.Server; url: string };
let targetSeen: Seen[];
let originSeen: Seen[];
/** Set by the endless-body route once the client has hung up. */
let endlessClosed: Promise<number>;

beforeAll(async () => {
  target = await listen((req, res) => {
    targetSeen.push({ url: req.url!, headers: req.headers });
    req.resume();
    res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
  origin = await listen((req, res) => {
    originSeen.push({ url: req.url!, headers: req.headers });
    req.resume();
    if (req.url === '/api/cross') return void res.writeHead(307, { location: `${target.url}/steal?token=x` }).end();
    if (req.url === '/api/same') return void res.writeHead(308, { location: '/api/landing' }).end();
    if (req.url === '/api/landing') return void res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    if (req.url === '/api/endless') {
      res.writeHead(400, { 'content-type': 'text/plain' });
      let sent = 0;
      const chunk = 'x'.repeat(1024);
      const timer = setInterval(() => {
        res.write(chunk);
        sent += chunk.length;
      }, 5);
      endlessClosed = new Promise((resolve) =>
        res.on('close', () => {
          clearInterval(timer);
          resolve(sent);
        }),
      );
      return;
    }
    res.writeHead(404).end();
  });
});

afterAll(async () => {
  for (const s of [target.server, origin.server]) {
    s.closeAllConnections();
    await new Promise((resolve) => s.close(resolve));
  }
});

beforeEach(() => {
  targetSeen = [];
  originSeen = [];
});

async function failureOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a failure, got success');
}

const client = (timeoutMs = 5_000) =>
  createJsonClient('ERP', { baseUrl: `${origin.url}/api`, token: TOKEN, timeoutMs });
const write = (path: string) => ({
  method: 'POST' as const,
  path,
  body: { order: 'o-1' },
  idempotencyKey: 'idem-key-1',
});

describe('redirects', () => {
  it.each(['/cross', '/same'])(
    'refuses a redirect (%s) as ExternalRejected naming the status, and sends nothing to its target',
    async (path) => {
      const failure = await failureOf(client().request(write(path)));
      expect(failure).toBeInstanceOf(ApplicationFailure);
      expect((failure as ApplicationFailure).type).toBe('ExternalRejected');
      expect((failure as ApplicationFailure).nonRetryable).toBe(true);
      expect(failure.message).toMatch(
        /answered 30[78], a redirect to http:\/\/127\.0\.0\.1:\d+\/(steal|api\/landing); redirects are not followed: set ERP_URL/,
      );
      expect(failure.message).not.toContain('token=x');
      expect(targetSeen).toEqual([]);
      expect(originSeen.map((r) => r.url)).toEqual([`/api${path}`]);
    },
  );
});

describe('error bodies', () => {
  it(`reads at most ${ERROR_BODY_MAX_BYTES} bytes of an error body, then hangs up`, async () => {
    const failure = await failureOf(client(10_000).request(write('/endless')));
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure.message).toMatch(/^ERP POST \/endless answered 400: x+\.\.\.$/);
    // The client hung up long before the body (endless) could end.
    const sent = await endlessClosed;
    expect(sent).toBeGreaterThanOrEqual(ERROR_BODY_MAX_BYTES);
  });
});
