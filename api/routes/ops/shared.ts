import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppDeps } from '../../app';
import type { WmsAdapter } from '../../../adapters/types';
import { orderIdSchema } from '../../schemas';
import { queryRunState } from '../../views/order-view';
import { requireRunKind } from '../../run-kind';

export type OpsDeps = AppDeps & { wms: WmsAdapter };

export const OPS = { auth: { roles: ['ops'] as const } };
export const FINANCE = { auth: { roles: ['finance'] as const } };
export const orderOrShipmentIdSchema = orderIdSchema.describe(
  'order id, or a shipment id (<orderId>-S<n>) for shipment steps',
);
export const runParams = z.object({ orderId: orderOrShipmentIdSchema });

/** The run's state as the audit log records it before and after an action. */
export const stateOf = (deps: AppDeps, id: string) => () => queryRunState(deps.temporal, id);

/** Routes under /orders act on orders and their shipments only (invoices and returns have their own). */
export const requireOrderOrShipment = (deps: AppDeps, req: FastifyRequest, id: string) =>
  requireRunKind(deps.db, req, id, ['order', 'shipment'], 'orders and shipments');
