-- AlterTable
ALTER TABLE "customer" ADD COLUMN     "billing_period" TEXT NOT NULL DEFAULT 'monthly';

-- AlterTable
ALTER TABLE "invoice" ADD COLUMN     "order_ids" TEXT[] DEFAULT ARRAY[]::TEXT[];

-- CreateTable
CREATE TABLE "period_billing_item" (
    "shipment_id" TEXT NOT NULL,
    "customer_id" TEXT NOT NULL,
    "order_id" TEXT NOT NULL,
    "currency" CHAR(3) NOT NULL,
    "payment_terms" TEXT NOT NULL,
    "event" JSONB NOT NULL,
    "prices" JSONB NOT NULL,
    "billable_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "period_key" TEXT,
    "invoice_id" TEXT,

    CONSTRAINT "period_billing_item_pkey" PRIMARY KEY ("shipment_id")
);

-- CreateIndex
CREATE INDEX "period_billing_item_customer_id_period_key_idx" ON "period_billing_item"("customer_id", "period_key");

-- Invoices issued before period billing each bill exactly one order
UPDATE "invoice" SET "order_ids" = ARRAY["order_id"];
