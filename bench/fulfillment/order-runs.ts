/**
 * The two kinds of run the fulfillment benchmark compares: a real order through startOrderWorkflow and
 * the baseline replaying the commands of one order recorded in this run. The recording comes first:
 * its shape tells the baseline what to issue and both drivers when the shipment awaits delivery.
 */
import type { ClosedWonEvent } from '../../domain/closed-won';
import type { Fixture } from '../../fixtures/master-data';
import { startOrderWorkflow } from '../../api/intake/start-order';
import { recordDelivery } from '../../workflows/shipping/messages';
import type { BenchArgs } from '../args';
import { BASELINE_WORKFLOW_TYPES, baselineDelivery, type BaselineShape } from '../baseline-workflows';
import { baselineShapeOf, childIdsOf, countShape, withoutOps, type ShapeCounts } from '../workflow-shape';
import { driveOne } from './delivery';
import type { OneRun } from './runs';
import { BASELINE_DROP, say, SIGNER } from './settings';
import type { Stack } from './setup';

/**
 * The fixture's order with its lines in SKU order. Why: the built-in WMS locks an order's stock rows
 * in SKU order when it reserves (adapters/wms/builtin.ts reserve) but in line order when it picks
 * (pick), so two concurrent orders whose lines are not in SKU order can deadlock (PostgreSQL 40P01),
 * and after five deadlocks in a row the step waits for ops. With the fixture's own order (valve,
 * gasket, solvent) that happens within 200 orders at 20 in flight. Drop the sort once pick locks in
 * SKU order too.
 */
function benchEvent(fixture: Fixture): ClosedWonEvent {
  const event = fixture.event();
  return { ...event, lines: [...event.lines].sort((a, b) => a.sku.localeCompare(b.sku)) };
}

/** One real order, from startOrderWorkflow to "fulfilled". */
export const orderRun = (stack: Stack, args: BenchArgs, commandsBeforeDelivery: number) => (): Promise<OneRun> =>
  stack.abortable(() =>
    driveOne({
      client: stack.client,
      start: async () =>
        (await startOrderWorkflow(stack.client, stack.taskQueue, benchEvent(stack.fixture))).workflowId,
      delivery: recordDelivery,
      deliveryArgs: () => [{ signer: SIGNER, deliveredAt: new Date().toISOString(), exceptions: [] }],
      commandsBeforeDelivery,
      expectedStatus: 'fulfilled',
      pollMs: args.pollMs,
    }),
  );

/** One baseline run of `shape`, numbered `baseline-<runTag>-<n>`. */
export function baselineRun(stack: Stack, args: BenchArgs, shape: BaselineShape): () => Promise<OneRun> {
  const { client } = stack;
  const commandsBeforeDelivery = shape.children[0]!.findIndex((op) => op.kind === 'await-update');
  let baselineSeq = 0;
  return () =>
    stack.abortable(() =>
      driveOne({
        client,
        start: async () => {
          baselineSeq += 1;
          const workflowId = `baseline-${stack.runTag}-${baselineSeq}`;
          await client.workflow.start(BASELINE_WORKFLOW_TYPES.order, {
            taskQueue: stack.baselineQueue,
            workflowId,
            args: [shape],
          });
          return workflowId;
        },
        delivery: baselineDelivery,
        deliveryArgs: () => [{ signer: SIGNER, deliveredAt: new Date().toISOString(), exceptions: [] }],
        commandsBeforeDelivery,
        expectedStatus: 'fulfilled',
        pollMs: args.pollMs,
      }),
    );
}

export interface RecordedShape {
  /** What the baseline issues: the recorded order, less any BENCH_BASELINE_DROP experiment. */
  shape: BaselineShape;
  /** Commands the real shipment issues before it awaits delivery. */
  commandsBeforeDelivery: number;
  shapeCounts: { order: ShapeCounts; children: (ShapeCounts & { id: string })[] };
}

/**
 * Records one real order and reads its shape. Unknown until then, the sample gets its update as soon
 * as the shipment exists, retried while refused.
 */
export async function recordShape(stack: Stack, args: BenchArgs): Promise<RecordedShape> {
  const { client } = stack;
  say('recording one order to read its shape');
  const sample = await stack.guard(orderRun(stack, args, 0)());
  // Children that outlive the order (an invoice awaiting payment) may still be working: let them park.
  await stack.settle();
  const sampleOrder = await client.workflow.getHandle(sample.workflowId).fetchHistory();
  const childIds = childIdsOf(sampleOrder);
  const sampleChildren = await Promise.all(childIds.map((id) => client.workflow.getHandle(id).fetchHistory()));
  const recorded: BaselineShape = baselineShapeOf(sampleOrder, sampleChildren);
  return {
    shape: withoutOps(recorded, BASELINE_DROP),
    commandsBeforeDelivery: recorded.children[0]!.findIndex((op) => op.kind === 'await-update'),
    shapeCounts: {
      order: countShape(sampleOrder, 'order'),
      children: sampleChildren.map((h, i) => ({
        id: childIds[i]!.replace(sample.workflowId, '<orderId>'),
        ...countShape(h, childIds[i]!),
      })),
    },
  };
}
