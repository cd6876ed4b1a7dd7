import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { Cleanup, throughputFigures } from '../../../bench/harness';

const ROOT = path.resolve(__dirname, '../../..');

describe('bench harness', () => {
  it('undoes newest first, once, and reports a failing step without stopping the others', async () => {
    const said: string[] = [];
    const done: string[] = [];
    const cleanup = new Cleanup((line) => said.push(line));
    cleanup.add('database', () => void done.push('database'));
    cleanup.add('server', () => {
      throw new Error('already gone');
    });
    cleanup.add('worker', async () => void done.push('worker'));
    expect(await cleanup.runAll()).toBe(false);
    expect(done).toEqual(['worker', 'database']);
    expect(said).toEqual(['cleanup: server failed: already gone']);
    expect(await cleanup.runAll()).toBe(true); // nothing left to undo
    expect(done).toEqual(['worker', 'database']);
  });

  it('puts the measured runs beside the baseline', () => {
    const latency = (p50Ms: number) => ({
      count: 10,
      minMs: 1,
      meanMs: p50Ms,
      p50Ms,
      p95Ms: p50Ms * 2,
      p99Ms: p50Ms * 3,
      maxMs: p50Ms * 4,
    });
    expect(
      throughputFigures(10, { perSecond: 12.345, latency: latency(100) }, { perSecond: 20, latency: latency(10) }),
    ).toEqual({
      orders: 10,
      ordersPerSecond: 12.35,
      baselinePerSecond: 20,
      ratio: 0.617,
      p50Ms: 100,
      p95Ms: 200,
      p99Ms: 300,
      baseline: { p50Ms: 10, p95Ms: 20, p99Ms: 30 },
    });
  });

  it.each([
    ['succeeds', 'async () => undefined', 0, []],
    ['fails', 'async () => { throw new Error("boom"); }', 1, ['failed: Error: boom']],
    [
      'leaves a stray rejection',
      'async () => { void Promise.reject(new Error("late")); await new Promise((r) => setTimeout(r, 50)); }',
      1,
      ['unexpected error: Error: late'],
    ],
  ])('exits with one code when the run %s, after its clean-up', (_what, body, code, lines) => {
    const script = `const { runBench } = require('./bench/harness');
      const say = (l) => process.stdout.write(l.split('\\n')[0] + '\\n');
      void runBench(say, async (cleanup) => { cleanup.add('scratch', () => say('cleaned')); await (${body})(); });`;
    const run = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], { cwd: ROOT, encoding: 'utf8' });
    expect(run.status).toBe(code);
    expect(run.stdout.trim().split('\n')).toEqual([...lines, 'cleaned']);
  });
});
