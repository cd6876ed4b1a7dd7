/**
 * Customer data encrypted in Temporal: an order runs on the real dev server with the payload codec on
 * (client, worker and API as `npm start` wires them with PAYLOAD_KEYS), and its recorded histories hold no
 * plaintext customer e-mail or name, while the API still reads the order and /v1/codec/* serves the
 * Temporal Web UI and CLI: round trip, 401 without a key, 403 for the crm role, CORS for one origin.
 * Failure messages and stack traces are encrypted too (they can quote customer data): an activity or a
 * workflow that fails with a customer's e-mail in its message leaves no plaintext in the history, while
 * the step mirror, the work queue, the client and the codec endpoint still read the message.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { resolveTemporalCli } from '../../runtime/temporal-cli';
import { Worker } from '@temporalio/worker';
import { temporal as proto } from '@temporalio/proto';
import type { Payload } from '@temporalio/common';
import { env, startHarness, type Harness } from '../support/harness';
import { realActivities, type RealActivities } from '../support/real-activities';
import { createFixture } from '../../fixtures/master-data';
import { placeOrder } from '../support/flows';
import { ENCRYPTED_ENCODING, KEY_ID_METADATA, PayloadEncryptionCodec, isEncrypted } from '../../lib/payload-encryption';
import { ApplicationFailure } from '@temporalio/common';
import type { StepInput } from '../../activities/contract';
import type { MailAdapter } from '../../adapters/mail/mail-adapter';
import { createLogger } from '../../lib/logger';
import { DEMO_SELLER } from '../../lib/config';
import { FAILURES } from '../../domain/failures';
import { orderIdForDeal } from '../../domain/closed-won';
import { stepOf } from '../support/flows';
import { createWorker } from '../../workers/worker';

const UI_ORIGIN = 'http://127.0.0.1:18233';
const codec = new PayloadEncryptionCodec([{ id: 'k-test', key: randomBytes(32) }]);
const tag = randomUUID().slice(0, 8);
const contact = { name: `Dana Whitfield ${tag}`, email: `dana.${tag}@private-buyer.example` };

/** Orders whose ERP step fails with a customer's e-mail in the message: retryable (stuck) or a business rejection. */
const stuckEmail = `lee.${tag}@private-buyer.example`;
const rejectedEmail = `kim.${tag}@private-buyer.example`;
const erpFails = new Map<string, () => Error>();
let real: RealActivities | undefined;
let mailForReal: MailAdapter | undefined;

let h: Harness;
let orderId: string;
let orderHistory: proto.api.history.v1.IHistory;
let shipmentHistory: proto.api.history.v1.IHistory;
let stuckOrderId: string;
let rejectedOrderId: string;

beforeAll(async () => {
  h = await startHarness({
    payloadCodec: codec,
    codecCorsOrigin: UI_ORIGIN,
    activityOverrides: {
      createErpOrder: async (input: StepInput) => {
        const failure = erpFails.get(input.run.orderId);
        if (failure) throw failure();
        return real!.createErpOrder(input);
      },
    },
  });
  ({ real, mail: mailForReal } = realActivities(h));
  const f = await createFixture(h.db);
  // Their own customer and stock: a stuck order holds its reservation, which must not short the order above.
  const failingFixture = await createFixture(h.db);
  const failing = async (fail: () => Error) => {
    const event = failingFixture.event();
    const id = orderIdForDeal(event.dealId);
    erpFails.set(id, fail);
    return placeOrder(h, failingFixture, { dealId: event.dealId });
  };
  stuckOrderId = await failing(
    () => new Error(`ERP refused ship-to contact ${stuckEmail}: mailbox unknown (injected)`),
  );
  rejectedOrderId = await failing(() =>
    ApplicationFailure.nonRetryable(
      `ship-to contact ${rejectedEmail} is on the denied-parties list (injected)`,
      FAILURES.OrderRejected.type,
    ),
  );
  orderId = await placeOrder(h, f, {
    customer: { ...f.event().customer, billingContact: contact, shippingContact: contact },
  });
  await h.waitForState(orderId, (s) => s.status === 'shipped');
  orderHistory = await h.temporal.workflow.getHandle(orderId).fetchHistory();
  shipmentHistory = await h.temporal.workflow.getHandle(`${orderId}-S1`).fetchHistory();
  await h.waitForState(stuckOrderId, (s) => stepOf(s, 'create-erp-order')?.status === 'needs_attention', 120_000);
  await h.waitForState(rejectedOrderId, (s) => s.status === 'rejected', 120_000);
}, 300_000);
afterAll(async () => {
  mailForReal?.close();
  await h?.stop();
});

