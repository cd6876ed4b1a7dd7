/**
 * inspect-return: the inspection. Restocked units go back into stock (and into their lot for
 * lot-tracked SKUs) in the same transaction that records the inspection, so stock never moves without
 * a recorded inspection or the other way round; scrapped units do not go back.
 */
import type { ActivityDeps } from '../deps';
import { type StepInput, type StepOutput, resultOf } from '../contract';
import { awaitReceiptStep } from '../../workflows/returns/steps/await-receipt';
import { checkedOf } from './check-return';
import type { ReturnInspection } from './types';

export interface InspectedLine {
  lineNo: number;
  sku: string;
  lotId?: string;
  reasonCode: string;
  quantity: number;
  restock: number;
  scrap: number;
  /** Credited: restocked + scrapped under a seller's-fault reason (policy creditScrapReasonCodes). */
  accepted: number;
  outcome: 'restock' | 'scrap' | 'mixed' | 'rejected';
}

/** What inspection found, as issue-credit-memo reads it. */
export interface InspectedReturn {
  warehouseId: string;
  lines: InspectedLine[];
  actor: string | null;
}

/**
 * Records the inspection and puts restocked units back at the receiving warehouse, in one transaction.
 * Idempotent: the return row is locked and an inspection already recorded is answered as stored.
 */
export async function recordReturnInspection(deps: ActivityDeps, input: StepInput): Promise<StepOutput> {
  const inspection = input.input as ReturnInspection;
  const checked = checkedOf(input);
  const receipt = resultOf(input, awaitReceiptStep);
  const creditsScrap = new Set(checked.creditScrapReasonCodes);
  const lines: InspectedLine[] = checked.lines.map((l) => {
    const found = inspection.lines.find((x) => x.lineNo === l.lineNo) ?? { restock: 0, scrap: 0 };
    const accepted = found.restock + (creditsScrap.has(l.reasonCode) ? found.scrap : 0);
    const outcome =
      found.restock > 0 && found.scrap > 0
        ? 'mixed'
        : found.restock > 0
          ? 'restock'
          : found.scrap > 0
            ? 'scrap'
            : 'rejected';
    return {
      lineNo: l.lineNo,
      sku: l.sku,
      lotId: l.lotId,
      reasonCode: l.reasonCode,
      quantity: l.quantity,
      restock: found.restock,
      scrap: found.scrap,
      accepted,
      outcome,
    };
  });
  const warehouseId = receipt.warehouseId;
  await deps.db.$transaction(
    async (tx) => {
      const [row] = await tx.$queryRaw<
        { inspected_at: Date | null }[]
      >`SELECT inspected_at FROM return_request WHERE id = ${input.run.id} FOR UPDATE`;
      if (!row) throw new Error(`return ${input.run.id} does not exist`);
      if (row.inspected_at) return; // recorded by an earlier attempt: stock already moved
      for (const l of lines) {
        await tx.returnLine.update({
          where: { returnId_lineNo: { returnId: input.run.id, lineNo: l.lineNo } },
          data: {
            restockQuantity: l.restock,
            scrapQuantity: l.scrap,
            acceptedQuantity: l.accepted,
            outcome: l.outcome,
          },
        });
        if (l.restock === 0) continue;
        await tx.stock.upsert({
          where: { warehouseId_sku: { warehouseId, sku: l.sku } },
          create: { warehouseId, sku: l.sku, onHand: l.restock },
          update: { onHand: { increment: l.restock } },
        });
        if (l.lotId !== undefined) {
          // A lot new to this warehouse keeps the expiry it has elsewhere.
          const known = await tx.stockLot.findFirst({ where: { sku: l.sku, lotId: l.lotId } });
          await tx.stockLot.upsert({
            where: { warehouseId_sku_lotId: { warehouseId, sku: l.sku, lotId: l.lotId } },
            create: {
              warehouseId,
              sku: l.sku,
              lotId: l.lotId,
              quantity: l.restock,
              expiryDate: known?.expiryDate ?? null,
            },
            update: { quantity: { increment: l.restock } },
          });
        }
      }
      await tx.returnRequest.update({ where: { id: input.run.id }, data: { inspectedAt: new Date() } });
    },
    { timeout: 30_000, maxWait: 30_000 },
  );
  return {
    data: { warehouseId, lines, actor: inspection.actor ?? null } satisfies InspectedReturn,
    status: 'inspected',
  };
}
