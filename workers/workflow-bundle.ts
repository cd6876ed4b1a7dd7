/**
 * The workflow code a worker loads. `npm run build` bundles it once, beside the compiled code
 * (dist/workflow-bundle.js), so a production worker starts without running webpack; from the TypeScript
 * sources (tsx, tests) there is no such file and the worker bundles workflows/ at start, as before.
 * `node dist/workers/workflow-bundle.js` writes the bundle (scripts/build.js runs it after tsc).
 */
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';

/** Where the build puts the bundle: one level above workers/, i.e. dist/workflow-bundle.js. */
export const PREBUILT_WORKFLOW_BUNDLE = path.join(__dirname, '..', 'workflow-bundle.js');

/**
 * Only compiled code looks for a bundle: from the sources, PREBUILT_WORKFLOW_BUNDLE would point into
 * the repository root, and a stray file there must never stand in for the workflows being edited.
 */
const isCompiled = path.extname(__filename) === '.js';

/** The prebuilt bundle's path when this is a build that has one; otherwise undefined (bundle at start). */
export function prebuiltWorkflowBundle(): string | undefined {
  return isCompiled && existsSync(PREBUILT_WORKFLOW_BUNDLE) ? PREBUILT_WORKFLOW_BUNDLE : undefined;
}

/** Bundles workflows/index (the compiled JavaScript in a build) into `file`. */
export async function writeWorkflowBundle(file: string): Promise<void> {
  const { code } = await bundleWorkflowCode({ workflowsPath: require.resolve('../workflows'), logger: new DefaultLogger('WARN') });
  writeFileSync(file, code);
}

if (require.main === module) {
  if (!isCompiled) {
    process.stderr.write('workflow-bundle: run it from a build (npm run build), not from the TypeScript sources\n');
    process.exit(2);
  }
  writeWorkflowBundle(PREBUILT_WORKFLOW_BUNDLE).then(
    () => process.stdout.write(`workflow bundle written to ${PREBUILT_WORKFLOW_BUNDLE}\n`),
    (error: unknown) => {
      process.stderr.write(`workflow-bundle: failed: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
