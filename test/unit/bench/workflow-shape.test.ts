import { readFileSync } from 'node:fs';
import path from 'node:path';
import { temporal } from '@temporalio/proto';
import {
  baselineShapeOf,
  childIdsOf,
  commandsOf,
  countCommands,
  countShape,
  parseDroppableOps,
  stuckReason,
  withoutOps,
} from '../../../bench/workflow-shape';

// Recorded histories of a real order and its shipment (the replay tests' fixtures).
const load = (file: string) =>
  temporal.api.history.v1.History.fromObject(
    JSON.parse(readFileSync(path.join(__dirname, '../../replay/histories', file), 'utf8')),
  );
const ORDER = load('order-fulfillment-v1__order-REPLAY-V1-1.json');
const SHIPMENT = load('shipment-v1__order-REPLAY-V1-1-S1.json');

describe('the shape of a recorded order', () => {
  it("counts the order's activities, bookkeeping local activities, SLA timers, upserts, one shipment and its progress signals", () => {
    expect(countShape(ORDER, 'order')).toEqual({
      activities: 7,
      localActivities: 23,
      timers: 3,
      searchAttributeUpserts: 18,
      children: 1,
      signalsToParent: 0,
      signalsReceived: 5,
      updates: 0,
      patchMarkers: 2,
    });
  });

  it("counts the shipment's activities, local activities, timers, signals to its order and the one proof-of-delivery update", () => {
    expect(countShape(SHIPMENT, 'shipment')).toEqual({
      activities: 6,
      localActivities: 18,
      timers: 2,
      searchAttributeUpserts: 11,
      children: 0,
      signalsToParent: 5,
      signalsReceived: 0,
      updates: 1,
      patchMarkers: 0,
    });
  });

  it('keeps history order: the shipment accepts the update before it completes it, and a timer is cancelled only after it started', () => {
    const ops = commandsOf(SHIPMENT, 'shipment');
    const at = (kind: string) => ops.findIndex((op) => op.kind === kind);
    expect(at('await-update')).toBeLessThan(at('complete-update'));
    const started = ops.flatMap((op, i) => (op.kind === 'start-timer' ? [[op.timerId, i] as const] : []));
    for (const [timerId, i] of started) {
      const cancelledAt = ops.findIndex((op) => op.kind === 'cancel-timer' && op.timerId === timerId);
      expect(cancelledAt).toBeGreaterThan(i);
    }
  });

  it("names the children in start order and ties the order's wait for a child to that child", () => {
    expect(childIdsOf(ORDER)).toEqual(['order-REPLAY-V1-1-S1']);
    const ops = commandsOf(ORDER, 'order');
    expect(ops.filter((op) => op.kind === 'start-child' || op.kind === 'await-child')).toEqual([
      { kind: 'start-child', child: 0 },
      { kind: 'await-child', child: 0 },
    ]);
  });

  it('builds the baseline shape from the order and its shipment', () => {
    const shape = baselineShapeOf(ORDER, [SHIPMENT]);
    expect(shape.order).toHaveLength(commandsOf(ORDER, 'order').length);
    expect(shape.children).toEqual([commandsOf(SHIPMENT, 'shipment')]);
  });

  it('refuses a first child without the proof-of-delivery update', () => {
    expect(() => baselineShapeOf(ORDER, [ORDER])).toThrow(
      'child 0 (the shipment): expected exactly 1 accepted update (the proof of delivery), got 0',
    );
  });

  it('refuses child histories that do not match the children the order started', () => {
    expect(() => baselineShapeOf(ORDER, [])).toThrow('order: started 1 children, got 0 child histories');
  });

  it('refuses an order that started no shipment', () => {
    expect(() => baselineShapeOf(SHIPMENT, [])).toThrow('order: no child workflow started (no shipment?)');
  });

  it("counts a live run's commands as the shape does, at every point of its history", () => {
    const events = SHIPMENT.events!;
    for (let n = 0; n <= events.length; n += 1) {
      expect(countCommands(events.slice(0, n))).toBe(commandsOf({ events: events.slice(0, n) }, 'shipment').length);
    }
  });

  it('names the failure of an activity that failed for good, and nothing on a healthy run', () => {
    expect(stuckReason(SHIPMENT.events!)).toBeUndefined();
    const failed = temporal.api.history.v1.HistoryEvent.fromObject({
      eventId: 10,
      eventType: 'EVENT_TYPE_ACTIVITY_TASK_FAILED',
      activityTaskFailedEventAttributes: { failure: { message: 'line 3: SOLVENT needs 12, only 4 in lots' } },
    });
    expect(stuckReason([...SHIPMENT.events!.slice(0, 9), failed])).toBe(
      'activity failed: line 3: SOLVENT needs 12, only 4 in lots',
    );
  });

  it('leaves the chosen kinds of command out of a shape, a timer with its cancellation, and keeps the rest in order', () => {
    const shape = baselineShapeOf(ORDER, [SHIPMENT]);
    const lean = withoutOps(shape, ['local-activity', 'timer']);
    const kinds = [...lean.order, ...lean.children.flat()].map((op) => op.kind);
    expect(kinds).not.toContain('local-activity');
    expect(kinds).not.toContain('start-timer');
    expect(kinds).not.toContain('cancel-timer');
    expect(lean.children[0]!.filter((op) => op.kind === 'activity')).toHaveLength(6);
    expect(lean.order).toEqual(
      shape.order.filter((op) => !['local-activity', 'start-timer', 'cancel-timer'].includes(op.kind)),
    );
  });

  it.each<{ value: string | undefined; expected: string[] }>([
    { value: undefined, expected: [] },
    { value: '', expected: [] },
    { value: 'local-activity', expected: ['local-activity'] },
    { value: 'local-activity, upsert-search-attributes', expected: ['local-activity', 'upsert-search-attributes'] },
  ])('reads BENCH_BASELINE_DROP=$value', ({ value, expected }) => {
    expect(parseDroppableOps(value)).toEqual(expected);
  });

  it('names a kind it cannot drop', () => {
    expect(() => parseDroppableOps('start-child')).toThrow(
      'BENCH_BASELINE_DROP: "start-child" is not one of activity, local-activity, timer, upsert-search-attributes',
    );
  });
});
