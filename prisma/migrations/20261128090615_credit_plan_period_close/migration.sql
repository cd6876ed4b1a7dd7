-- AlterTable
ALTER TABLE "credit_memo" ADD COLUMN     "plan" JSONB;

-- CreateTable
CREATE TABLE "period_close" (
    "close_key" TEXT NOT NULL,
    "customer_id" TEXT NOT NULL,
    "base_label" TEXT NOT NULL,
    "label" TEXT NOT NULL,
    "cutoff" TIMESTAMPTZ(3) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "period_close_pkey" PRIMARY KEY ("close_key")
);

-- CreateIndex
CREATE INDEX "period_close_customer_id_base_label_idx" ON "period_close"("customer_id", "base_label");

-- CreateIndex
CREATE UNIQUE INDEX "period_close_customer_id_label_key" ON "period_close"("customer_id", "label");


-- Labels used by closes before this table existed stay taken (a restarted period workflow must not
-- reuse them). Their cutoff is unknown: the latest billable instant they claimed stands in.
INSERT INTO "period_close" ("close_key", "customer_id", "base_label", "label", "cutoff")
SELECT "period_key" || '/legacy', "customer_id",
       regexp_replace(substring("period_key" from length("customer_id") + 2), '\.[0-9]+$', ''),
       substring("period_key" from length("customer_id") + 2),
       max("billable_at")
FROM "period_billing_item"
WHERE "period_key" IS NOT NULL
GROUP BY "customer_id", "period_key"
ON CONFLICT DO NOTHING;

-- Nevada: the Reno warehouse's state had no row, so its ship-tos were billed without tax.
INSERT INTO "tax_rate" ("country", "region", "rate_bp") VALUES ('US', 'NV', 685) ON CONFLICT DO NOTHING;
