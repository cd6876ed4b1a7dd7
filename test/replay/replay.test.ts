/**
 * Recorded histories of real runs (test/replay/histories) must replay on today's workflow code: a
 * non-deterministic change (a step added without `patch`, reordered activities) fails here.
 * order-foundation-v0 is an order started before the fulfillment steps existed; order-held-v1 was
 * held and released between steps (patched('serial-transition-records')); shipment-v3 answers
 * proof of delivery behind patched('delivery-answer-after-step'); order-retry-v1 has an ops retry;
 * order-cancel-waits-v1 and shipment-cancel-waits-v1 cancel while a step runs (the cancel waits for it),
 * shipment-compensations-v1 cancels a booked shipment (TMS cancel, ASN notice), order-shipment-cancelled-v1
 * has a shipment cancelled on its own, order-hold-before-shipments-v1 a hold before shipments start,
 * order-credit-vs-cancel-v1 a cancel and a credit decision at once; order-parked-cancel-v1 has ops cancel a
 * step that needs attention and compensates that step too (patched('compensate-parked-step'));
 * order-hold-release-v1 holds a backorder release behind patched('released-shipments-wait-for-hold');
 * invoice-racing-v1 (two voids) and invoice-credit-race-v1 (a credit behind a payment) refuse the loser
 * behind patched('refuse-racing-updates'); invoice-late-send-v1 skips stale reminders after
 * patched('dunning-from-send') (the send hung for six 1-second days); return-v2 asks the engine's
 * patches at its first transition record (patched('engine-patches-at-first-record')) and replays too
 * in the layout a query can cause, its first task ended right after that record; order-patches-at-start-v1
 * (an order with its billing hand-off), invoice-racing-v2 and invoice-credit-race-v2 ask the workflow's
 * own patches at their start (patched('order-patches-at-start'), patched('invoice-patches-at-start')).
 * Files are named
 * <label>__<workflowId>.json; record new ones with JSON.stringify(await handle.fetchHistory()).
 * They were recorded before payload encryption existed: each also replays with the codec on (PAYLOAD_KEYS
 * set), since payloads without encryption metadata pass through its decode.
 *
 * Every history also replays split after each of its transition records (test/support/history-split.ts:
 * the layout core writes when a query is answered while that record's local activity finishes), except
 * the splits listed in RECORDED_BEFORE_PATCHES_AT_START: runs started before the order and the invoice
 * asked their own patches at their start ('order-patches-at-start', 'invoice-patches-at-start') still
 * ask one of them right after a record, and cannot replay in that layout. They are pinned to that one
 * failure each, so a new hazard in them fails here too.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Worker, DefaultLogger, Runtime } from '@temporalio/worker';
import { temporal } from '@temporalio/proto';
import { randomBytes } from 'node:crypto';
import { env } from '../support/harness';
import {
  isTaskEndedAfterFirstLocalActivity,
  patchOfFailure,
  splitReplayFailures,
  splitTaskAfterFirstLocalActivity,
} from '../support/history-split';
import { PayloadEncryptionCodec } from '../../lib/payload-encryption';

const dir = path.join(__dirname, 'histories');
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .sort();

/**
 * Splits that fail on runs recorded before the workflows asked their own patches at their start: the
 * transition record (by its number from 0) the split follows, and the patch first asked after it.
 * 'billing-handoff' follows the order's last step record; 'refuse-racing-updates' and 'apply-credit'
 * follow the record of the update that won the race (the loser waited for the ledger behind it).
 */
const RECORDED_BEFORE_PATCHES_AT_START: Record<string, { at: number; patch: string }[]> = {
  'order-fulfillment-v2': [{ at: 18, patch: 'billing-handoff' }],
  'order-hold-release-v1': [{ at: 18, patch: 'billing-handoff' }],
  'order-period-v1': [{ at: 18, patch: 'billing-handoff' }],
  'order-retry-v1': [{ at: 21, patch: 'billing-handoff' }],
  'order-shipment-cancelled-v1': [{ at: 18, patch: 'billing-handoff' }],
  'order-encrypted-v1': [{ at: 18, patch: 'billing-handoff' }],
  'invoice-racing-v1': [{ at: 12, patch: 'refuse-racing-updates' }],
  'invoice-credit-race-v1': [{ at: 12, patch: 'apply-credit' }],
};

/**
 * Histories recorded with payload encryption on (test/api/payload-encryption.test.ts), and the test-only
 * key they were encrypted with: they pin the encrypted payload format, so a change to the codec that
 * could not read what it wrote before (nonce layout, authenticated data, key id metadata) fails here.
 */
const encryptedDir = path.join(__dirname, 'histories-encrypted');
const encryptedFiles = readdirSync(encryptedDir)
  .filter((f) => f.endsWith('.json'))
  .sort();
const RECORDING_KEY = { id: 'k-test', key: Buffer.from('1COKhW4kZAWs++/49ep0njQVspfntnuDcsB0hVrXZUU=', 'base64') };

