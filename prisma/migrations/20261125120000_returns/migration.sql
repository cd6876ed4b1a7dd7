-- AlterTable
ALTER TABLE "invoice" ADD COLUMN     "credited_minor" BIGINT NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "return_policy" (
    "id" TEXT NOT NULL,
    "customer_id" TEXT,
    "window_days" INTEGER NOT NULL,
    "non_returnable_skus" TEXT[],
    "restocking_fee_bp" INTEGER NOT NULL,
    "auto_approve_max_minor" BIGINT NOT NULL,
    "reason_codes" TEXT[],
    "credit_scrap_reason_codes" TEXT[],

    CONSTRAINT "return_policy_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "return_request" (
    "id" TEXT NOT NULL,
    "order_id" TEXT NOT NULL,
    "customer_id" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "reason_code" TEXT,
    "requested_at" TIMESTAMPTZ(3) NOT NULL,
    "decision" TEXT,
    "decision_reason" TEXT,
    "decided_by" TEXT,
    "rejection_errors" JSONB,
    "value_minor" BIGINT NOT NULL DEFAULT 0,
    "currency" CHAR(3) NOT NULL,
    "carrier_id" TEXT,
    "tracking_number" TEXT,
    "label_url" TEXT,
    "warehouse_id" TEXT,
    "received_at" TIMESTAMPTZ(3),
    "inspected_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "return_request_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "return_line" (
    "return_id" TEXT NOT NULL,
    "line_no" INTEGER NOT NULL,
    "sku" TEXT NOT NULL,
    "lot_id" TEXT,
    "quantity" INTEGER NOT NULL,
    "reason_code" TEXT NOT NULL,
    "restock_quantity" INTEGER,
    "scrap_quantity" INTEGER,
    "outcome" TEXT,
    "accepted_quantity" INTEGER,

    CONSTRAINT "return_line_pkey" PRIMARY KEY ("return_id","line_no")
);

-- CreateTable
CREATE TABLE "credit_memo" (
    "id" TEXT NOT NULL,
    "credit_memo_number" TEXT NOT NULL,
    "return_id" TEXT NOT NULL,
    "order_id" TEXT NOT NULL,
    "customer_id" TEXT NOT NULL,
    "currency" CHAR(3) NOT NULL,
    "status" TEXT NOT NULL,
    "merchandise_minor" BIGINT NOT NULL,
    "restocking_fee_minor" BIGINT NOT NULL,
    "restocking_fee_bp" INTEGER NOT NULL,
    "tax_minor" BIGINT NOT NULL,
    "total_minor" BIGINT NOT NULL,
    "lines" JSONB NOT NULL,
    "applications" JSONB NOT NULL DEFAULT '[]',
    "refund_minor" BIGINT NOT NULL DEFAULT 0,
    "refund_reference" TEXT,
    "sent_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "credit_memo_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "invoice_credit" (
    "invoice_id" TEXT NOT NULL,
    "credit_memo_number" TEXT NOT NULL,
    "amount_minor" BIGINT NOT NULL,
    "applied_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "invoice_credit_pkey" PRIMARY KEY ("invoice_id","credit_memo_number")
);

-- CreateTable
CREATE TABLE "erp_refund" (
    "idempotency_key" TEXT NOT NULL,
    "refund_reference" TEXT NOT NULL,
    "customer_id" TEXT NOT NULL,
    "credit_memo_number" TEXT NOT NULL,
    "amount_minor" BIGINT NOT NULL,
    "currency" CHAR(3) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "erp_refund_pkey" PRIMARY KEY ("idempotency_key")
);

-- CreateIndex
CREATE UNIQUE INDEX "return_policy_customer_id_key" ON "return_policy"("customer_id");

-- CreateIndex
CREATE INDEX "return_request_order_id_idx" ON "return_request"("order_id");

-- CreateIndex
CREATE INDEX "return_request_customer_id_status_idx" ON "return_request"("customer_id", "status");

-- CreateIndex
CREATE UNIQUE INDEX "credit_memo_credit_memo_number_key" ON "credit_memo"("credit_memo_number");

-- CreateIndex
CREATE UNIQUE INDEX "credit_memo_return_id_key" ON "credit_memo"("return_id");

-- CreateIndex
CREATE INDEX "credit_memo_customer_id_idx" ON "credit_memo"("customer_id");

-- CreateIndex
CREATE INDEX "credit_memo_order_id_idx" ON "credit_memo"("order_id");

-- CreateIndex
CREATE UNIQUE INDEX "erp_refund_refund_reference_key" ON "erp_refund"("refund_reference");

-- CreateIndex
CREATE INDEX "erp_refund_customer_id_idx" ON "erp_refund"("customer_id");

-- AddForeignKey
ALTER TABLE "return_line" ADD CONSTRAINT "return_line_return_id_fkey" FOREIGN KEY ("return_id") REFERENCES "return_request"("id") ON DELETE RESTRICT ON UPDATE CASCADE;



-- Reference data returns need from their first run (finance edits the rows afterwards).

-- Credit memo numbers: their own series in the invoice counter table, starting at CM-0000001.
INSERT INTO "invoice_counter" ("id", "last_number") VALUES ('credit-memo', 0);

-- The global return policy: 30 days from delivery, 15 % restocking fee, requests up to 500.00 approved
-- automatically, scrap credited only when the seller is at fault (damaged, defective, wrong item).
INSERT INTO "return_policy" ("id", "customer_id", "window_days", "non_returnable_skus", "restocking_fee_bp", "auto_approve_max_minor", "reason_codes", "credit_scrap_reason_codes") VALUES
  ('global', NULL, 30, '{}', 1500, 50000, '{DAMAGED,DEFECTIVE,WRONG_ITEM,NOT_NEEDED,ORDERED_IN_ERROR}', '{DAMAGED,DEFECTIVE,WRONG_ITEM}');
