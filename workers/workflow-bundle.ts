/**
 * The workflow code a worker loads. `npm run build` bundles it once, beside the compiled code
 * (dist/workflow-bundle.js), so a production worker starts without running webpack; from the TypeScript
 * sources (tsx, tests) there is no such file and the worker bundles workflows/ at start, as before.
 * `node dist/workers/workflow-bundle.js` writes the bundle (scripts/build.js runs it after tsc).
 *
 * There are two bundles: workflow code turns its own failures (a failed run, a refused update) into
 * history entries with the failure converter compiled into it, and with payload encryption on that
 * converter must put the message into an encrypted payload (lib/encoded-failure-converter.ts), while
 * with encryption off failures stay as they always were. The worker picks the bundle that matches.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';
import { ENCODED_FAILURE_CONVERTER_PATH } from '../lib/payload-encryption';
import { ENCODED_FAILURES_BUNDLE_MARK } from '../lib/encoded-failure-converter';

/** Where the build puts the bundle: one level above workers/, i.e. dist/workflow-bundle.js. */
export const PREBUILT_WORKFLOW_BUNDLE = path.join(__dirname, '..', 'workflow-bundle.js');
/** The bundle for payload encryption on: failure messages go through the codec. */
export const PREBUILT_ENCODED_FAILURES_BUNDLE = path.join(__dirname, '..', 'workflow-bundle-encoded-failures.js');

export interface BundleOptions {
  /** Compile in the failure converter that encodes messages and stack traces (payload encryption on). */
  encodesFailures?: boolean;
}

/**
 * Only compiled code looks for a bundle: from the sources, PREBUILT_WORKFLOW_BUNDLE would point into
 * the repository root, and a stray file there must never stand in for the workflows being edited.
 */
const isCompiled = path.extname(__filename) === '.js';

/** The prebuilt bundle's path when this is a build that has one; otherwise undefined (bundle at start). */
export function prebuiltWorkflowBundle(options: BundleOptions = {}): string | undefined {
  const file = options.encodesFailures ? PREBUILT_ENCODED_FAILURES_BUNDLE : PREBUILT_WORKFLOW_BUNDLE;
  return isCompiled && existsSync(file) ? file : undefined;
}

/** Bundles workflows/index (the compiled JavaScript in a build) into `file`. */
export async function writeWorkflowBundle(file: string, options: BundleOptions = {}): Promise<void> {
  const { code } = await bundleWorkflowCode({
    workflowsPath: require.resolve('../workflows'),
    failureConverterPath: options.encodesFailures ? ENCODED_FAILURE_CONVERTER_PATH : undefined,
    logger: new DefaultLogger('WARN'),
  });
  writeFileSync(file, code);
}

/** Whether the bundle in `file` was built with the encoding failure converter. */
export function bundleEncodesFailures(file: string): boolean {
  return readFileSync(file, 'utf8').includes(ENCODED_FAILURES_BUNDLE_MARK);
}

if (require.main === module) {
  if (!isCompiled) {
    process.stderr.write('workflow-bundle: run it from a build (npm run build), not from the TypeScript sources\n');
    process.exit(2);
  }
  const written = async () => {
    await writeWorkflowBundle(PREBUILT_WORKFLOW_BUNDLE);
    await writeWorkflowBundle(PREBUILT_ENCODED_FAILURES_BUNDLE, { encodesFailures: true });
  };
  written().then(
    () =>
      process.stdout.write(
        `workflow bundles written to ${PREBUILT_WORKFLOW_BUNDLE} and ${PREBUILT_ENCODED_FAILURES_BUNDLE}\n`,
      ),
    (error: unknown) => {
      process.stderr.write(`workflow-bundle: failed: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
