/**
 * Every route, checked from the app's own route table: public ones answer without a key, every other
 * one refuses a request without a key (401) and a key whose role it does not admit (403), and only
 * health, docs and the console's static files (no data in them) are public.
 */
import { useHarness } from '../support/harness';
import { ROLES, type Role } from '../../api/auth/api-keys';

const h = useHarness();

const concrete = (url: string) =>
  url.replace(/:([A-Za-z]+)/g, (_, name: string) => `x-${name}`).replace('*', 'index.html');

describe('access rules', () => {
  it("makes only health, docs and the console's static files public, and the closed-won webhook signed", () => {
    const open = h.rawApp.routeAccess
      .filter((r) => r.auth === 'public' || r.url.startsWith('/docs') || r.url === '/openapi.json')
      .map((r) => r.url);
    // The console's files hold no data: it reads /v1 with the user's own key.
    expect(
      open.every(
        (url) =>
          ['/healthz', '/readyz', '/openapi.json'].includes(url) ||
          url.startsWith('/docs') ||
          url === '/console' ||
          url.startsWith('/console/'),
      ),
    ).toBe(true);
    expect(h.rawApp.routeAccess.filter((r) => r.auth === 'signature').map((r) => `${r.method} ${r.url}`)).toEqual([
      'POST /v1/events/closed-won',
    ]);
    expect(h.rawApp.routeAccess.filter((r) => r.auth === 'admin-only' && r.url.startsWith('/v1'))).toEqual([]); // every /v1 route declares its roles
  });

  it('answers 401 without a key and 403 for a role the route does not admit, on every /v1 route', async () => {
    const keys = Object.fromEntries(
      await Promise.all(ROLES.map(async (role) => [role, await h.apiKey(role)] as const)),
    ) as Record<Role, string>;
    const checked: string[] = [];
    for (const route of h.rawApp.routeAccess) {
      if (!route.url.startsWith('/v1') || typeof route.auth !== 'object') continue;
      const url = concrete(route.url);
      const payload = route.method === 'GET' ? undefined : {};
      const none = await h.rawApp.inject({ method: route.method as 'GET', url, payload });
      expect([route.method, route.url, none.statusCode]).toEqual([route.method, route.url, 401]);
      const outsider = ROLES.find(
        (role) => role !== 'admin' && !(route.auth as { roles: readonly Role[] }).roles.includes(role),
      );
      if (outsider) {
        const wrong = await h.rawApp.inject({
          method: route.method as 'GET',
          url,
          payload,
          headers: { authorization: `Bearer ${keys[outsider]}` },
        });
        expect([route.method, route.url, outsider, wrong.statusCode]).toEqual([route.method, route.url, outsider, 403]);
      }
      // admin passes authorization: whatever the answer is, it is not an auth refusal
      const admin = await h.rawApp.inject({
        method: route.method as 'GET',
        url,
        payload,
        headers: { authorization: `Bearer ${keys.admin}` },
      });
      expect([401, 403]).not.toContain(admin.statusCode);
      expect(admin.statusCode).toBeLessThan(500);
      checked.push(`${route.method} ${route.url}`);
    }
    expect(checked.length).toBeGreaterThan(30);
  });
});

describe('README role table', () => {
  it("is the app's own route table", () => {
    const { readFileSync } = jest.requireActual<typeof import('node:fs')>('node:fs');
    const { roleTable } = jest.requireActual<typeof import('../../api/auth/role-table')>('../../api/auth/role-table');
    const readme = readFileSync(require.resolve('../../README.md'), 'utf8');
    const documented = /<!-- roles:start -->\n([\s\S]*?)\n<!-- roles:end -->/.exec(readme)?.[1];
    const actual = roleTable(h.rawApp.routeAccess);
    // On a change of the rules, paste the table printed here between the README's roles markers.
    expect(documented).toBe(actual);
  });

  it('keeps the crm role to intake and the read-back: no invoices, PDFs, credit memos or ops reasons', () => {
    const crm = h.rawApp.routeAccess
      .filter((r) => typeof r.auth === 'object' && r.auth.roles.includes('crm'))
      .map((r) => `${r.method} ${r.url}`);
    for (const closed of [
      'GET /v1/invoices',
      'GET /v1/invoices/:invoiceId',
      'GET /v1/invoices/:invoiceId/pdf',
      'GET /v1/credit-memos',
      'GET /v1/orders/:orderId/timeline',
      'GET /v1/audit',
    ]) {
      expect(crm).not.toContain(closed);
    }
    expect(crm).toEqual(expect.arrayContaining(['GET /v1/orders/:orderId', 'GET /v1/customers/:customerId/orders']));
  });
});
