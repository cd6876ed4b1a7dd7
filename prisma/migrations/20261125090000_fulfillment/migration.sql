-- CreateTable
CREATE TABLE "customer" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "currency" CHAR(3) NOT NULL,
    "credit_limit_minor" BIGINT NOT NULL,
    "open_receivables_minor" BIGINT NOT NULL DEFAULT 0,
    "is_on_credit_hold" BOOLEAN NOT NULL DEFAULT false,
    "payment_terms" TEXT NOT NULL,
    "sla_profile_id" TEXT NOT NULL,
    "min_shelf_life_days" INTEGER NOT NULL DEFAULT 0,
    "bill_on" TEXT NOT NULL DEFAULT 'delivery',
    "is_tax_exempt" BOOLEAN NOT NULL DEFAULT false,
    "is_active" BOOLEAN NOT NULL DEFAULT true,
    "sales_rep_email" TEXT,

    CONSTRAINT "customer_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "sla_profile" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "step_durations" JSONB NOT NULL,
    "handling_business_days" INTEGER NOT NULL,
    "otif_penalty_bp" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "sla_profile_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "sku" (
    "sku" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "unit_weight_grams" INTEGER NOT NULL,
    "hazard_class" TEXT,
    "is_lot_tracked" BOOLEAN NOT NULL DEFAULT false,
    "list_price_minor" BIGINT NOT NULL,
    "currency" CHAR(3) NOT NULL,
    "lead_time_days" INTEGER NOT NULL,
    "is_active" BOOLEAN NOT NULL DEFAULT true,

    CONSTRAINT "sku_pkey" PRIMARY KEY ("sku")
);

-- CreateTable
CREATE TABLE "contract_price" (
    "customer_id" TEXT NOT NULL,
    "sku" TEXT NOT NULL,
    "unit_price_minor" BIGINT NOT NULL,
    "currency" CHAR(3) NOT NULL,

    CONSTRAINT "contract_price_pkey" PRIMARY KEY ("customer_id","sku")
);

-- CreateTable
CREATE TABLE "warehouse" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "priority" INTEGER NOT NULL,
    "country" CHAR(2) NOT NULL,
    "region" TEXT,

    CONSTRAINT "warehouse_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "stock" (
    "warehouse_id" TEXT NOT NULL,
    "sku" TEXT NOT NULL,
    "on_hand" INTEGER NOT NULL,
    "reserved" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "stock_pkey" PRIMARY KEY ("warehouse_id","sku")
);

-- CreateTable
CREATE TABLE "stock_lot" (
    "warehouse_id" TEXT NOT NULL,
    "sku" TEXT NOT NULL,
    "lot_id" TEXT NOT NULL,
    "quantity" INTEGER NOT NULL,
    "expiry_date" DATE,

    CONSTRAINT "stock_lot_pkey" PRIMARY KEY ("warehouse_id","sku","lot_id")
);

-- CreateTable
CREATE TABLE "scheduled_receipt" (
    "id" TEXT NOT NULL,
    "warehouse_id" TEXT NOT NULL,
    "sku" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "quantity" INTEGER NOT NULL,
    "promised_quantity" INTEGER NOT NULL DEFAULT 0,
    "due_date" DATE NOT NULL,
    "lot_id" TEXT,
    "expiry_date" DATE,
    "received_at" TIMESTAMPTZ(3),

    CONSTRAINT "scheduled_receipt_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "carrier" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "accepted_hazard_classes" TEXT[],

    CONSTRAINT "carrier_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "carrier_rate" (
    "id" SERIAL NOT NULL,
    "carrier_id" TEXT NOT NULL,
    "mode" TEXT NOT NULL,
    "min_weight_grams" INTEGER NOT NULL,
    "max_weight_grams" INTEGER NOT NULL,
    "base_minor" BIGINT NOT NULL,
    "per_kg_minor" BIGINT NOT NULL,
    "transit_business_days" INTEGER NOT NULL,

    CONSTRAINT "carrier_rate_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "holiday" (
    "date" DATE NOT NULL,
    "name" TEXT NOT NULL,

    CONSTRAINT "holiday_pkey" PRIMARY KEY ("date")
);

