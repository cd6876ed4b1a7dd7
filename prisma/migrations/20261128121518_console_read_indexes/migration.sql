-- CreateIndex
CREATE INDEX "order_created_at_id_idx" ON "order"("created_at", "id");

-- CreateIndex
CREATE INDEX "order_total_minor_id_idx" ON "order"("total_minor", "id");

-- CreateIndex
CREATE INDEX "order_customer_id_created_at_id_idx" ON "order"("customer_id", "created_at", "id");

-- CreateIndex
CREATE INDEX "order_status_created_at_id_idx" ON "order"("status", "created_at", "id");

-- CreateIndex
CREATE INDEX "order_current_step_created_at_id_idx" ON "order"("current_step", "created_at", "id");

-- CreateIndex
CREATE INDEX "step_event_workflow_id_step_id_idx" ON "step_event"("workflow_id", "step", "id");

-- CreateIndex
CREATE INDEX "customer_name_id_idx" ON "customer"("name", "id");

-- CreateIndex
CREATE INDEX "backorder_status_available_date_idx" ON "backorder"("status", "available_date");

-- CreateIndex
CREATE INDEX "webhook_delivery_milestone_key_id_idx" ON "webhook_delivery"("milestone_key", "id");

-- CreateIndex
CREATE INDEX "invoice_created_at_id_idx" ON "invoice"("created_at", "id");

-- CreateIndex
CREATE INDEX "invoice_status_created_at_idx" ON "invoice"("status", "created_at");

-- CreateIndex
CREATE INDEX "invoice_due_date_idx" ON "invoice"("due_date");

-- CreateIndex
CREATE INDEX "return_request_status_updated_at_idx" ON "return_request"("status", "updated_at");


-- Partial indexes (hand-written: the Prisma schema cannot declare them). The console's work queue and
-- order filters read small subsets: stuck and breached steps, holds, flagged orders.
CREATE INDEX "order_needs_attention_created_at_id_idx" ON "order"("created_at", "id") WHERE "needs_attention";
CREATE INDEX "order_sla_breached_created_at_id_idx" ON "order"("created_at", "id") WHERE "sla_breached";
CREATE INDEX "step_event_attention_occurred_at_idx" ON "step_event"("to_status", "occurred_at") WHERE "to_status" IN ('needs_attention', 'sla_breached');
CREATE INDEX "step_event_hold_workflow_id_id_idx" ON "step_event"("workflow_id", "id") WHERE "step" = '*' AND ("to_status" = 'on_hold' OR "from_status" = 'on_hold');
CREATE INDEX "step_event_started_step_occurred_at_idx" ON "step_event"("step", "occurred_at") WHERE "to_status" IN ('waiting', 'running');
CREATE INDEX "invoice_escalated_due_date_idx" ON "invoice"("due_date") WHERE "is_escalated";
