import type { ActivityDeps } from '../deps';
import type { SlaBreachInput } from '../contract';
import { sendMailOnce } from '../mail/send-once';

const SUBJECT: Record<SlaBreachInput['action'], string> = {
  'notify-ops': 'SLA breached',
  escalate: 'ESCALATION: SLA breached',
  expedite: 'EXPEDITE: SLA breached',
};

/** Where ops look at each kind of run (a shipment's steps are on its order's timeline). */
const RESOURCE: Record<SlaBreachInput['run']['kind'], string | undefined> = {
  order: '/v1/orders',
  shipment: undefined,
  invoice: '/v1/invoices',
  return: '/v1/returns',
};

/** "order-D-1" for an order; "return-order-D-1-1 (order order-D-1)" for its shipments, invoices and returns. */
const runName = (run: SlaBreachInput['run']) => (run.id === run.orderId ? run.id : `${run.id} (order ${run.orderId})`);
const capitalised = (kind: string) => kind.charAt(0).toUpperCase() + kind.slice(1);

/**
 * Runs a step's breach action once: records the breach (keyed by workflow + step) and tells the people
 * who can act. `escalate` also copies finance; `expedite` asks ops to expedite the order.
 */
export async function handleSlaBreach(deps: ActivityDeps, breach: SlaBreachInput): Promise<void> {
  await deps.db.slaBreach.createMany({
    data: [
      {
        idempotencyKey: breach.idempotencyKey,
        orderId: breach.run.orderId,
        runKind: breach.run.kind,
        runId: breach.run.id,
        step: breach.step,
        action: breach.action,
        deadline: new Date(breach.deadline),
      },
    ],
    skipDuplicates: true,
  });
  const to =
    breach.action === 'escalate' ? [deps.settings.opsEmail, deps.settings.financeEmail] : [deps.settings.opsEmail];
  await sendMailOnce(deps, {
    idempotencyKey: breach.idempotencyKey,
    orderId: breach.run.orderId,
    template: `sla-breach-${breach.action}`,
    to,
    subject: `${SUBJECT[breach.action]}: ${runName(breach.run)} step ${breach.step}`,
    text: [
      `${capitalised(breach.run.kind)} ${runName(breach.run)} (customer ${breach.run.event.customer.name}, PO ${breach.run.event.poNumber})`,
      `missed the SLA of step "${breach.step}": deadline ${breach.deadline}, step is ${breach.stepStatus}.`,
      breach.action === 'expedite' ? 'Please expedite this order.' : 'Please look into it.',
      '',
      ...(RESOURCE[breach.run.kind]
        ? [`${capitalised(breach.run.kind)}: ${deps.settings.publicUrl}${RESOURCE[breach.run.kind]}/${breach.run.id}`]
        : []),
      `Order timeline: ${deps.settings.publicUrl}/v1/orders/${breach.run.orderId}/timeline`,
    ].join('\n'),
  });
  deps.log.warn({ orderId: breach.run.orderId, step: breach.step, action: breach.action }, 'SLA breached');
}