/**
 * Every payload in a history (inputs, results, signals, updates, activity arguments, memos...) except
 * what the SDK's core writes itself and no codec sees: search attributes (Temporal indexes them; ours
 * hold ids and statuses only) and markers' bookkeeping (`data`: a local activity's sequence number and
 * type; `patch-data`: a patch id). A local activity's result (`result`) is ours and is encrypted.
 */
function payloadsOf(node: unknown, found: Payload[] = [], path: string[] = []): Payload[] {
  if (!node || typeof node !== 'object' || node instanceof Uint8Array) return found;
  const candidate = node as Payload;
  const detail = path.includes('markerRecordedEventAttributes') ? path[path.indexOf('details') + 1] : undefined;
  const isCoreBookkeeping = detail === 'data' || detail === 'patch-data';
  if (
    candidate.metadata &&
    typeof candidate.metadata === 'object' &&
    'encoding' in candidate.metadata &&
    !isCoreBookkeeping
  )
    found.push(candidate);
  for (const [key, value] of Object.entries(node))
    if (key !== 'searchAttributes') payloadsOf(value, found, [...path, key]);
  return found;
}

/** The history as Temporal stores and serves it: protobuf bytes. */
const rawBytes = (history: proto.api.history.v1.IHistory) =>
  Buffer.from(proto.api.history.v1.History.encode(history).finish());

const asJson = (p: Payload) => ({
  metadata: Object.fromEntries(
    Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')]),
  ),
  data: Buffer.from(p.data ?? new Uint8Array()).toString('base64'),
});
const fromJson = (p: { metadata: Record<string, string>; data?: string }): Payload => ({
  metadata: Object.fromEntries(Object.entries(p.metadata).map(([k, v]) => [k, Buffer.from(v, 'base64')])),
  data: Buffer.from(p.data ?? '', 'base64'),
});

describe('payload encryption on a real Temporal server', () => {
  it('stores no plaintext customer e-mail or name in the order and shipment histories', async () => {
    for (const history of [orderHistory, shipmentHistory]) {
      const bytes = rawBytes(history);
      for (const secret of [contact.email, contact.name, tag]) expect(bytes.includes(secret)).toBe(false);
      const payloads = payloadsOf(history);
      expect(payloads.length).toBeGreaterThan(5);
      // Every payload is encrypted under the configured key: none went out in the clear.
      expect(payloads.filter((p) => !isEncrypted(p))).toEqual([]);
      expect(new Set(payloads.map((p) => Buffer.from(p.metadata![KEY_ID_METADATA]!).toString()))).toEqual(
        new Set(['k-test']),
      );
    }
    // The data is there, only encrypted: decrypted, the order's input names the contact.
    const decoded = await codec.decode(payloadsOf(orderHistory));
    expect(
      decoded.some((p) =>
        Buffer.from(p.data ?? [])
          .toString('utf8')
          .includes(contact.email),
      ),
    ).toBe(true);
  });

  it('still lets the API read the order and its live workflow state', async () => {
    const res = await h.app.inject({ method: 'GET', url: `/v1/orders/${orderId}` });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ orderId, status: 'shipped', workflow: { id: orderId, status: 'shipped' } });
  });

  it('replays the encrypted history with the codec, and not without it', async () => {
    const bundle = { codePath: env('CLOSEDLOOP_TEST_WORKFLOW_BUNDLE') };
    const withCodec = Worker.runReplayHistories({ workflowBundle: bundle, dataConverter: { payloadCodecs: [codec] } }, [
      { workflowId: orderId, history: orderHistory },
    ]);
    for await (const result of withCodec) expect(result.error).toBeUndefined();
    const without = Worker.runReplayHistories({ workflowBundle: bundle }, [
      { workflowId: orderId, history: orderHistory },
    ]);
    for await (const result of without) expect(result.error).toBeDefined();
  });
});

