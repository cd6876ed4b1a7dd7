-- AlterTable
ALTER TABLE "customer" ADD COLUMN     "freight_markup_bp" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "invoice_grouping" TEXT NOT NULL DEFAULT 'per-shipment';

-- CreateTable
CREATE TABLE "invoice" (
    "id" TEXT NOT NULL,
    "invoice_number" TEXT,
    "order_id" TEXT NOT NULL,
    "customer_id" TEXT NOT NULL,
    "shipment_ids" TEXT[],
    "currency" CHAR(3) NOT NULL,
    "status" TEXT NOT NULL,
    "payment_terms" TEXT NOT NULL,
    "issue_date" DATE,
    "due_date" DATE,
    "discount_bp" INTEGER,
    "discount_deadline" DATE,
    "subtotal_minor" BIGINT NOT NULL,
    "tax_minor" BIGINT NOT NULL,
    "total_minor" BIGINT NOT NULL,
    "paid_minor" BIGINT NOT NULL DEFAULT 0,
    "discount_taken_minor" BIGINT NOT NULL DEFAULT 0,
    "tax_rate_bp" INTEGER NOT NULL,
    "is_tax_exempt" BOOLEAN NOT NULL,
    "lines" JSONB NOT NULL,
    "bill_to" JSONB NOT NULL,
    "pdf" BYTEA,
    "erp_posted_at" TIMESTAMPTZ(3),
    "sent_at" TIMESTAMPTZ(3),
    "is_escalated" BOOLEAN NOT NULL DEFAULT false,
    "closed_reason" TEXT,
    "idempotency_key" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "invoice_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "invoice_counter" (
    "id" TEXT NOT NULL,
    "last_number" BIGINT NOT NULL,

    CONSTRAINT "invoice_counter_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "payment" (
    "id" BIGSERIAL NOT NULL,
    "invoice_id" TEXT NOT NULL,
    "reference" TEXT NOT NULL,
    "amount_minor" BIGINT NOT NULL,
    "discount_applied_minor" BIGINT NOT NULL DEFAULT 0,
    "received_date" DATE NOT NULL,
    "recorded_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "payment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "accessorial_fee" (
    "code" TEXT NOT NULL,
    "currency" CHAR(3) NOT NULL,
    "description" TEXT NOT NULL,
    "amount_minor" BIGINT NOT NULL,
    "is_taxable" BOOLEAN NOT NULL,

    CONSTRAINT "accessorial_fee_pkey" PRIMARY KEY ("code","currency")
);

-- CreateTable
CREATE TABLE "tax_rate" (
    "country" CHAR(2) NOT NULL,
    "region" TEXT NOT NULL DEFAULT '',
    "rate_bp" INTEGER NOT NULL,

    CONSTRAINT "tax_rate_pkey" PRIMARY KEY ("country","region")
);

-- CreateTable
CREATE TABLE "erp_receivable" (
    "idempotency_key" TEXT NOT NULL,
    "document_number" TEXT NOT NULL,
    "customer_id" TEXT NOT NULL,
    "invoice_number" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "amount_minor" BIGINT NOT NULL,
    "currency" CHAR(3) NOT NULL,
    "posted_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "erp_receivable_pkey" PRIMARY KEY ("idempotency_key")
);

-- CreateIndex
CREATE UNIQUE INDEX "invoice_invoice_number_key" ON "invoice"("invoice_number");

-- CreateIndex
CREATE UNIQUE INDEX "invoice_idempotency_key_key" ON "invoice"("idempotency_key");

-- CreateIndex
CREATE INDEX "invoice_order_id_idx" ON "invoice"("order_id");

-- CreateIndex
CREATE INDEX "invoice_customer_id_status_idx" ON "invoice"("customer_id", "status");

-- CreateIndex
CREATE UNIQUE INDEX "payment_invoice_id_reference_key" ON "payment"("invoice_id", "reference");

-- CreateIndex
CREATE UNIQUE INDEX "erp_receivable_document_number_key" ON "erp_receivable"("document_number");

-- CreateIndex
CREATE INDEX "erp_receivable_customer_id_idx" ON "erp_receivable"("customer_id");

-- CreateIndex
CREATE INDEX "erp_receivable_invoice_number_idx" ON "erp_receivable"("invoice_number");

-- AddForeignKey
ALTER TABLE "payment" ADD CONSTRAINT "payment_invoice_id_fkey" FOREIGN KEY ("invoice_id") REFERENCES "invoice"("id") ON DELETE RESTRICT ON UPDATE CASCADE;


-- Reference data billing needs from its first run (finance edits the rows afterwards).

-- The invoice number series starts at INV-0000001.
INSERT INTO "invoice_counter" ("id", "last_number") VALUES ('invoice', 0);

-- Accessorial fee table: hazmat handling is billed once per shipment that carries hazardous goods.
INSERT INTO "accessorial_fee" ("code", "currency", "description", "amount_minor", "is_taxable") VALUES
  ('HAZMAT', 'USD', 'Hazardous goods handling', 4500, true),
  ('HAZMAT', 'EUR', 'Hazardous goods handling', 4200, true),
  ('LIFTGATE', 'USD', 'Liftgate delivery', 7500, true),
  ('LIFTGATE', 'EUR', 'Liftgate delivery', 7000, true),
  ('RESIDENTIAL', 'USD', 'Residential delivery', 5000, true);

-- Sales-tax rates by ship-to jurisdiction (state base rates, VAT country-wide). No US country-wide
-- row: a US destination without a state rate is untaxed.
INSERT INTO "tax_rate" ("country", "region", "rate_bp") VALUES
  ('US', 'OH', 575),
  ('US', 'CA', 725),
  ('US', 'TX', 625),
  ('US', 'NY', 400),
  ('US', 'IL', 625),
  ('US', 'WA', 650),
  ('DE', '', 1900),
  ('NL', '', 2100),
  ('GB', '', 2000);
