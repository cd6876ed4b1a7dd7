-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateTable
CREATE TABLE "inbound_event" (
    "id" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "deal_id" TEXT NOT NULL,
    "payload_hash" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "workflow_id" TEXT NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "started_at" TIMESTAMPTZ(3),
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "last_error" TEXT,

    CONSTRAINT "inbound_event_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "order" (
    "id" TEXT NOT NULL,
    "deal_id" TEXT NOT NULL,
    "customer_id" TEXT NOT NULL,
    "customer_name" TEXT NOT NULL,
    "po_number" TEXT NOT NULL,
    "currency" CHAR(3) NOT NULL,
    "total_minor" BIGINT NOT NULL,
    "status" TEXT NOT NULL,
    "current_step" TEXT,
    "needs_attention" BOOLEAN NOT NULL DEFAULT false,
    "sla_breached" BOOLEAN NOT NULL DEFAULT false,
    "event" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "order_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "outbound_email" (
    "id" UUID NOT NULL,
    "idempotency_key" TEXT NOT NULL,
    "order_id" TEXT,
    "template" TEXT NOT NULL,
    "to_address" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "message_id" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "last_error" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sent_at" TIMESTAMPTZ(3),

    CONSTRAINT "outbound_email_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "step_event" (
    "id" BIGSERIAL NOT NULL,
    "run_kind" TEXT NOT NULL,
    "run_id" TEXT NOT NULL,
    "order_id" TEXT NOT NULL,
    "workflow_id" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "step" TEXT NOT NULL,
    "from_status" TEXT,
    "to_status" TEXT NOT NULL,
    "attempt" INTEGER NOT NULL,
    "error" TEXT,
    "actor" TEXT NOT NULL,
    "reason" TEXT,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "step_event_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "sla_breach" (
    "idempotency_key" TEXT NOT NULL,
    "order_id" TEXT NOT NULL,
    "run_kind" TEXT NOT NULL,
    "run_id" TEXT NOT NULL,
    "step" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "deadline" TIMESTAMPTZ(3) NOT NULL,
    "recorded_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "sla_breach_pkey" PRIMARY KEY ("idempotency_key")
);

-- CreateIndex
CREATE INDEX "inbound_event_started_at_idx" ON "inbound_event"("started_at");

-- CreateIndex
CREATE UNIQUE INDEX "inbound_event_kind_deal_id_key" ON "inbound_event"("kind", "deal_id");

-- CreateIndex
CREATE UNIQUE INDEX "order_deal_id_key" ON "order"("deal_id");

-- CreateIndex
CREATE INDEX "order_customer_id_idx" ON "order"("customer_id");

-- CreateIndex
CREATE INDEX "order_status_idx" ON "order"("status");

-- CreateIndex
CREATE UNIQUE INDEX "outbound_email_idempotency_key_key" ON "outbound_email"("idempotency_key");

-- CreateIndex
CREATE INDEX "outbound_email_order_id_idx" ON "outbound_email"("order_id");

-- CreateIndex
CREATE INDEX "step_event_order_id_occurred_at_idx" ON "step_event"("order_id", "occurred_at");

-- CreateIndex
CREATE INDEX "step_event_run_kind_run_id_idx" ON "step_event"("run_kind", "run_id");

-- CreateIndex
CREATE UNIQUE INDEX "step_event_workflow_id_seq_key" ON "step_event"("workflow_id", "seq");

-- CreateIndex
CREATE INDEX "sla_breach_order_id_idx" ON "sla_breach"("order_id");

