/** Goods moving: proof of delivery of a shipment, and a receipt arriving that releases backorders. */
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { orderIdSchema, RUN_PROBLEMS } from '../../schemas';
import { runStateSchema } from '../../views/order-view';
import { executeUpdate, signalWorkflow } from '../../workflow-calls';
import { audited } from '../../audit';
import { ProblemError } from '../../problems';
import { refuseWrongKind, runKindOf } from '../../run-kind';
import { receiptArrived } from '../../../workflows/fulfillment/messages';
import { recordDelivery } from '../../../workflows/shipping/messages';
import type { RouteApp } from '../route-app';
import { OPS, runParams, stateOf, type OpsDeps } from './shared';

export function registerDelivery(app: RouteApp, deps: OpsDeps): void {
  app.post(
    '/orders/:orderId/delivery',
    {
      config: OPS,
      schema: {
        tags: ['ops'],
        summary: 'Proof of delivery for one shipment of the order',
        params: runParams,
        body: z.object({
          shipmentId: orderIdSchema.describe('a shipment id of the order (<orderId>-S<n>)'),
          signer: z.string().trim().min(1).max(200),
          deliveredAt: z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time' }),
          exceptions: z
            .array(
              z.object({
                lineNo: z.number().int().positive(),
                type: z.enum(['damaged', 'short', 'wrong-item']),
                quantity: z.number().int().positive(),
                note: z.string().max(500).optional(),
              }),
            )
            .max(500)
            .default([]),
        }),
        response: { 200: runStateSchema, ...RUN_PROBLEMS },
      },
    },
    async (req) => {
      const { shipmentId, ...pod } = req.body;
      await requireShipmentOfOrder(deps, req, shipmentId, req.params.orderId);
      return audited(
        deps.db,
        req,
        { action: 'delivery', targetType: 'shipment', targetId: shipmentId },
        stateOf(deps, shipmentId),
        () => executeUpdate(deps.temporal, shipmentId, recordDelivery, [pod]),
      );
    },
  );
}

/** 404 unless `shipmentId` is a stored shipment of `orderId` (a run of another kind is audited as a refusal). */
async function requireShipmentOfOrder(deps: OpsDeps, req: FastifyRequest, shipmentId: string, orderId: string) {
  // The stored shipment row, not the id's shape: `invoice-<orderId>-S1` also starts with the prefix.
  const shipment = await deps.db.shipment.findUnique({ where: { id: shipmentId }, select: { orderId: true } });
  if (!shipment) {
    const kind = await runKindOf(deps.db, shipmentId);
    if (kind) await refuseWrongKind(deps.db, req, shipmentId, kind, 'shipments');
    throw new ProblemError('notFound', `no run ${shipmentId} among shipments`);
  }
  if (shipment.orderId !== orderId)
    throw new ProblemError('notFound', `shipment ${shipmentId} does not belong to order ${orderId}`);
}

export function registerReceipts(app: RouteApp, deps: OpsDeps): void {
  app.post(
    '/receipts',
    {
      config: OPS,
      schema: {
        tags: ['ops'],
        summary: 'A scheduled receipt arrived: stock goes up and waiting backorders are released',
        body: z.object({ receiptId: z.string().min(1).max(100) }),
        response: {
          200: z.object({
            receiptId: z.string(),
            sku: z.string(),
            warehouseId: z.string(),
            quantity: z.number(),
            notifiedOrders: z.array(z.string()),
            /** Orders that could not be told (e.g. their workflow is gone): ops follow up on each. */
            failedOrders: z.array(z.object({ orderId: z.string(), reason: z.string() })),
          }),
          ...RUN_PROBLEMS,
        },
      },
    },
    async (req) =>
      audited(
        deps.db,
        req,
        { action: 'receipt arrived', targetType: 'receipt', targetId: req.body.receiptId },
        async () => null,
        () => receiveAndNotify(deps, req, req.body.receiptId),
      ),
  );
}

async function receiveAndNotify(deps: OpsDeps, req: FastifyRequest, receiptId: string) {
  // An unknown receipt fails as UnknownReceipt, whichever WMS answers: the error handler makes it a 404.
  const arrived = await deps.wms.receive(receiptId);
  // Every waiting order is told, whatever happens to another one: a signal that fails is reported.
  const notifiedOrders: string[] = [];
  const failedOrders: { orderId: string; reason: string }[] = [];
  for (const orderId of arrived.waitingOrderIds) {
    try {
      await signalWorkflow(deps.temporal, orderId, receiptArrived, { receiptId, sku: arrived.sku });
      notifiedOrders.push(orderId);
    } catch (error) {
      failedOrders.push({ orderId, reason: error instanceof Error ? error.message : String(error) });
    }
  }
  if (failedOrders.length > 0)
    req.log.warn({ receiptId, failedOrders }, 'receipt arrived: some waiting orders could not be told');
  return {
    receiptId,
    sku: arrived.sku,
    warehouseId: arrived.warehouseId,
    quantity: arrived.quantity,
    notifiedOrders,
    failedOrders,
  };
}
