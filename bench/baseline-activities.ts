/**
 * The baseline's activities: they do nothing, so a baseline run costs only what Temporal, the SDK and
 * the machine charge for scheduling, dispatching and recording them (see bench/baseline-workflows.ts).
 */
export function createBaselineActivities() {
  return {
    async noop(): Promise<void> {
      // Intentionally empty: the baseline measures orchestration, not work.
    },
  };
}

export type BaselineActivities = ReturnType<typeof createBaselineActivities>;
