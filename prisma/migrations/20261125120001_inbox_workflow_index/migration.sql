-- CreateIndex
CREATE INDEX "inbound_event_workflow_id_idx" ON "inbound_event"("workflow_id");

