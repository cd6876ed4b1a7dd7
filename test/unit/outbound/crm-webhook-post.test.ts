/**
 * One signed milestone POST of the CRM webhook relay against real local servers: signed with the
 * outbound secret, a redirect is a failed attempt (its target never sees the signed body), and an
 * error body is read only up to a cap.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { postSigned } from '../../../api/crm-webhook-relay';
import { checkSignature } from '../../../api/auth/signature';
import { ERROR_BODY_MAX_BYTES } from '../../../lib/outbound-http';

const OUTBOUND = 'outbound-secret-0123456789';

interface Seen {
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

async function listen(handler: (req: http.IncomingMessage, res: http.ServerResponse, body: string) => void) {
  const seen: Seen[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      seen.push({ url: req.url!, headers: req.headers, body });
      handler(req, res, body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, seen, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

let target: Awaited<ReturnType<typeof listen>>;
let crm: Awaited<ReturnType<typeof listen>>;
let endlessClosed: Promise<number>;

beforeAll(async () => {
  target = await listen((_req, res) => void res.writeHead(200).end());
  crm = await listen((req, res) => {
    if (req.url === '/ok') return void res.writeHead(204).end();
    if (req.url === '/moved') return void res.writeHead(307, { location: `${target.url}/collect` }).end();
    if (req.url === '/endless') {
      res.writeHead(503, { 'content-type': 'text/plain' });
      let sent = 0;
      const timer = setInterval(() => {
        res.write('y'.repeat(1024));
        sent += 1024;
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
  for (const s of [target.server, crm.server]) {
    s.closeAllConnections();
    await new Promise((resolve) => s.close(resolve));
  }
});

beforeEach(() => {
  target.seen.length = 0;
  crm.seen.length = 0;
});

const post = (path: string) =>
  postSigned({
    url: `${crm.url}${path}`,
    secret: OUTBOUND,
    body: '{"milestone":"shipped"}',
    idempotencyKey: 'm-1',
    timeoutMs: 10_000,
  });

it('signs with the outbound secret and sends the Idempotency-Key', async () => {
  await expect(post('/ok')).resolves.toEqual({ statusCode: 204, error: null });
  const [request] = crm.seen;
  expect(request!.headers['idempotency-key']).toBe('m-1');
  const headers = {
    timestamp: request!.headers['x-closedloop-timestamp'] as string,
    signature: request!.headers['x-closedloop-signature'] as string,
  };
  expect(checkSignature(OUTBOUND, headers, request!.body)).toBeUndefined();
});

it('treats a redirect as a failed attempt naming the status; its target never gets the signed body', async () => {
  const result = await post('/moved');
  expect(result.statusCode).toBe(307);
  expect(result.error).toMatch(
    /^HTTP 307: a redirect to http:\/\/127\.0\.0\.1:\d+\/collect; redirects are not followed/,
  );
  expect(target.seen).toEqual([]);
});

it(`reads at most ${ERROR_BODY_MAX_BYTES} bytes of an error body and keeps a 200-character excerpt`, async () => {
  const result = await post('/endless');
  expect(result).toEqual({ statusCode: 503, error: `HTTP 503: ${'y'.repeat(200)}` });
  expect(await endlessClosed).toBeGreaterThanOrEqual(ERROR_BODY_MAX_BYTES);
});
