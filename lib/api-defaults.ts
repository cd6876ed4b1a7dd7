/**
 * Defaults of the API's intake and workflow calls. They live here, not beside the code in api/, because
 * the configuration (lib/config.ts) documents and validates them too, and lib/ imports nothing from api/.
 */

/** The workflow starts behind intake answers (api/intake/dispatcher.ts). */
export const DISPATCHER_DEFAULTS = {
  concurrency: 4,
  busyThreshold: 0.7,
  busyStartIntervalMs: 50,
  maxQueued: 10_000,
  markDelayMs: 200,
  startTimeoutMs: 5_000,
} as const;

/** The inbox relay that starts what the dispatcher could not (api/intake/relay.ts). */
export const RELAY_DEFAULTS = { intervalMs: 5_000, graceMs: 10_000, startTimeoutMs: 5_000 } as const;

/** Deadline of each update, query and signal the API sends to a workflow (api/workflow-calls.ts). */
export const DEFAULT_WORKFLOW_CALL_TIMEOUT_MS = 15_000;
