/**
 * Nothing a client sends produces a 5xx: every route in the app's own route table (as
 * access-rules.test.ts enumerates it) gets malformed input with a valid key of a role it admits (bad
 * ids, garbage, oversized and mistyped JSON, bad query strings and cursors) and answers a 4xx, or a
 * 2xx where the input happens to be acceptable, never a 5xx. A route added later is covered by
 * construction.
 */
import type { InjectOptions } from 'fastify';
import { startHarness, type Harness } from '../support/harness';
import type { Role } from '../../api/auth/api-keys';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

const LONG = 'x'.repeat(5000);

/** Path parameter values: each route gets every one in every parameter. */
const BAD_IDS = [
  '%00',
  '%E0%A4%A',
  '..%2F..%2Fetc',
  encodeURIComponent(LONG),
  encodeURIComponent("x' OR '1'='1"),
  '%F0%9F%92%A5',
  encodeURIComponent('a%_\\'),
  '-1',
  '1e309',
];

/** Query strings; cursors as the lists hand them out are base64url JSON, so also well-formed base64 of bad JSON. */
const b64 = (text: string) => Buffer.from(text).toString('base64url');
const BAD_QUERIES = [
  'cursor=garbage',
  'cursor=%00',
  `cursor=${b64('{"at":"not a date","id":"x"}')}`,
  `cursor=${b64('[1,2,3]')}`,
  `cursor=${b64('{"id":99999999999999999999999}')}`,
  `cursor=${b64('{"at":"2026-13-45T99:99:99Z","id":"\u0000"}')}`,
  `cursor=${encodeURIComponent(LONG)}`,
  'cursor=&cursor=x',
  'limit=-1',
  'limit=abc',
  'limit=1e309',
  'limit=99999999999999999999',
  'limit[]=1',
  'from=not-a-date',
  'to=2026-02-30',
  'from=9999-99-99&to=0000-00-00',
  'status=%00',
  'status[]=a&status[]=b',
  'q=%00',
  `q=${encodeURIComponent(LONG)}`,
  'week=2026-W99',
  'period=bad',
  'step=%00',
  'role=nobody',
  'sku=%00',
];

/** Bodies: raw text sent as JSON, and JSON values of the wrong shape. */
const GARBAGE_BODIES = [
  '{"a":',
  'not json',
  '\u0000',
  '[',
  '{"__proto__":{"polluted":true}}',
  '{"constructor":{"prototype":{"x":1}}}',
  JSON.stringify({ big: 'x'.repeat(2 * 1024 * 1024) }),
];
const WRONG_TYPES: unknown[] = [
  [],
  'a string',
  42,
  true,
  {
    reason: 123,
    amountMinor: 'ten',
    receivedDate: 5,
    reference: {},
    lines: 'none',
    quantity: '1',
    decision: [],
    shipTo: 'x',
    shipmentId: 7,
    step: null,
  },
  {
    reason: '\u0000',
    amountMinor: Number.POSITIVE_INFINITY,
    receivedDate: '2026-02-30',
    reference: LONG,
    lines: [{}],
    quantity: -1,
    decision: 'maybe',
    dryRun: 'yes',
  },
  {
    amountMinor: Number.MAX_SAFE_INTEGER * 4,
    lines: [{ lineNo: 'a', sku: null, quantity: 1.5 }],
    items: [{ lineNo: -1, quantity: 1e20 }],
  },
  JSON.parse('{"a":' + '{"a":'.repeat(500) + '1' + '}'.repeat(501)) as unknown,
];

const concrete = (url: string, id: string) => url.replace(/:([A-Za-z]+)/g, () => id).replace('*', 'index.html');

describe('malformed input', () => {
  it('never gets a 5xx from any route, with a key the route admits', async () => {
    const keys = new Map<Role, string>();
    const keyFor = async (role: Role) => keys.get(role) ?? keys.set(role, await h.apiKey(role)).get(role)!;
    const failures: string[] = [];
    let sent = 0;

    for (const route of h.rawApp.routeAccess) {
      if (!route.url.startsWith('/v1')) continue;
      const isSigned = route.auth === 'signature';
      if (!isSigned && typeof route.auth !== 'object') continue;
      const role: Role =
        typeof route.auth === 'object' ? (route.auth.roles.find((r) => r !== 'admin') ?? 'admin') : 'admin';
      const authorization = isSigned ? undefined : `Bearer ${await keyFor(role)}`;
      // The signed webhook goes through h.app, which signs whatever payload it is given.
      const send = async (options: InjectOptions & { url: string }) => {
        sent += 1;
        const res = isSigned
          ? await h.app.inject(options)
          : await h.rawApp.inject({ ...options, headers: { ...(options.headers as object), authorization } });
        if (res.statusCode >= 500)
          failures.push(
            `${res.statusCode} ${options.method} ${options.url.slice(0, 120)} ${String(options.payload ?? '').slice(0, 80)}: ${res.body.slice(0, 200)}`,
          );
      };
      const method = route.method as 'GET';
      const hasBody = method !== 'GET' && method !== 'DELETE' && (method as string) !== 'HEAD';
      const wellFormedUrl = concrete(route.url, 'x-missing');

      for (const id of route.url.includes(':') ? BAD_IDS : []) {
        await send({ method, url: concrete(route.url, id), ...(hasBody ? { payload: {} } : {}) });
      }
      for (const query of BAD_QUERIES) {
        await send({ method, url: `${wellFormedUrl}?${query}`, ...(hasBody ? { payload: {} } : {}) });
      }
      if (!hasBody) continue;
      for (const raw of GARBAGE_BODIES) {
        await send({ method, url: wellFormedUrl, payload: raw, headers: { 'content-type': 'application/json' } });
      }
      for (const value of WRONG_TYPES) {
        await send({
          method,
          url: wellFormedUrl,
          payload: JSON.stringify(value),
          headers: { 'content-type': 'application/json' },
        });
      }
      await send({
        method,
        url: wellFormedUrl,
        payload: 'a=1',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      await send({
        method,
        url: wellFormedUrl,
        payload: '{}',
        headers: { 'content-type': 'application/json; charset=latin-7' },
      });
    }

    expect(failures).toEqual([]);
    expect(sent).toBeGreaterThan(1000);
  }, 600_000);
});
