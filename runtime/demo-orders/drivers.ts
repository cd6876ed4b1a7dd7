/** How each demo order is driven to its state, with the API calls a person would make. */
import { stepOf as step, type DemoApi, type Json } from './api-client';
import { DEMO_RETURN_LINES, type DemoOrderKey } from './deals';

/** Each driver answers the state its order reached, as the log line says it. */
export function demoDrivers(api: DemoApi): Record<DemoOrderKey, (orderId: string) => Promise<string>> {
  const { until, order } = api;
  return {
    stuck: async (orderId) => {
      const shipmentId = `${orderId}-S1`;
      const timeline = await until(
        `${shipmentId} to stop at book-carrier`,
        () => api.expectOk('GET', `/v1/orders/${orderId}/timeline`),
        (t) =>
          t.runs?.some(
            (r: Json) =>
              r.runId === shipmentId &&
              step(r.state ? { workflow: r.state } : undefined, 'book-carrier')?.status === 'needs_attention',
          ),
      );
      const booking = step({ workflow: timeline.runs.find((r: Json) => r.runId === shipmentId).state }, 'book-carrier');
      return `shipment ${shipmentId} needs attention at book-carrier: ${booking.lastError}`;
    },
    'credit-hold': async (orderId) => {
      const view = await until(
        `${orderId} to wait for a credit decision`,
        () => order(orderId),
        (v) => step(v, 'credit-approval')?.status === 'waiting',
      );
      return `${view.status}: waiting at credit-approval for a credit decision (POST /v1/orders/${orderId}/credit-decision)`;
    },
    backordered: async (orderId) => {
      // Nothing to ship until the motors come in: no shipment is released, the order waits.
      const view = await until(
        `${orderId} to be backordered`,
        () => order(orderId),
        (v) => v.status === 'partially_released' && v.shipments?.length === 0,
      );
      const backorders = (view.workflow.results['reserve-stock']?.backorders ?? []) as {
        sku: string;
        quantity: number;
        availableDate: string;
      }[];
      return `${view.status}: ${backorders.map((b) => `${b.quantity} x ${b.sku} backordered until ${b.availableDate}`).join(', ') || 'nothing backordered'}`;
    },
    invoiced: async (orderId) => {
      const view = await deliver(api, orderId, 'Luis Ortega');
      const invoice = view.invoices[0];
      return `delivered, ${view.status}; invoice ${invoice.invoiceNumber} ${invoice.status} on ${invoice.issueDate}, NET1: due ${invoice.dueDate}, past due from the day after`;
    },
    return: (orderId) => driveReturn(api, orderId),
  };
}

/** Proof of delivery for the order's one shipment, unless it is delivered already; answers the invoiced order. */
async function deliver({ until, order, expectOk }: DemoApi, orderId: string, signer: string): Promise<Json> {
  const view = await until(
    `${orderId} to ship`,
    () => order(orderId),
    (v) =>
      ['shipped', 'partially_delivered', 'delivered', 'fulfilled'].includes(v.status) ||
      v.shipments?.[0]?.status === 'delivered',
  );
  const shipment = view.shipments[0];
  if (shipment.status !== 'delivered') {
    await expectOk('POST', `/v1/orders/${orderId}/delivery`, {
      shipmentId: shipment.shipmentId,
      signer,
      deliveredAt: new Date().toISOString(),
    });
  }
  return until(
    `${orderId} to be invoiced`,
    () => order(orderId),
    (v) => v.status === 'fulfilled' && ['sent', 'overdue', 'paid'].includes(v.invoices?.[0]?.status),
  );
}

/** Delivered, a return requested (once), approved and received: it waits at inspect-return. */
async function driveReturn(api: DemoApi, orderId: string): Promise<string> {
  const { until, expectOk } = api;
  await deliver(api, orderId, 'Luis Ortega');
  let returnId = (await expectOk('GET', `/v1/returns?orderId=${encodeURIComponent(orderId)}`)).items?.[0]?.returnId as
    string | undefined;
  if (!returnId)
    returnId = (await expectOk('POST', `/v1/orders/${orderId}/returns`, { lines: DEMO_RETURN_LINES }))
      .returnId as string;
  const read = () => expectOk('GET', `/v1/returns/${returnId}`);
  const waiting = (v: Json, name: string) => step(v, name)?.status === 'waiting';
  let view = await until(
    `${returnId} to be checked`,
    read,
    (v) => waiting(v, 'approve-return') || waiting(v, 'await-receipt') || waiting(v, 'inspect-return'),
  );
  if (waiting(view, 'approve-return')) {
    await expectOk('POST', `/v1/returns/${returnId}/approve`, {
      decision: 'approve',
      reason: 'Demo: valves leak at the stem; replacement order follows',
    });
    view = await until(
      `${returnId} to await the goods`,
      read,
      (v) => waiting(v, 'await-receipt') || waiting(v, 'inspect-return'),
    );
  }
  if (waiting(view, 'await-receipt')) {
    await expectOk('POST', `/v1/returns/${returnId}/receive`, {
      warehouseId: 'WH-COLUMBUS',
      receivedAt: new Date().toISOString(),
    });
    view = await until(`${returnId} to await inspection`, read, (v) => waiting(v, 'inspect-return'));
  }
  return `delivered; return ${returnId} (${view.status}) approved and received, waiting at inspect-return (POST /v1/returns/${returnId}/inspect)`;
}
