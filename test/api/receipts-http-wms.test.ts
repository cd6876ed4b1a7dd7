/**
 * With ADAPTERS=http the API's receipts go to the configured WMS, like the worker's reservations: the
 * system as `npm run start:api` starts it, against a real local HTTP server standing in for the WMS.
 */
import http from 'node:http';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../lib/config';
import { createLogger } from '../../lib/logger';
import { freePort } from '../../runtime/ports';
import { startSystem, type RunningSystem } from '../../runtime/system';
import { createApiKey } from '../../api/auth/api-keys';
import { env, TEST_CRM_SECRET } from '../support/harness';

interface Seen {
  method: string;
  url: string;
  idempotencyKey: string | undefined;
  authorization: string | undefined;
}

let system: RunningSystem | undefined;
let wms: http.Server | undefined;
let key: string;
const seen: Seen[] = [];

/** The stand-in WMS knows one receipt; any other answers 404, as a WMS does for an id it never scheduled. */
const KNOWN_RECEIPT = 'RCPT-REMOTE-1';

beforeAll(async () => {
  wms = http.createServer((req, res) => {
    seen.push({
      method: req.method!,
      url: req.url!,
      idempotencyKey: req.headers['idempotency-key'] as string | undefined,
      authorization: req.headers.authorization,
    });
    if (req.url !== `/api/receipts/${KNOWN_RECEIPT}/receive`)
      return void res
        .writeHead(404, { 'content-type': 'application/json' })
        .end(JSON.stringify({ error: 'no such receipt' }));
    res
      .writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify({ sku: 'SKU-REMOTE', warehouseId: 'WH-REMOTE', quantity: 12, waitingOrderIds: [] }));
  });
  const wmsPort = await freePort();
  await new Promise<void>((r) => wms!.listen(wmsPort, '127.0.0.1', r));
  const remote = `http://127.0.0.1:${wmsPort}/api`;
  const apiPort = await freePort();
  const config = loadConfig(
    {
      ADAPTERS: 'http',
      ERP_URL: remote,
      WMS_URL: remote,
      WMS_TOKEN: 'wms-test-token',
      TMS_URL: remote,
      CRM_URL: remote,
      TEMPORAL_ADDRESS: env('CLOSEDLOOP_TEST_TEMPORAL_ADDRESS'),
      DATABASE_URL: env('CLOSEDLOOP_TEST_DATABASE_URL'),
      SMTP_URL: 'smtp://127.0.0.1:2525',
      CRM_WEBHOOK_SECRET: TEST_CRM_SECRET,
      API_PORT: String(apiPort),
      DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'closedloop-receipts-')),
      LOG_LEVEL: 'silent',
    },
    { requireExternalServices: true },
  );
  system = await startSystem({ config, log: createLogger('silent'), runApi: true, runWorker: false });
  ({ key } = await createApiKey(system.db, 'receipts-http-wms', 'ops'));
});

afterAll(async () => {
  await system?.stop();
  await new Promise((r) => (wms ? wms.close(r) : r(undefined)));
});

const postReceipt = (receiptId: string) =>
  fetch(`${system!.apiUrl}/v1/receipts`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ receiptId }),
  });

describe('POST /v1/receipts with ADAPTERS=http', () => {
  it('books the receipt in the HTTP WMS, not in the built-in one', async () => {
    seen.length = 0;
    const res = await postReceipt(KNOWN_RECEIPT);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      receiptId: KNOWN_RECEIPT,
      sku: 'SKU-REMOTE',
      warehouseId: 'WH-REMOTE',
      quantity: 12,
      notifiedOrders: [],
      failedOrders: [],
    });
    expect(seen).toEqual([
      {
        method: 'POST',
        url: `/api/receipts/${KNOWN_RECEIPT}/receive`,
        idempotencyKey: `receive:${KNOWN_RECEIPT}`,
        authorization: 'Bearer wms-test-token',
      },
    ]);
  });

  it('answers 404 naming the receipt the HTTP WMS does not know, as the built-in WMS does (not 500)', async () => {
    const res = await postReceipt('RCPT-REMOTE-NOPE');
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({
      status: 404,
      detail: expect.stringContaining('no scheduled receipt RCPT-REMOTE-NOPE'),
    });
  });
});
