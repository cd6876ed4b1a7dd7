import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../../..');

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

// The 1,000-order soak's runner died on an uncaught error and left its Temporal server, workers and
// API running: its `finally` never ran. The parts now go with the runner's exit.
describe('soak cluster', () => {
  it('takes its running parts along when the runner dies of an uncaught error', async () => {
    const logFile = path.join(mkdtempSync(path.join(os.tmpdir(), 'soak-part-')), 'part.log');
    const script = `
      const { managed } = require('./soak/cluster');
      const part = managed({ name: 'sleeper', kind: 'worker', command: 'sleep', args: ['60'], env: process.env,
        logFile: ${JSON.stringify(logFile)}, ready: () => new Promise((r) => setTimeout(r, 100)) });
      part.start().then(() => {
        process.stdout.write(String(require('node:child_process').execSync('pgrep -P ' + process.pid + ' sleep')).trim());
        setTimeout(() => { throw new Error('the runner crashes'); }, 10);
      });`;
    const run = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(run.stderr).toContain('the runner crashes');
    const pid = Number(run.stdout);
    expect(pid).toBeGreaterThan(0);
    for (let wait = 0; wait < 20 && isAlive(pid); wait += 1) await new Promise((r) => setTimeout(r, 100));
    expect(isAlive(pid)).toBe(false);
  });
});