-- CreateTable
CREATE TABLE "reservation" (
    "order_id" TEXT NOT NULL,
    "line_no" INTEGER NOT NULL,
    "warehouse_id" TEXT NOT NULL,
    "sku" TEXT NOT NULL,
    "quantity" INTEGER NOT NULL,
    "status" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "reservation_pkey" PRIMARY KEY ("order_id","line_no","warehouse_id")
);

-- CreateTable
CREATE TABLE "backorder" (
    "order_id" TEXT NOT NULL,
    "line_no" INTEGER NOT NULL,
    "sku" TEXT NOT NULL,
    "warehouse_id" TEXT NOT NULL,
    "quantity" INTEGER NOT NULL,
    "available_date" DATE NOT NULL,
    "receipt_id" TEXT,
    "status" TEXT NOT NULL,

    CONSTRAINT "backorder_pkey" PRIMARY KEY ("order_id","line_no")
);

-- CreateTable
CREATE TABLE "erp_order" (
    "erp_order_number" TEXT NOT NULL,
    "order_id" TEXT NOT NULL,
    "customer_id" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "lines" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "cancelled_at" TIMESTAMPTZ(3),

    CONSTRAINT "erp_order_pkey" PRIMARY KEY ("erp_order_number")
);

-- CreateTable
CREATE TABLE "shipment" (
    "id" TEXT NOT NULL,
    "order_id" TEXT NOT NULL,
    "warehouse_id" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "lines" JSONB NOT NULL,
    "picks" JSONB,
    "packages" JSONB,
    "carrier_id" TEXT,
    "mode" TEXT,
    "freight_cost_minor" BIGINT,
    "tracking_number" TEXT,
    "promised_ship_date" DATE,
    "promised_delivery_date" DATE,
    "asn" JSONB,
    "shipped_at" TIMESTAMPTZ(3),
    "delivered_at" TIMESTAMPTZ(3),
    "proof_of_delivery" JSONB,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "shipment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "line_otif" (
    "shipment_id" TEXT NOT NULL,
    "line_no" INTEGER NOT NULL,
    "order_id" TEXT NOT NULL,
    "sku" TEXT NOT NULL,
    "quantity" INTEGER NOT NULL,
    "good_quantity" INTEGER NOT NULL,
    "promised_date" DATE NOT NULL,
    "delivered_date" DATE NOT NULL,
    "is_on_time" BOOLEAN NOT NULL,
    "is_in_full" BOOLEAN NOT NULL,

    CONSTRAINT "line_otif_pkey" PRIMARY KEY ("shipment_id","line_no")
);

-- CreateTable
CREATE TABLE "crm_milestone" (
    "idempotency_key" TEXT NOT NULL,
    "order_id" TEXT NOT NULL,
    "deal_id" TEXT NOT NULL,
    "milestone" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "crm_milestone_pkey" PRIMARY KEY ("idempotency_key")
);

-- CreateIndex
CREATE INDEX "scheduled_receipt_sku_received_at_idx" ON "scheduled_receipt"("sku", "received_at");

-- CreateIndex
CREATE INDEX "carrier_rate_carrier_id_idx" ON "carrier_rate"("carrier_id");

-- CreateIndex
CREATE INDEX "backorder_sku_status_idx" ON "backorder"("sku", "status");

-- CreateIndex
CREATE UNIQUE INDEX "erp_order_order_id_key" ON "erp_order"("order_id");

-- CreateIndex
CREATE UNIQUE INDEX "shipment_tracking_number_key" ON "shipment"("tracking_number");

-- CreateIndex
CREATE INDEX "shipment_order_id_idx" ON "shipment"("order_id");

-- CreateIndex
CREATE INDEX "line_otif_order_id_idx" ON "line_otif"("order_id");

-- CreateIndex
CREATE INDEX "crm_milestone_order_id_idx" ON "crm_milestone"("order_id");


-- ERP sales order numbers: SO-0000001, ...
CREATE SEQUENCE "erp_order_number_seq" START 1;
