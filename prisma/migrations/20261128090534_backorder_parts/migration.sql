-- A backordered line can wait on several sources (a receipt and lead time): one row per part. Existing
-- rows become part 0 of their line, so they stay unique under the new key.
-- AlterTable
ALTER TABLE "backorder" DROP CONSTRAINT "backorder_pkey",
ADD COLUMN     "part_no" INTEGER NOT NULL DEFAULT 0,
ADD CONSTRAINT "backorder_pkey" PRIMARY KEY ("order_id", "line_no", "part_no");

-- CreateTable
CREATE TABLE "backorder_release" (
    "idempotency_key" TEXT NOT NULL,
    "order_id" TEXT NOT NULL,
    "result" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "backorder_release_pkey" PRIMARY KEY ("idempotency_key")
);

