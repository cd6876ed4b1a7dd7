-- AlterTable
ALTER TABLE "customer" ADD COLUMN     "credit_hold_source" TEXT;

-- CreateTable
CREATE TABLE "timed_out_call" (
    "id" BIGSERIAL NOT NULL,
    "workflow_id" TEXT NOT NULL,
    "run_id" TEXT,
    "call" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "actor" TEXT NOT NULL,
    "request" TEXT NOT NULL,
    "deadline_ms" INTEGER NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "timed_out_call_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "timed_out_call_workflow_id_idx" ON "timed_out_call"("workflow_id");

-- CreateIndex
CREATE INDEX "timed_out_call_at_idx" ON "timed_out_call"("at");


-- Holds in place now: dunning's where an escalated invoice is still open (a payment lifts those, as
-- before), manual (null) otherwise.
UPDATE "customer" c SET "credit_hold_source" = 'dunning'
WHERE c."is_on_credit_hold"
  AND EXISTS (SELECT 1 FROM "invoice" i WHERE i."customer_id" = c."id" AND i."is_escalated" AND i."status" NOT IN ('paid', 'void', 'written_off', 'credited'));
