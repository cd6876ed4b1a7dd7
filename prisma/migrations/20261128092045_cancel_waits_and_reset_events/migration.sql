-- DropIndex
DROP INDEX "step_event_workflow_id_seq_key";

-- AlterTable
ALTER TABLE "order" ADD COLUMN     "cancel_requested_at" TIMESTAMPTZ(3);

-- AlterTable
ALTER TABLE "step_event" ADD COLUMN     "temporal_run_id" TEXT NOT NULL DEFAULT '';

-- AlterTable
ALTER TABLE "shipment" ADD COLUMN     "cancel_requested_at" TIMESTAMPTZ(3),
ADD COLUMN     "carrier_booking_cancelled_at" TIMESTAMPTZ(3),
ADD COLUMN     "lines_released_at" TIMESTAMPTZ(3);

-- CreateIndex
CREATE UNIQUE INDEX "step_event_workflow_id_temporal_run_id_seq_key" ON "step_event"("workflow_id", "temporal_run_id", "seq");

