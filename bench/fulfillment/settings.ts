/** The fulfillment benchmark's fixed settings and the environment variables its experiments read. */
import path from 'node:path';
import { parseDroppableOps } from '../workflow-shape';

/** An order that takes longer than this failed, as far as the benchmark is concerned. */
export const RUN_TIMEOUT_MS = 120_000;
/** Between phases: no activity of either worker for this long (work left behind by finished runs is done). */
export const SETTLE_QUIET_MS = 1000;
export const SIGNER = 'Bench Receiver';
/** Value of the fixture's order at its contract and list prices: 240 × 21.50 + 1,200 × 0.85 + 12 × 92.00 USD. */
export const ORDER_VALUE_MINOR = 240 * 2_150 + 1_200 * 85 + 12 * 9_200;
/**
 * Experiments only (the figures are then not the benchmark's): BENCH_BASELINE_DROP=local-activity,...
 * leaves those commands out of the baseline, to price them.
 */
export const BASELINE_DROP = parseDroppableOps(process.env.BENCH_BASELINE_DROP);
/** createDb's default, as the worker runs in production (runtime/system.ts); BENCH_DB_POOL to experiment. */
export const DB_POOL = Number(process.env.BENCH_DB_POOL ?? 10);
export const IS_EXPERIMENT = BASELINE_DROP.length > 0 || process.env.BENCH_DB_POOL !== undefined;
const RESULTS_DIR = path.join(__dirname, '..', '..', 'bench-results');
/** An experiment never overwrites the benchmark's figures. */
export const RESULTS_FILE = path.join(RESULTS_DIR, IS_EXPERIMENT ? 'fulfillment.experiment.json' : 'fulfillment.json');
export const BILLING_RESULTS_FILE = path.join(RESULTS_DIR, IS_EXPERIMENT ? 'billing.experiment.json' : 'billing.json');

export const say = (message: string): void => void process.stderr.write(`[bench] ${message}\n`);
