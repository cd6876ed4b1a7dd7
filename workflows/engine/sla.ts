/** A step's SLA timer, run beside the step, and its breach: recorded, and its action run exactly once. */
import { CancellationScope, isCancellation, proxyActivities, sleep } from '@temporalio/workflow';
import type { Duration } from '@temporalio/common';
import type { Activities, RunContext } from '../../activities/contract';
import type { RunState, StepState } from './state';
import type { StepDefinition } from './step';
import type { Transition } from './transitions';
import { durationToMs } from '../shared/duration';
import { SYSTEM, idempotencyKeyOf } from './keys';

const slaActions = proxyActivities<Pick<Activities, 'handleSlaBreach'>>({
  startToCloseTimeout: '1 minute',
  retry: { maximumInterval: '1 minute' },
});

/** What an SLA timer needs of its run. */
export interface SlaRun {
  context: RunContext;
  state: RunState;
  /** The step's SLA duration, from the customer's profile or the step's default; read when it starts. */
  slaWithin(step: string, byDefault: Duration): Duration;
  record(t: Transition): Promise<void>;
}

export interface SlaTimer {
  /** Cancels the timer if it has not fired, or waits for the breach handling. */
  settle(): Promise<void>;
}

/** Starts the step's SLA timer; `settle` cancels it if it has not fired, or waits for the breach handling. */
export function startSla(run: SlaRun, step: StepDefinition, st: StepState): SlaTimer {
  if (!step.sla) return { settle: async () => undefined };
  const within = run.slaWithin(step.name, step.sla.within);
  const anchor = step.sla.from === 'order.created' ? Date.parse(run.state.createdAt) : Date.now();
  const deadline = anchor + durationToMs(within);
  st.slaDeadline = new Date(deadline).toISOString();
  const scope = new CancellationScope();
  let breach: Promise<void> | undefined;
  const timer = scope
    .run(() => sleep(Math.max(1, deadline - Date.now())))
    .then(
      () => {
        breach = breachSla(run, step, st);
      },
      (error) => {
        if (!isCancellation(error)) throw error;
      },
    );
  return {
    settle: async () => {
      if (!breach) scope.cancel();
      await timer;
      await breach;
    },
  };
}

async function breachSla(run: SlaRun, step: StepDefinition, st: StepState): Promise<void> {
  st.slaBreached = true;
  st.breachedAt = new Date().toISOString();
  run.state.slaBreached = true;
  await run.record({
    step: step.name,
    from: st.status,
    to: 'sla_breached',
    actor: SYSTEM,
    reason: `deadline ${st.slaDeadline} missed`,
  });
  await slaActions.handleSlaBreach({
    run: run.context,
    step: step.name,
    action: step.sla!.onBreach,
    deadline: st.slaDeadline!,
    stepStatus: st.status,
    idempotencyKey: `${idempotencyKeyOf(step.name)}:sla-breach`,
  });
}
