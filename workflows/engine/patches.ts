/** The patches the engine asks about its own behaviour; never rename one (recorded histories carry them). */

/** Transition records run one after another (runs started before it record concurrently). */
export const SERIAL_RECORDS_PATCH = 'serial-transition-records';

/**
 * Every patch the engine asks is decided at the run's first transition record, before its local
 * activity. A patch first asked right after a record's local activity resolves is recorded in the
 * workflow task after the one holding the activity's marker whenever a query is answered while the
 * activity runs (core then completes the task with the marker and forces a new one: the chance grows
 * with load and with callers polling the run's state). A worker replaying that history resolves the
 * activity inside the first task, asks the patch before the marker of the next task is known, gets
 * false and fails with a nondeterminism error: every query of the run fails and a run evicted from the
 * cache never moves again. A return recorded `requested` before its first step, so all of its
 * patches came after a local activity. Runs started before this patch ask each where it is used.
 */
export const PATCHES_AT_FIRST_RECORD = 'engine-patches-at-first-record';
export const ENGINE_PATCHES = {
  waitsForAttempt: 'cancel-waits-for-running-step',
  holdsBeforeAfterSteps: 'hold-before-after-steps',
  recordsCancelledWait: 'record-cancelled-wait',
  rechecksWaitCondition: 'recheck-wait-condition',
  statusGuard: 'status-guard',
  recordsOpsCancelDecision: 'record-ops-cancel-decision',
  cancelChecksStoredState: 'cancel-checks-stored-state',
  compensatesParkedStep: 'compensate-parked-step',
} as const;

/**
 * Patches of the engine's own behaviour, decided once before the first step. A patch first asked
 * right after a local activity can be asked in another workflow task on replay than when it was
 * recorded (a slow local activity ends the task before the workflow goes on), which replay reads as
 * a missing patch command. Runs recorded before a patch existed have no marker: false for good.
 */
export interface EnginePatches {
  waitsForAttempt: boolean;
  holdsBeforeAfterSteps: boolean;
  compensations: Set<string>;
  recordsCancelledWait: boolean;
  /** A step cancelled while it needed attention is compensated too. */
  compensatesParkedStep: boolean;
}

export const noPatches = (): EnginePatches => ({
  waitsForAttempt: false,
  holdsBeforeAfterSteps: false,
  compensations: new Set<string>(),
  recordsCancelledWait: false,
  compensatesParkedStep: false,
});
