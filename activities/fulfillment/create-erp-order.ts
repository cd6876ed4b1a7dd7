import type { ActivityDeps } from '../deps';
import { type StepInput, type StepOutput, resultOf } from '../contract';
import { reserveStockStep } from '../../workflows/fulfillment/steps/reserve-stock';
import { validateOrderStep } from '../../workflows/fulfillment/steps/validate-order';

/** Creates the ERP sales order once per deal, with confirmed lines and promised dates. */
export async function createErpOrder(deps: ActivityDeps, input: StepInput): Promise<StepOutput> {
  const order = resultOf(input, validateOrderStep);
  const plan = resultOf(input, reserveStockStep);
  const { event, orderId } = input.run;
  const lines = order.lines.flatMap((line) => {
    const shipped = plan.shipments.flatMap((s) =>
      s.lines
        .filter((l) => l.lineNo === line.lineNo)
        .map((l) => ({
          ...l,
          promisedShipDate: s.promisedShipDate,
          promisedDeliveryDate: s.promisedDeliveryDate,
          isBackordered: false,
        })),
    );
    const waiting = plan.backorders.filter((b) => b.lineNo === line.lineNo).map((b) => ({ ...b, isBackordered: true }));
    return [...shipped, ...waiting].map((part) => ({
      lineNo: line.lineNo,
      sku: line.sku,
      quantity: part.quantity,
      unitPriceMinor: line.unitPriceMinor,
      promisedShipDate: part.promisedShipDate,
      promisedDeliveryDate: part.promisedDeliveryDate,
      isBackordered: part.isBackordered,
    }));
  });
  const { erpOrderNumber } = await deps.adapters.erp.createSalesOrder(
    { orderId, customerId: event.customer.id, poNumber: event.poNumber, currency: event.currency, lines },
    input.idempotencyKey,
  );
  return { data: { erpOrderNumber, lines } };
}

/** Compensation: cancels the ERP sales order (idempotent). */
export async function cancelErpOrder(deps: ActivityDeps, input: StepInput): Promise<StepOutput> {
  await deps.adapters.erp.cancelSalesOrder(input.run.orderId, `${input.idempotencyKey}:cancel`);
  return {};
}
