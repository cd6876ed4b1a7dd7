/**
 * The README's "Adding a step" path, followed literally: a new step file and a line in the list of
 * steps (plus its import). Orders already running (recorded histories) still replay because the step
 * carries `patch`; without it the replay check fails, which is what guards CI. New orders run the step.
 */
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { bundleWorkflowCode, DefaultLogger, Worker } from '@temporalio/worker';
import { temporal } from '@temporalio/proto';
import { startHarness, type Harness } from '../support/harness';
import { createFixture } from '../../fixtures/master-data';
import { placeOrder } from '../support/flows';
import type { StepInput } from '../../activities/contract';

const ROOT = path.join(__dirname, '..', '..');
const HISTORY = path.join(ROOT, 'test', 'replay', 'histories', 'order-fulfillment-v1__order-REPLAY-V1-1.json');

const STEP_FILE = (withPatch: boolean) => `import { defineStep } from '../../engine/step';

/** Tells the warehouse management team about large orders before picking starts. */
export const notifyWarehouseStep = defineStep({
  name: 'notify-warehouse',
  run: 'notifyWarehouse',
  timeout: '30s',
  retry: { maximumAttempts: 5 },
  sla: { within: '4h', from: 'order.created', onBreach: 'notify-ops' },
  skippable: true,
${withPatch ? "  patch: 'add-notify-warehouse',\n" : ''}});
`;

/** Copies the workflow code, adds the step the README's way, and bundles it. */
async function bundleWithNewStep(withPatch: boolean): Promise<string> {
  const dir = path.join(ROOT, '.test-tmp', `add-step-${randomUUID().slice(0, 8)}`);
  mkdirSync(dir, { recursive: true });
  for (const folder of ['workflows', 'domain', 'activities'])
    cpSync(path.join(ROOT, folder), path.join(dir, folder), { recursive: true });
  const steps = path.join(dir, 'workflows', 'fulfillment', 'steps');
  writeFileSync(path.join(steps, 'notify-warehouse.ts'), STEP_FILE(withPatch));
  const index = readFileSync(path.join(steps, 'index.ts'), 'utf8')
    .replace(
      "import { sendOrderConfirmationStep } from './send-order-confirmation';",
      "$&\nimport { notifyWarehouseStep } from './notify-warehouse';",
    )
    .replace('  sendOrderConfirmationStep,\n', '  sendOrderConfirmationStep,\n  notifyWarehouseStep,\n');
  expect(index).toContain('  notifyWarehouseStep,\n');
  writeFileSync(path.join(steps, 'index.ts'), index);
  const { code } = await bundleWorkflowCode({
    workflowsPath: path.join(dir, 'workflows', 'index.ts'),
    logger: new DefaultLogger('WARN'),
  });
  const bundlePath = path.join(dir, 'bundle.js');
  writeFileSync(bundlePath, code);
  return bundlePath;
}

async function replays(bundlePath: string): Promise<unknown> {
  const history = temporal.api.history.v1.History.fromObject(JSON.parse(readFileSync(HISTORY, 'utf8')));
  const results = Worker.runReplayHistories({ workflowBundle: { codePath: bundlePath } }, [
    { workflowId: 'order-REPLAY-V1-1', history },
  ]);
  for await (const result of results) return result.error;
  return undefined;
}

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
  rmSync(path.join(ROOT, '.test-tmp'), { recursive: true, force: true });
});

describe('adding a step', () => {
  it('keeps recorded orders replaying with `patch`, and the replay check catches a step added without it', async () => {
    expect(await replays(await bundleWithNewStep(true))).toBeUndefined();
    const error = await replays(await bundleWithNewStep(false));
    expect(String(error)).toMatch(/[Nn]ondeterminism/);
  });

  it('runs the new step in new orders, in its place, with its activity', async () => {
    const bundle = await bundleWithNewStep(true);
    const calls: StepInput[] = [];
    await h.stopWorker();
    await h.startWorker(
      { notifyWarehouse: async (input: StepInput) => (calls.push(input), { data: { notified: true } }) },
      bundle,
    );
    const orderId = await placeOrder(h, await createFixture(h.db));
    const state = await h.waitForState(orderId, (s) => s.status === 'shipped');
    const names = state.steps.map((s) => s.name);
    expect(names.indexOf('notify-warehouse')).toBe(names.indexOf('send-order-confirmation') + 1);
    expect(state.steps.find((s) => s.name === 'notify-warehouse')).toMatchObject({ status: 'completed' });
    expect(calls).toHaveLength(1);
    expect(calls[0]!.idempotencyKey).toBe(`${orderId}:notify-warehouse`);
    expect(
      await h.db.stepEvent.count({ where: { workflowId: orderId, step: 'notify-warehouse', toStatus: 'completed' } }),
    ).toBe(1);
  });
});
