/**
 * All activities, bound to their dependencies. The worker registers exactly this object; workflows see
 * only its type (activities/contract.ts).
 */
import type { ActivityDeps } from './deps';
import type { SlaBreachInput, StepInput, TransitionRecord } from './contract';
import { recordTransition } from './engine/record-transition';
import { handleSlaBreach } from './engine/handle-sla-breach';
import { recordOrder } from './orders/record-order';
import { sendOrderReceivedEmail } from './orders/send-order-received';

export function createActivities(deps: ActivityDeps) {
  return {
    // engine bookkeeping
    recordTransition: (t: TransitionRecord) => recordTransition(deps, t),
    handleSlaBreach: (b: SlaBreachInput) => handleSlaBreach(deps, b),
    // order steps
    recordOrder: (i: StepInput) => recordOrder(deps, i),
    sendOrderReceivedEmail: (i: StepInput) => sendOrderReceivedEmail(deps, i),
  };
}
