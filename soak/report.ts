/** The soak's report: what ran, what happened to the orders and whether every invariant held. */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ActionLog } from './business';
import type { PartKind } from './cluster';
import type { InvariantResult } from './invariants';

export interface SoakReport {
  seed: number;
  orders: number;
  chaos: boolean;
  workers: number;
  faultFailureRate: number;
  actions: { total: number; doubled: number; byKind: ActionLog['counts'] };
  /** Activity attempts beyond the first: injected adapter faults, attempts cut by a kill, timeouts. */
  activityRetries: number;
  returns: number;
  creditMemos: number;
  kills: Record<PartKind, number>;
  serverErrors: ActionLog['serverErrors'];
  outcome: Record<string, number>;
  durationSeconds: number;
  invariants: InvariantResult[];
  /** Invariants that held only because they had nothing to compare (0 checked): the run did not exercise them. */
  comparedNothing: string[];
  reproduce: string;
}

export function printReport(r: SoakReport, say: (line: string) => void): void {
  say('');
  say(
    `soak: seed ${r.seed}, ${r.orders} orders in ${r.durationSeconds} s; ${r.actions.total} actions (${r.actions.doubled} sent twice at once); ${r.activityRetries} activity retries; ${r.returns} returns, ${r.creditMemos} credit memos; kills: ${Object.entries(
      r.kills,
    )
      .map(([k, n]) => `${k} ${n}`)
      .join(', ')}`,
  );
  say(
    `  orders: ${Object.entries(r.outcome)
      .map(([k, n]) => `${k} ${n}`)
      .join(', ')}`,
  );
  for (const i of r.invariants)
    say(
      `  ${i.held ? 'held  ' : 'BROKEN'} ${i.name} (${i.checked} checked${i.held ? '' : `, ${i.broken.length} broken: ${JSON.stringify(i.broken.slice(0, 3))}`})`,
    );
  if (r.comparedNothing.length > 0) say(`soak: compared nothing, so not exercised: ${r.comparedNothing.join('; ')}`);
  const broken = r.invariants.filter((i) => !i.held).length;
  say(
    broken === 0 ? 'soak: every invariant held' : `soak: ${broken} invariant(s) broken; reproduce with: ${r.reproduce}`,
  );
}

export function writeReport(report: SoakReport, out: string, say: (line: string) => void): void {
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
  say(`soak: report written to ${out}`);
}
