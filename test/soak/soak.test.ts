/**
 * The small seeded chaos soak of `npm test`: about 40 orders of random business through the real API,
 * workers and Temporal dev server (own processes), one kill -9 of each kind, then every invariant of
 * soak/invariants.ts must hold. `npm run soak -- --orders 1000 --chaos` is the long version.
 */
import { runSoak } from '../../soak/run';

it(
  'holds every invariant through a seeded chaos soak of 40 orders',
  async () => {
    const lines: string[] = [];
    const report = await runSoak({
      seed: 20261128,
      orders: 40,
      chaos: true,
      workers: 2,
      faultRate: 0.02,
      log: (l) => lines.push(l),
    }).catch((error: Error) => {
      throw new Error(`the soak stopped: ${error.message}\n${lines.join('\n')}`);
    });
    expect(report.kills.worker).toBeGreaterThanOrEqual(1);
    expect(report.kills.api).toBeGreaterThanOrEqual(1);
    expect(report.kills.temporal).toBeGreaterThanOrEqual(1);
    const broken = report.invariants.filter((i) => !i.held);
    if (broken.length > 0) throw new Error(`broken invariants (reproduce: ${report.reproduce}):\n${lines.join('\n')}`);
    // An invariant with nothing to compare holds vacuously: the business must reach every one of them,
    // except the credit memos' two. At 40 orders a return reaches its credit memo (delivered, returned,
    // approved, received, inspected) only when the run's timing allows; the long soak checks them.
    const mayCompareNothing = ['one refund per credit memo', 'credit memo applications + refund = memo total'];
    expect(report.comparedNothing.filter((name) => !mayCompareNothing.includes(name))).toEqual([]);
  },
  40 * 60_000,
);
