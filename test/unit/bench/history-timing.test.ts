import { readFileSync } from 'node:fs';
import path from 'node:path';
import { temporal } from '@temporalio/proto';
import { addTimings, scaleTiming, timingOf, ZERO_TIMING } from '../../../bench/history-timing';

const load = (file: string) =>
  temporal.api.history.v1.History.fromObject(
    JSON.parse(readFileSync(path.join(__dirname, '../../replay/histories', file), 'utf8')),
  );
const SHIPMENT = load('shipment-v1__order-REPLAY-V1-1-S1.json');

describe('timingOf a recorded shipment', () => {
  const timing = timingOf(SHIPMENT);

  it('counts every completed workflow task', () => {
    expect(timing.workflowTasks).toBe(13);
  });

  it('splits time into non-negative queue, processing and activity spans that fit in the run', () => {
    for (const key of [
      'workflowTaskQueueMs',
      'workflowTaskRunMs',
      'activityQueueMs',
      'activityRunMs',
      'deliveryWaitMs',
    ] as const) {
      expect(timing[key]).toBeGreaterThanOrEqual(0);
      expect(timing[key]).toBeLessThanOrEqual(timing.wallMs);
    }
    expect(timing.wallMs).toBeGreaterThan(0);
  });

  it("measures the wait for the proof of delivery from the task that began it to the update's acceptance", () => {
    const events = SHIPMENT.events!;
    const ms = (e: (typeof events)[number]) =>
      Number(e.eventTime!.seconds) * 1000 + Math.floor((e.eventTime!.nanos ?? 0) / 1e6);
    const accepted = events.findIndex(
      (e) => e.eventType === temporal.api.enums.v1.EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED,
    );
    const completions = events
      .slice(0, accepted)
      .map((e, i) => [e, i] as const)
      .filter(([e]) => e.eventType === temporal.api.enums.v1.EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED);
    const waitingSince = completions[completions.length - 2]![0];
    expect(timing.deliveryWaitMs).toBeCloseTo(ms(events[accepted]!) - ms(waitingSince), 0);
  });
});

describe('adding and scaling timings', () => {
  it('adds field by field and averages by scaling', () => {
    const one = { ...ZERO_TIMING, wallMs: 10, workflowTasks: 3 };
    const two = { ...ZERO_TIMING, wallMs: 30, workflowTasks: 5 };
    expect(scaleTiming(addTimings(one, two), 1 / 2)).toEqual({ ...ZERO_TIMING, wallMs: 20, workflowTasks: 4 });
  });
});
