-- CreateIndex
CREATE INDEX "step_event_step_to_status_occurred_at_idx" ON "step_event"("step", "to_status", "occurred_at");

-- CreateIndex
CREATE INDEX "line_otif_delivered_date_idx" ON "line_otif"("delivered_date");

-- CreateIndex
CREATE INDEX "invoice_order_ids_idx" ON "invoice" USING GIN ("order_ids");

-- CreateIndex
CREATE INDEX "invoice_status_due_date_idx" ON "invoice"("status", "due_date");

-- CreateIndex
CREATE INDEX "invoice_issue_date_idx" ON "invoice"("issue_date");

-- CreateIndex
CREATE INDEX "invoice_updated_at_idx" ON "invoice"("updated_at");

