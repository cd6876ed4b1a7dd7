/**
 * The benchmark's baseline: workflows that do nothing but issue the same Temporal commands, in the same
 * order, as a real order and its children (taken from the recorded histories of a real order by
 * bench/workflow-shape.ts): activities, local activities, timers started and cancelled, search
 * attribute upserts, child workflows (the shipment, an invoice), the children's progress signals to
 * the order and the proof-of-delivery update. The activities are no-ops (bench/baseline-activities.ts), so the
 * baseline's throughput is what Temporal, the SDK and this machine allow for an order's shape, and
 * ours divided by it is what our own work (database, SMTP, bookkeeping, workflow code) costs.
 *
 * Deterministic: the shape is an argument, nothing here reads the clock or draws random numbers.
 */
import {
  CancellationScope,
  condition,
  defineQuery,
  defineSignal,
  defineUpdate,
  startChild,
  getExternalWorkflowHandle,
  isCancellation,
  ParentClosePolicy,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  sleep,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { BaselineActivities } from './baseline-activities';
import { OrderStatus } from '../workflows/shared/search-attributes';

/** One command of a recorded run, replayed by the baseline in history order. */
export type BaselineOp =
  | { kind: 'activity' }
  | { kind: 'local-activity' }
  | { kind: 'start-timer'; timerId: string }
  | { kind: 'cancel-timer'; timerId: string }
  | { kind: 'upsert-search-attributes' }
  | { kind: 'start-child'; child: number }
  | { kind: 'await-child'; child: number }
  | { kind: 'await-signal' }
  | { kind: 'signal-parent' }
  | { kind: 'await-update' }
  | { kind: 'complete-update' };

export interface BaselineShape {
  order: BaselineOp[];
  /** Each child's commands, by `child` index (start order); child 0 is the shipment awaiting delivery. */
  children: BaselineOp[][];
}

/** Same payload shape as the real proof of delivery, so the update carries comparable bytes. */
export interface BaselineDelivery {
  signer: string;
  deliveredAt: string;
  exceptions: unknown[];
}

export const BASELINE_WORKFLOW_TYPES = { order: 'baselineOrder', child: 'baselineChild' } as const;

/** The baseline's counterpart of `recordDelivery`; refused until the child waits for it. */
export const baselineDelivery = defineUpdate<{ status: string }, [BaselineDelivery]>('baselineDelivery');
/** The baseline's counterpart of a child's progress signals (`shipmentProgress`, `invoiceProgress`). */
export const baselineProgress = defineSignal<[{ childId: string }]>('baselineProgress');
/** The baseline's counterpart of `getInvoice` (the billing phase reads the balance before paying). */
export const baselineBalance = defineQuery<{ balanceMinor: number }>('baselineBalance');

const { noop } = proxyActivities<BaselineActivities>({ startToCloseTimeout: '1 minute' });
const { noop: localNoop } = proxyLocalActivities<BaselineActivities>({ startToCloseTimeout: '30s' });

// Far beyond any run; these timers exist to be started and cancelled, as SLA timers are.
const TIMER_NEVER_FIRES = '30 days';

interface CommandHooks {
  /** Starts child `index` and resolves once it has started, with its result still to come. */
  startChild?: (index: number) => Promise<{ result: Promise<unknown> }>;
  signalsReceived?: () => number;
  signalParent?: () => Promise<void>;
  update?: { beginWaiting: () => void; isAccepted: () => boolean; complete: () => void };
}

/** Issues `ops` in order, awaiting what the real run awaits (activities, child starts, signals, the update). */
async function issueCommands(ops: readonly BaselineOp[], hooks: CommandHooks): Promise<void> {
  const timers = new Map<string, CancellationScope>();
  const running: Promise<unknown>[] = [];
  const children = new Map<number, Promise<unknown>>();
  let signalsAwaited = 0;
  for (const [index, op] of ops.entries()) {
    switch (op.kind) {
      case 'activity':
        await noop();
        break;
      case 'local-activity':
        await localNoop();
        break;
      case 'start-timer': {
        const scope = new CancellationScope();
        timers.set(op.timerId, scope);
        running.push(
          scope
            .run(() => sleep(TIMER_NEVER_FIRES))
            .catch((error: unknown) => {
              if (!isCancellation(error)) throw error;
            }),
        );
        break;
      }
      case 'cancel-timer':
        timers.get(op.timerId)?.cancel();
        timers.delete(op.timerId);
        break;
      case 'upsert-search-attributes':
        upsertSearchAttributes([{ key: OrderStatus, value: `baseline-${index}` }]);
        break;
      case 'start-child': {
        if (!hooks.startChild) throw new Error(`op ${index}: start-child outside an order`);
        const { result } = await hooks.startChild(op.child);
        result.catch(() => undefined); // a child the recorded run never awaited (e.g. an abandoned invoice)
        children.set(op.child, result);
        break;
      }
      case 'await-child': {
        const result = children.get(op.child);
        if (!result) throw new Error(`op ${index}: await-child ${op.child} before it started`);
        await result;
        break;
      }
      case 'await-signal': {
        if (!hooks.signalsReceived) throw new Error(`op ${index}: await-signal outside an order`);
        signalsAwaited += 1;
        const expected = signalsAwaited;
        await condition(() => hooks.signalsReceived!() >= expected);
        break;
      }
      case 'signal-parent':
        if (!hooks.signalParent) throw new Error(`op ${index}: signal-parent outside a child`);
        await hooks.signalParent();
        break;
      case 'await-update':
        if (!hooks.update) throw new Error(`op ${index}: await-update outside a child`);
        hooks.update.beginWaiting();
        await condition(hooks.update.isAccepted);
        break;
      case 'complete-update':
        hooks.update?.complete();
        break;
    }
  }
  for (const scope of timers.values()) scope.cancel();
  await Promise.all(running);
}

/** Counterpart of `orderFulfillment`: the order's commands; child `i` runs as `<workflowId>-S<i + 1>`. */
export async function baselineOrder(shape: BaselineShape): Promise<{ status: string }> {
  const { workflowId } = workflowInfo();
  let signals = 0;
  setHandler(baselineProgress, () => void (signals += 1));
  await issueCommands(shape.order, {
    startChild: async (index) => {
      const ops = shape.children[index];
      if (!ops) throw new Error(`child ${index} has no recorded shape`);
      // ABANDON, as for invoices: the order's end never terminates a child (shipments are done by then).
      const child = await startChild(baselineChild, {
        workflowId: `${workflowId}-S${index + 1}`,
        args: [ops],
        parentClosePolicy: ParentClosePolicy.ABANDON,
      });
      return { result: child.result() };
    },
    signalsReceived: () => signals,
  });
  return { status: 'fulfilled' };
}

/**
 * Counterpart of the order's children (the shipment, an invoice): their commands; where the recorded
 * child accepted the proof of delivery, it waits for `baselineDelivery`.
 */
export async function baselineChild(ops: BaselineOp[]): Promise<{ status: string }> {
  const { workflowId, parent } = workflowInfo();
  let isAwaitingDelivery = false;
  let isDelivered = false;
  let isUpdateComplete = false;
  setHandler(baselineBalance, () => ({ balanceMinor: isDelivered ? 0 : 1 }));
  setHandler(
    baselineDelivery,
    async () => {
      isDelivered = true;
      await condition(() => isUpdateComplete);
      return { status: 'delivered' };
    },
    {
      validator: (delivery: BaselineDelivery) => {
        if (!isAwaitingDelivery || isDelivered) throw new Error(`${workflowId} is not awaiting delivery`);
        if (!delivery.signer?.trim()) throw new Error('signer is required');
      },
    },
  );
  await issueCommands(ops, {
    signalParent: async () => {
      if (parent) await getExternalWorkflowHandle(parent.workflowId).signal(baselineProgress, { childId: workflowId });
    },
    update: {
      beginWaiting: () => void (isAwaitingDelivery = true),
      isAccepted: () => isDelivered,
      complete: () => void (isUpdateComplete = true),
    },
  });
  isUpdateComplete = true; // a shape without the update's completion event still answers the caller
  return { status: 'delivered' };
}