describe('replay of recorded histories', () => {
  beforeAll(() => {
    try {
      Runtime.install({
        logger: new DefaultLogger('WARN'),
        telemetryOptions: { logging: { filter: { core: 'ERROR', other: 'ERROR' }, forward: {} } },
      });
    } catch {
      // already installed in this process
    }
  });

  it('has histories of the order, shipment, invoice, billing-period and return workflows, old and current', () => {
    expect(files.map((f) => f.split('__')[0])).toEqual(
      expect.arrayContaining([
        'order-foundation-v0',
        'order-fulfillment-v1',
        'shipment-v1',
        'order-fulfillment-v2',
        'shipment-v2',
        'invoice-v1',
        'invoice-credited-v1',
        'return-v1',
        'order-period-v1',
        'billing-period-v1',
        'billing-period-v2',
        'invoice-period-v1',
        'shipment-v3',
        'order-retry-v1',
        'order-held-v1',
        'order-hold-release-v1',
        'invoice-racing-v1',
        'invoice-credit-race-v1',
        'invoice-late-send-v1',
        'order-cancel-waits-v1',
        'shipment-cancel-waits-v1',
        'shipment-compensations-v1',
        'order-shipment-cancelled-v1',
        'order-hold-before-shipments-v1',
        'order-credit-vs-cancel-v1',
        'order-cancelled-waiting-v1',
        'return-v2',
        'order-patches-at-start-v1',
        'invoice-racing-v2',
        'invoice-credit-race-v2',
      ]),
    );
  });

  // Saved as JSON.stringify(await handle.fetchHistory()): protobufjs' own object form.
  const recorded = (file: string, from = dir) => ({
    history: temporal.api.history.v1.History.fromObject(JSON.parse(readFileSync(path.join(from, file), 'utf8'))),
    workflowId: file.replace(/\.json$/, '').split('__')[1]!, // files are <label>__<workflowId>.json
  });

  it.each(files)('replays %s deterministically', async (file) => {
    const results = Worker.runReplayHistories(
      { workflowBundle: { codePath: env('CLOSEDLOOP_TEST_WORKFLOW_BUNDLE') } },
      [recorded(file)],
    );
    for await (const result of results) {
      expect(result.error).toBeUndefined();
    }
  });

  it.each(files)('replays %s split after each of its transition records (a query answered meanwhile)', async (file) => {
    const { workflowId, history } = recorded(file);
    const failures = await splitReplayFailures(workflowId, history, env('CLOSEDLOOP_TEST_WORKFLOW_BUNDLE'));
    expect(failures.map((f) => ({ at: f.at, patch: patchOfFailure(f) ?? f.error }))).toEqual(
      RECORDED_BEFORE_PATCHES_AT_START[file.split('__')[0]!] ?? [],
    );
  });

  it('replays return-v2 with its first task ended right after its first transition record (a query answered meanwhile)', async () => {
    const file = files.find((f) => f.startsWith('return-v2__'))!;
    const recorded = temporal.api.history.v1.History.fromObject(JSON.parse(readFileSync(path.join(dir, file), 'utf8')));
    const history = temporal.api.history.v1.History.fromObject(splitTaskAfterFirstLocalActivity(recorded));
    expect(isTaskEndedAfterFirstLocalActivity(history)).toBe(true);
    const workflowId = file.replace(/\.json$/, '').split('__')[1]!;
    const results = Worker.runReplayHistories(
      { workflowBundle: { codePath: env('CLOSEDLOOP_TEST_WORKFLOW_BUNDLE') } },
      [{ workflowId, history }],
    );
    for await (const result of results) expect(result.error).toBeUndefined();
  });

  it('replays every recorded history with payload encryption on (the codec passes their clear payloads through)', async () => {
    const codec = new PayloadEncryptionCodec([{ id: 'k-replay', key: randomBytes(32) }]);
    const results = Worker.runReplayHistories(
      {
        workflowBundle: { codePath: env('CLOSEDLOOP_TEST_WORKFLOW_BUNDLE') },
        dataConverter: { payloadCodecs: [codec] },
      },
      files.map((file) => recorded(file)),
    );
    const replayed: string[] = [];
    for await (const result of results) {
      expect([result.workflowId, result.error]).toEqual([result.workflowId, undefined]);
      replayed.push(result.workflowId);
    }
    expect(replayed).toHaveLength(files.length);
  });

  it.each(encryptedFiles)('replays %s, recorded encrypted, with the key it was written with', async (file) => {
    const bundle = { codePath: env('CLOSEDLOOP_TEST_WORKFLOW_BUNDLE') };
    const codec = new PayloadEncryptionCodec([{ id: 'k-newer', key: randomBytes(32) }, RECORDING_KEY]);
    for await (const result of Worker.runReplayHistories(
      { workflowBundle: bundle, dataConverter: { payloadCodecs: [codec] } },
      [recorded(file, encryptedDir)],
    )) {
      expect(result.error).toBeUndefined();
    }
  });

  it.each(encryptedFiles)(
    'replays %s, recorded encrypted, split after each of its transition records',
    async (file) => {
      const { workflowId, history } = recorded(file, encryptedDir);
      const codec = new PayloadEncryptionCodec([RECORDING_KEY]);
      const failures = await splitReplayFailures(workflowId, history, env('CLOSEDLOOP_TEST_WORKFLOW_BUNDLE'), {
        payloadCodecs: [codec],
      });
      expect(failures.map((f) => ({ at: f.at, patch: patchOfFailure(f) ?? f.error }))).toEqual(
        RECORDED_BEFORE_PATCHES_AT_START[file.split('__')[0]!] ?? [],
      );
    },
  );

  it('has encrypted histories of an order and its shipment, unreadable without the key', async () => {
    expect(encryptedFiles.map((f) => f.split('__')[0])).toEqual(['order-encrypted-v1', 'shipment-encrypted-v1']);
    const withoutKey = Worker.runReplayHistories(
      { workflowBundle: { codePath: env('CLOSEDLOOP_TEST_WORKFLOW_BUNDLE') } },
      [recorded(encryptedFiles[0]!, encryptedDir)],
    );
    for await (const result of withoutKey) expect(result.error).toBeDefined();
  });
});
