/**
 * The promises closedloop makes, checked after a soak from the witnesses that outlive every crash:
 * PostgreSQL (the built-in ERP, WMS and TMS keep their books there), the SMTP capture and Temporal.
 * Each invariant reports how many things it looked at and the rows that broke it; the families live
 * in soak/invariants/, one module each.
 */
import { Checker, type InvariantInputs, type InvariantResult } from './invariants/checker';
import { effectInvariants } from './invariants/effects';
import { moneyInvariants } from './invariants/money';
import { stockInvariants } from './invariants/stock';
import { workflowInvariants } from './invariants/workflows';

export type { InvariantInputs, InvariantResult } from './invariants/checker';

export async function checkInvariants(
  input: InvariantInputs,
): Promise<{ results: InvariantResult[]; activityRetries: number }> {
  const c = new Checker();
  await workflowInvariants(c, input);
  await effectInvariants(c, input);
  await stockInvariants(c, input);
  await moneyInvariants(c, input);
  return { results: c.results, activityRetries: c.activityRetries };
}