/** Every failure in a history, at any depth (activity failures, their causes, update and workflow failures). */
function failuresOf(node: unknown, found: proto.api.failure.v1.IFailure[] = []): proto.api.failure.v1.IFailure[] {
  if (!node || typeof node !== 'object' || node instanceof Uint8Array) return found;
  for (const [key, value] of Object.entries(node)) {
    if ((key === 'failure' || key === 'cause') && value && typeof value === 'object')
      found.push(value as proto.api.failure.v1.IFailure);
    failuresOf(value, found);
  }
  return found;
}

describe('failure messages with payload encryption on', () => {
  it.each([
    ['an activity failure that parks the step for ops', () => stuckOrderId, () => stuckEmail],
    ['a business rejection', () => rejectedOrderId, () => rejectedEmail],
  ])('stores no plaintext message or stack trace for %s', async (_, id, email) => {
    const history = await h.temporal.workflow.getHandle(id()).fetchHistory();
    const failures = failuresOf(history);
    expect(failures.length).toBeGreaterThan(0);
    expect(rawBytes(history).includes(email())).toBe(false);
    expect(rawBytes(history).includes('(injected)')).toBe(false);
    // Message and stack trace moved into an encrypted payload: what stays in the clear says nothing.
    for (const failure of failures) {
      expect([failure.message, failure.stackTrace ?? '']).toEqual(['Encoded failure', '']);
      expect(isEncrypted(failure.encodedAttributes!)).toBe(true);
    }
  });

  it('still shows the readable message in the step mirror, the order page and the work queue', async () => {
    const page = (await h.app.inject({ method: 'GET', url: `/v1/orders/${stuckOrderId}` })).json();
    expect(stepOf(page.workflow, 'create-erp-order')).toMatchObject({
      status: 'needs_attention',
      lastError: expect.stringContaining(stuckEmail),
    });
    const mirrored = await h.db.stepEvent.findFirst({
      where: { workflowId: stuckOrderId, toStatus: 'needs_attention' },
    });
    expect(mirrored?.error).toContain(stuckEmail);
    const queue = (
      await h.app.inject({
        method: 'GET',
        url: '/v1/work-queue',
        headers: { authorization: `Bearer ${await h.apiKey('ops')}` },
      })
    ).json();
    const items = queue.sections.find((s: { key: string }) => s.key === 'needs_attention').items as {
      title: string;
      detail: string;
    }[];
    expect(items.find((i) => i.title.startsWith(`${stuckOrderId}:`))?.detail).toContain(stuckEmail);
    const rejected = await h.db.stepEvent.findFirst({ where: { workflowId: rejectedOrderId, toStatus: 'failed' } });
    expect(rejected?.error).toContain(rejectedEmail);
  });

  it("decodes a failure's message through the codec endpoint, as the Temporal Web UI and CLI read it", async () => {
    const history = await h.temporal.workflow.getHandle(stuckOrderId).fetchHistory();
    const [failure] = failuresOf(history);
    const res = await h.rawApp.inject({
      method: 'POST',
      url: '/v1/codec/decode',
      payload: { payloads: [asJson(failure!.encodedAttributes!)] },
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await h.apiKey('ops')}` },
    });
    expect(res.statusCode).toBe(200);
    const attributes = JSON.parse(Buffer.from(res.json().payloads[0].data, 'base64').toString('utf8'));
    expect(attributes).toMatchObject({ message: expect.stringContaining(stuckEmail), stack_trace: expect.any(String) });
  });

  it('encodes a failure raised by workflow code too (converter in the bundle), and the client reads it back', async () => {
    // A dunning policy the invoice workflow refuses, quoting the bad value: here a customer's e-mail.
    const badValue = `escalate.${tag}@private-buyer.example`;
    const request = {
      event: { customer: { id: `C-${tag}` } },
      dunning: {
        policy: { remindBeforeDays: [], remindOnDueDate: false, overdueSteps: [], escalateAfterDays: badValue },
      },
    };
    const handle = await h.temporal.workflow.start('invoiceLifecycle', {
      taskQueue: h.taskQueue,
      workflowId: `invoice-bad-policy-${tag}`,
      args: [request],
    });
    const error = await handle.result().then(
      () => undefined,
      (e: Error & { cause?: Error }) => e,
    );
    expect(error?.cause?.message).toContain(`escalateAfterDays must be a whole number of days > 0 (got ${badValue})`);
    const history = await handle.fetchHistory();
    const failed = history.events?.find((e) => e.workflowExecutionFailedEventAttributes)
      ?.workflowExecutionFailedEventAttributes?.failure;
    expect(failed?.message).toBe('Encoded failure');
    expect(isEncrypted(failed!.encodedAttributes!)).toBe(true);
    expect(rawBytes(history).includes('escalateAfterDays must')).toBe(false);
  });

  it('will not run workflow code bundled without the encoding failure converter', async () => {
    const started = createWorker({
      temporalAddress: env('CLOSEDLOOP_TEST_TEMPORAL_ADDRESS'),
      namespace: 'default',
      taskQueue: `${h.taskQueue}-refused`,
      db: h.db,
      mail: mailForReal!,
      log: createLogger('silent'),
      settings: { opsEmail: 'o@x.test', financeEmail: 'f@x.test', publicUrl: 'http://x.test', seller: DEMO_SELLER },
      workflowBundlePath: env('CLOSEDLOOP_TEST_WORKFLOW_BUNDLE'),
      payloadCodec: codec,
    });
    await expect(started).rejects.toThrow(/failure messages in the clear/);
  });
});

describe('the codec server for the Temporal Web UI and CLI', () => {
  const post = (url: string, payload: unknown, headers: Record<string, string>) =>
    h.rawApp.inject({
      method: 'POST',
      url,
      payload: payload as object,
      headers: { 'content-type': 'application/json', 'x-namespace': 'default', ...headers },
    });

  it("decodes the history's payloads for ops and finance, and encodes what decodes back", async () => {
    const encrypted = payloadsOf(orderHistory).slice(0, 3).map(asJson);
    expect(Buffer.from(encrypted[0]!.metadata.encoding!, 'base64').toString()).toBe(ENCRYPTED_ENCODING);
    for (const role of ['ops', 'finance'] as const) {
      const res = await post(
        '/v1/codec/decode',
        { payloads: encrypted },
        { authorization: `Bearer ${await h.apiKey(role)}` },
      );
      expect(res.statusCode).toBe(200);
      const payloads = (res.json() as { payloads: { metadata: Record<string, string>; data: string }[] }).payloads;
      expect(payloads).toHaveLength(3);
      expect(Buffer.from(payloads[0]!.metadata.encoding!, 'base64').toString()).toBe('json/plain');
      expect(Buffer.from(payloads[0]!.data, 'base64').toString()).toContain(contact.email);
    }
    const key = `Bearer ${await h.apiKey('ops')}`;
    const plain = {
      metadata: { encoding: Buffer.from('json/plain').toString('base64') },
      data: Buffer.from(JSON.stringify({ note: 'from the UI' })).toString('base64'),
    };
    const encoded = await post('/v1/codec/encode', { payloads: [plain] }, { authorization: key });
    expect(encoded.statusCode).toBe(200);
    const sealed = encoded.json().payloads[0];
    expect(isEncrypted(fromJson(sealed))).toBe(true);
    expect(Buffer.from(sealed.data, 'base64').toString('latin1')).not.toContain('from the UI');
    const back = await post('/v1/codec/decode', { payloads: [sealed] }, { authorization: key });
    expect(back.json().payloads).toEqual([plain]);
  });

  it('passes payloads that were never encrypted through decode', async () => {
    const plain = {
      metadata: { encoding: Buffer.from('json/plain').toString('base64') },
      data: Buffer.from('"old"').toString('base64'),
    };
    const res = await post(
      '/v1/codec/decode',
      { payloads: [plain] },
      { authorization: `Bearer ${await h.apiKey('ops')}` },
    );
    expect(res.json().payloads).toEqual([plain]);
  });

  it('refuses a tampered payload with a 400 naming it', async () => {
    const [first] = payloadsOf(orderHistory).map(asJson);
    const data = Buffer.from(first!.data, 'base64');
    data[20]! ^= 1;
    const res = await post(
      '/v1/codec/decode',
      { payloads: [{ ...first, data: data.toString('base64') }] },
      { authorization: `Bearer ${await h.apiKey('ops')}` },
    );
    expect(res.statusCode).toBe(400);
    expect(res.json().detail).toMatch(/^payloads\[0\]: encrypted payload \(key id "k-test"\) failed authentication/);
  });

  it.each(['/v1/codec/decode', '/v1/codec/encode'])(
    '%s answers 401 without a key and 403 to the crm role, without touching a payload',
    async (url) => {
      const payloads = payloadsOf(orderHistory).slice(0, 1).map(asJson);
      const none = await post(url, { payloads }, {});
      expect(none.statusCode).toBe(401);
      expect(none.body).not.toContain(contact.email);
      const crm = await post(url, { payloads }, { authorization: `Bearer ${await h.apiKey('crm')}` });
      expect(crm.statusCode).toBe(403);
      expect(crm.body).not.toContain(Buffer.from(contact.email).toString('base64'));
    },
  );

  it('admits the configured Web UI origin only (CORS), preflight included', async () => {
    const preflight = (origin: string) =>
      h.rawApp.inject({
        method: 'OPTIONS',
        url: '/v1/codec/decode',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization,content-type,x-namespace',
        },
      });
    const ok = await preflight(UI_ORIGIN);
    expect(ok.statusCode).toBe(204);
    expect(ok.headers['access-control-allow-origin']).toBe(UI_ORIGIN);
    expect(String(ok.headers['access-control-allow-headers'])).toContain('authorization');
    expect(ok.headers['access-control-allow-methods']).toBe('POST');

    const other = await preflight('https://evil.example');
    expect(other.statusCode).toBe(403);
    expect(other.headers['access-control-allow-origin']).toBeUndefined();

    const payloads = payloadsOf(orderHistory).slice(0, 1).map(asJson);
    const fromUi = await post(
      '/v1/codec/decode',
      { payloads },
      { origin: UI_ORIGIN, authorization: `Bearer ${await h.apiKey('ops')}` },
    );
    expect([fromUi.statusCode, fromUi.headers['access-control-allow-origin']]).toEqual([200, UI_ORIGIN]);
    const fromElsewhere = await post(
      '/v1/codec/decode',
      { payloads },
      { origin: 'https://evil.example', authorization: `Bearer ${await h.apiKey('ops')}` },
    );
    expect(fromElsewhere.headers['access-control-allow-origin']).toBeUndefined();
    // Other routes get no CORS at all.
    const order = await h.app.inject({ method: 'GET', url: `/v1/orders/${orderId}`, headers: { origin: UI_ORIGIN } });
    expect(order.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('lets the Temporal CLI read the history with --codec-endpoint and an ops key, and not without', async () => {
    const cli = await resolveTemporalCli({ explicitPath: process.env.TEMPORAL_CLI_PATH });
    const apiUrl = await h.rawApp.listen({ host: '127.0.0.1', port: 0 });
    const show = async (...extra: string[]) => {
      const args = [
        'workflow',
        'show',
        '--address',
        env('CLOSEDLOOP_TEST_TEMPORAL_ADDRESS'),
        '--namespace',
        'default',
        '--workflow-id',
        orderId,
        '--output',
        'json',
        ...extra,
      ];
      const { stdout } = await promisify(execFile)(cli.path, args, { maxBuffer: 64 * 1024 * 1024 });
      // JSON output keeps payload data in base64: read it back as text.
      return [...stdout.matchAll(/"data": "([A-Za-z0-9+/=]+)"/g)]
        .map((m) => Buffer.from(m[1]!, 'base64').toString('latin1'))
        .join('\n');
    };
    expect(
      await show('--codec-endpoint', `${apiUrl}/v1/codec`, '--codec-auth', `Bearer ${await h.apiKey('ops')}`),
    ).toContain(contact.email);
    expect(await show()).not.toContain(contact.email);
    const refused = await show(
      '--codec-endpoint',
      `${apiUrl}/v1/codec`,
      '--codec-auth',
      `Bearer ${await h.apiKey('crm')}`,
    ).catch((e: Error) => e.message);
    expect(refused).not.toContain(contact.email);
  });
});
