import type { ActivityDeps } from '../deps';
import type { SlaBreachInput } from '../contract';
import { sendMailOnce } from '../mail/send-once';

const SUBJECT: Record<SlaBreachInput['action'], string> = {
  'notify-ops': 'SLA breached',
  escalate: 'ESCALATION: SLA breached',
  expedite: 'EXPEDITE: SLA breached',
};

/**
 * Runs a step's breach action once: records the breach (keyed by workflow + step) and tells the people
 * who can act. `escalate` also copies finance; `expedite` asks ops to expedite the order.
 */
export async function handleSlaBreach(deps: ActivityDeps, breach: SlaBreachInput): Promise<void> {
  await deps.db.slaBreach.createMany({
    data: [{
      idempotencyKey: breach.idempotencyKey,
      orderId: breach.run.orderId,
      runKind: breach.run.kind,
      runId: breach.run.id,
      step: breach.step,
      action: breach.action,
      deadline: new Date(breach.deadline),
    }],
    skipDuplicates: true,
  });
  const to = breach.action === 'escalate' ? [deps.settings.opsEmail, deps.settings.financeEmail] : [deps.settings.opsEmail];
  await sendMailOnce(deps, {
    idempotencyKey: breach.idempotencyKey,
    orderId: breach.run.orderId,
    template: `sla-breach-${breach.action}`,
    to,
    subject: `${SUBJECT[breach.action]}: ${breach.run.orderId} step ${breach.step}`,
    text: [
      `Order ${breach.run.orderId} (customer ${breach.run.event.customer.name}, PO ${breach.run.event.poNumber})`,
      `missed the SLA of step "${breach.step}": deadline ${breach.deadline}, step is ${breach.stepStatus}.`,
      breach.action === 'expedite' ? 'Please expedite this order.' : 'Please look into it.',
      '',
      `Timeline: ${deps.settings.publicUrl}/v1/orders/${breach.run.orderId}`,
    ].join('\n'),
  });
  deps.log.warn({ orderId: breach.run.orderId, step: breach.step, action: breach.action }, 'SLA breached');
}
