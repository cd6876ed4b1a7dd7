import { runStateFromMirror, type MirroredEvent } from '../../../api/views/run-state';

const t0 = Date.parse('2026-11-02T09:00:00.000Z');
/** Events one second apart, in the order given: [step, from, to, attempt?, extra?]. */
const events = (...rows: [string, string | null, string, number?, Partial<MirroredEvent>?][]): MirroredEvent[] =>
  rows.map(([step, fromStatus, toStatus, attempt = step === '*' ? 0 : 1, extra = {}], i) => ({
    step,
    fromStatus,
    toStatus,
    attempt,
    error: null,
    actor: 'system',
    reason: null,
    occurredAt: new Date(t0 + i * 1000),
    ...extra,
  }));
const at = (i: number) => new Date(t0 + i * 1000).toISOString();

describe('run state from the step-event mirror', () => {
  it('is null before the first transition', () => {
    expect(runStateFromMirror({ id: 'order-x', kind: 'order', events: [] })).toBeNull();
  });

  it('follows step statuses, attempts, errors and the current step; declared steps not reached are pending', () => {
    const state = runStateFromMirror({
      id: 'order-1',
      kind: 'order',
      events: events(
        ['record-order', 'pending', 'running'],
        ['record-order', 'running', 'completed'],
        ['*', 'received', 'recorded'],
        ['validate-order', 'pending', 'running'],
        ['validate-order', 'running', 'completed'],
        ['credit-check', 'pending', 'running'],
        ['credit-check', 'running', 'completed'],
        ['credit-approval', 'pending', 'not_required', 0],
        ['reserve-stock', 'pending', 'running'],
        ['reserve-stock', 'running', 'needs_attention', 1, { error: 'WmsTimeout: no answer' }],
        ['reserve-stock', 'needs_attention', 'retry_requested', 1, { actor: 'ops:kim' }],
        ['reserve-stock', 'retry_requested', 'running', 2],
        ['reserve-stock', 'running', 'needs_attention', 2, { error: 'WmsTimeout: still no answer' }],
        ['*', 'recorded', 'ship_to_changed', 0, { reason: 'dock 4' }],
      ),
      stepDurations: { 'reserve-stock': '8h' },
    })!;
    expect(state).toMatchObject({
      id: 'order-1',
      status: 'recorded',
      currentStep: 'reserve-stock',
      needsAttention: true,
      slaBreached: false,
      updatedAt: at(13),
    });
    expect(state.steps.map((s) => [s.name, s.status])).toEqual([
      ['record-order', 'completed'],
      ['send-order-received', 'pending'],
      ['validate-order', 'completed'],
      ['credit-check', 'completed'],
      ['credit-approval', 'not_required'],
      ['reserve-stock', 'needs_attention'],
      ['create-erp-order', 'pending'],
      ['send-order-confirmation', 'pending'],
    ]);
    expect(state.steps.find((s) => s.name === 'reserve-stock')).toEqual({
      name: 'reserve-stock',
      status: 'needs_attention',
      rounds: 2,
      lastError: 'WmsTimeout: still no answer',
      startedAt: at(8),
      slaBreached: false,
      // The customer's profile duration, from order.created (the first event).
      slaDeadline: new Date(t0 + 8 * 3_600_000).toISOString(),
    });
    expect(state.steps[0]).toMatchObject({ startedAt: at(0), finishedAt: at(1), rounds: 1 });
  });

  it('reads a breach, its deadline, a hold and its release, a skip with its reason', () => {
    const held = events(
      ['credit-approval', 'pending', 'waiting', 0],
      ['credit-approval', 'waiting', 'sla_breached', 0, { reason: 'deadline 2026-11-04T09:00:00.000Z missed' }],
      ['*', 'pending_credit', 'on_hold', 0, { actor: 'ops:kim', reason: 'customer called' }],
    );
    const state = runStateFromMirror({ id: 'order-2', kind: 'order', events: held })!;
    expect(state.hold).toEqual({ reason: 'customer called', actor: 'ops:kim', since: at(2) });
    expect(state.slaBreached).toBe(true);
    expect(state.steps.find((s) => s.name === 'credit-approval')).toMatchObject({
      status: 'waiting',
      slaBreached: true,
      breachedAt: at(1),
      slaDeadline: '2026-11-04T09:00:00.000Z',
      startedAt: at(0),
    });
    const released = runStateFromMirror({
      id: 'order-2',
      kind: 'order',
      events: [
        ...held,
        ...events(
          ['*', 'on_hold', 'pending_credit', 0],
          ['credit-approval', 'waiting', 'skipped', 0, { reason: 'approved by phone' }],
        ).map((e, i) => ({ ...e, occurredAt: new Date(t0 + (3 + i) * 1000) })),
      ],
    })!;
    expect(released.hold).toBeUndefined();
    expect(released.status).toBe('pending_credit');
    expect(released.steps.find((s) => s.name === 'credit-approval')).toMatchObject({
      status: 'skipped',
      skippedReason: 'approved by phone',
      finishedAt: at(4),
    });
  });

  it('ends a cancelled run with its reason, untouched steps cancelled and a failed compensation kept as the step error', () => {
    const state = runStateFromMirror({
      id: 'order-3',
      kind: 'order',
      events: events(
        ['reserve-stock', 'pending', 'running'],
        ['reserve-stock', 'running', 'completed'],
        ['create-erp-order', 'pending', 'running'],
        ['create-erp-order', 'running', 'cancelled', 1, { actor: 'ops:kim', reason: 'customer withdrew' }],
        ['reserve-stock', 'completed', 'compensation_failed', 1, { reason: 'compensation failed: WMS down' }],
        ['*', 'reserving', 'cancelled'],
      ),
      row: { status: 'cancelled', currentStep: null, needsAttention: true, slaBreached: false },
    })!;
    expect(state).toMatchObject({ status: 'cancelled', cancelReason: 'customer withdrew', needsAttention: true });
    expect(state.currentStep).toBeUndefined();
    expect(state.steps.find((s) => s.name === 'reserve-stock')).toMatchObject({
      status: 'completed',
      lastError: 'compensation failed: WMS down',
    });
    expect(state.steps.find((s) => s.name === 'send-order-confirmation')?.status).toBe('cancelled');
  });

  it('leaves out a step added behind a patch that the run passed without', () => {
    // validate-order (patched) has no event although a later step ran: the run started before it existed.
    const state = runStateFromMirror({
      id: 'order-4',
      kind: 'order',
      events: events(['record-order', 'pending', 'running'], ['send-order-received', 'pending', 'running']),
    })!;
    expect(state.steps.map((s) => s.name)).toContain('validate-order'); // not passed yet: still ahead
    const old = runStateFromMirror({
      id: 'order-5',
      kind: 'order',
      events: events(['record-order', 'pending', 'running'], ['create-erp-order', 'pending', 'running']),
    })!;
    expect(old.steps.map((s) => s.name)).toEqual([
      'record-order',
      'send-order-received',
      'create-erp-order',
      'send-order-confirmation',
    ]);
  });

  it('adds the steps a declaration does not list (an invoice dunning schedule) in the order they ran', () => {
    const state = runStateFromMirror({
      id: 'inv-1',
      kind: 'invoice',
      events: events(
        ['draft-invoice', 'pending', 'running'],
        ['draft-invoice', 'running', 'completed'],
        ['remind-7', 'pending', 'waiting', 0],
      ),
    })!;
    expect(state.steps.map((s) => s.name).slice(-1)).toEqual(['remind-7']);
    expect(state.currentStep).toBe('remind-7');
  });
});
