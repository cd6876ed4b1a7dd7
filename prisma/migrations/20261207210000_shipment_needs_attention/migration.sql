-- A shipment run's needs-attention flag on its row, mirrored by record-transition like the order's:
-- the order lists and their needsAttention filter find an order whose only stuck step is a shipment's
-- (issue 13). Existing shipments take the work queue's rule: a step whose latest transition, an SLA
-- breach aside, is needs_attention, on a shipment not delivered or cancelled.

-- AlterTable
ALTER TABLE "shipment" ADD COLUMN "needs_attention" BOOLEAN NOT NULL DEFAULT false;

-- Backfill
UPDATE "shipment" s SET "needs_attention" = true
WHERE s."status" NOT IN ('delivered', 'cancelled') AND EXISTS (
  SELECT 1 FROM "step_event" e
  WHERE e."workflow_id" = s."id" AND e."to_status" = 'needs_attention'
    AND NOT EXISTS (
      SELECT 1 FROM "step_event" l
      WHERE l."workflow_id" = e."workflow_id" AND l."step" = e."step" AND l."id" > e."id" AND l."to_status" <> 'sla_breached'));

-- CreateIndex
CREATE INDEX "shipment_needs_attention_order_id_idx" ON "shipment"("needs_attention", "order_id");
