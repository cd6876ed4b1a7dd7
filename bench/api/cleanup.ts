/** Things to undo, newest first; each runs once even if cleanup is requested twice (failure + Ctrl-C). */
export class Cleanup {
  private readonly steps: { what: string; run: () => Promise<void> | void }[] = [];

  constructor(private readonly say: (message: string) => void) {}

  add(what: string, run: () => Promise<void> | void): void {
    this.steps.push({ what, run });
  }

  /** Runs every step, newest first; false when one of them failed (each failure is reported). */
  async runAll(): Promise<boolean> {
    let isClean = true;
    for (let step = this.steps.pop(); step; step = this.steps.pop()) {
      try {
        await step.run();
      } catch (error) {
        isClean = false;
        this.say(`cleanup: ${step.what} failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    return isClean;
  }
}
