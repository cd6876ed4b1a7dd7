/** The API benchmark's files, fixed settings and progress line. */
import path from 'node:path';

const RESULTS_DIR = path.join(__dirname, '..', '..', 'bench-results');
export const RESULTS_FILE = path.join(RESULTS_DIR, 'api.json');
// `--profile`: the last round of each, so the two can be compared part by part.
export const PROFILE_FILES = {
  intake: path.join(RESULTS_DIR, 'api-intake.cpuprofile'),
  insertBaseline: path.join(RESULTS_DIR, 'api-insert-baseline.cpuprofile'),
};
/** How long the read worker may take to run the first workflow task of every order intake started. */
export const CATCH_UP_TIMEOUT_MS = 10 * 60_000;

export const say = (message: string): void => void process.stderr.write(`[bench:api] ${message}\n`);
